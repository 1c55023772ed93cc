import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The `homelab truenas ...` commands and `homelab status` against the simulated TrueNAS (the built binary).
@Suite("homelab truenas commands")
struct TrueNASCommandTests {
    static let binary = SimulatorHarness.repositoryRoot.appendingPathComponent(".build/debug/homelab").path

    @Test("pools, datasets, snapshots, shares, alerts, apps, jobs, disks, snapshot create|rollback; status shows storage")
    func commands() async throws {
        guard
            try RealServer.require(
                "the homelab binary", available: FileManager.default.isExecutableFile(atPath: Self.binary), hint: "swift build --build-tests")
        else { return }
        try await withSimulation { sim in
            let folder = try TemporaryFolder()
            let config = folder.file("homelab.yaml")
            try sim.simulation.writeConfig(to: config)
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_STATE_HOME"] = folder.path
            environment["COLUMNS"] = nil
            func homelab(_ arguments: String...) async throws -> (Int32, String) {
                try await ChildProcess.run(Self.binary, arguments + ["--config", config], environment: environment, timeout: .seconds(120))
            }
            let service = try #require(sim.simulation.homelab.services.first { $0.isStateful })
            let dataset = "tank/apps/\(service.stack)/\(service.name)"
            let expectations: [([String], [String])] = [
                (["truenas", "pools"], ["archive", "DEGRADED", "tank", "ONLINE"]),
                (["truenas", "pools", "-o", "json"], ["\"name\" : \"archive\"", "\"healthy\" : false"]),
                (["truenas", "pools", "-q"], ["tank\narchive"]),
                (["truenas", "datasets", "--pool", "tank"], [dataset, "100.0 GiB"]),
                (["truenas", "snapshots", "--dataset", dataset], ["\(dataset)@auto-", "task 1: tank/apps (recursive), 0 * * * *"]),
                (["truenas", "shares"], ["/mnt/tank/media", "10.0.0.0/24"]),
                (["truenas", "alerts"], ["CRITICAL", "Pool archive state is DEGRADED"]),
                (["truenas", "apps", "--start", "syncthing"], ["syncthing  RUNNING"]),
                (["truenas", "jobs"], ["app.start", "SUCCESS"]),
                (["truenas", "disks"], ["sdc", "41 °C", "FAILED (Short offline)"]),
                (["truenas", "snapshot", "create", "\(dataset)@cli"], ["created \(dataset)@cli"]),
                (["truenas", "snapshot", "rollback", "\(dataset)@cli"], ["rolled back to \(dataset)@cli"]),
            ]
            for (arguments, wanted) in expectations {
                let (status, output) = try await ChildProcess.run(
                    Self.binary, arguments + ["--config", config], environment: environment, timeout: .seconds(120))
                #expect(status == 0, "\(arguments): \(output)")
                for text in wanted { #expect(output.contains(text), "\(arguments) lacks \(text): \(output)") }
            }
            let (failed, failure) = try await homelab("truenas", "apps", "--start", "immich")
            #expect(failed == 3, "\(failure)")
            #expect(failure.contains("[EFAULT] Failed 'up' action for 'immich' app"), "\(failure)")
            let (_, status) = try await homelab("status")
            #expect(status.contains("STORAGE (TrueNAS)") && status.contains("CRITICAL  Pool archive state is DEGRADED"), "\(status)")
        }
    }
}
