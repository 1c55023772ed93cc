import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The `homelab status` binary against a simulated homelab whose Docker never answers (it used to hang for good).
@Suite("homelab status reports a hanging Docker within its deadline")
struct StatusCommandFaultTests {
    static let binary = SimulatorHarness.repositoryRoot.appendingPathComponent(".build/debug/homelab").path

    @Test("docker:hang-rate=1: the command returns after about --deadline, exit 5 (degraded), docker DOWN, services unknown")
    func hangingDocker() async throws {
        guard
            try RealServer.require(
                "the homelab binary", available: FileManager.default.isExecutableFile(atPath: Self.binary),
                hint: "swift build --build-tests")
        else { return }
        try await withSimulation(faults: [.docker: FaultPlan(hangRate: 1)]) { sim in
            let folder = try TemporaryFolder()
            let config = folder.file("homelab.yaml")
            try sim.simulation.writeConfig(to: config)
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_STATE_HOME"] = folder.path
            let started = ContinuousClock.now
            let (status, output) = try await ChildProcess.run(
                Self.binary, ["status", "--config", config, "--deadline", "1"], environment: environment,
                timeout: .seconds(60))
            let elapsed = ContinuousClock.now - started
            #expect(status == 5, "\(output)")
            // What matters is that it returns (it used to hang until killed): a debug binary's start-up and the
            // simulator share 2 cores with 7 other tests in CI, which took 6.2 s once; a hang would run to the 60 s
            // timeout.
            #expect(elapsed < .seconds(20), "took \(elapsed)")
            #expect(output.contains("NOT UP: docker (timed out"), "\(output)")
            #expect(output.contains("unknown"), "\(output)")
        }
    }
}
