import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Logging
import Testing

/// A whole-homelab rollout while the simulated engine misbehaves on a fraction of calls: every rollout ends
/// completed, paused, failed or rolled back, never stuck, never crashed, and its journal agrees with its result.
@Suite("A whole-homelab rollout through injected faults")
struct RolloutUnderFaultsTests {
    static let mixes: [(String, FaultPlan)] = [
        // Each mix also faults its first few requests outright, so every run meets its fault at least once.
        ("latency and 5xx", FaultPlan(latency: .milliseconds(15), errorRate: 0.05, errorCount: 2, errorStatuses: [500, 502, 503])),
        ("connection resets", FaultPlan(resetRate: 0.05, resetCount: 2)),
        ("hangs", FaultPlan(hangRate: 0.02, hangCount: 1)),
    ]

    @Test("the rollout ends in a defined state and the journal is consistent", .timeLimit(.minutes(5)), arguments: [0, 1, 2])
    func faults(_ index: Int) async throws {
        let (_, plan) = Self.mixes[index]
        try await withSimulation(timeScale: 0.005) { sim in
            let homelab = sim.simulation.homelab
            // Short timeouts, so a hung request costs seconds, as a user would configure a busy homelab.
            let transport = try CurlTransport(configuration: .init(connectTimeout: .seconds(2), totalTimeout: .seconds(3)))
            let swarm = SwarmClient(
                transport: transport, endpoint: .unixSocket(sim.simulation.endpoints.dockerSocket, host: "docker"))
            var changes: [String: RolloutChange] = [:]
            for service in homelab.services.prefix(12) {
                let name = RolloutRequest.swarmName(service)
                let image = try await swarm.services.inspect(name).spec?.taskTemplate?.containerSpec?.image ?? ""
                changes[name] = .image(RolloutOnSimulatorTests.base(image) + ":next")
            }
            var request = RolloutRequest(homelab: homelab, changes: changes, budget: 4, rollbackFailed: true)
            request.convergenceTimeoutSeconds = 60

            sim.simulation.faults.set(plan, for: .docker)
            let folder = try TemporaryFolder()
            let store = try StateStore(path: folder.file("state.sqlite"))
            let runner = RolloutRunner(
                swarm: swarm, journal: store.rolloutJournal,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let result = try await runner.apply(request)
            let injected = sim.simulation.faults.stats[.docker] ?? FaultBoard.Stats()
            sim.simulation.faults.clear()
            #expect(injected.errors + injected.resets + injected.hangs > 0, "no fault was injected: \(injected)")

            #expect([.completed, .paused, .failed, .rolledBack].contains(result.status), "\(result.status)")
            let run = try #require(try await store.rolloutJournal.run(result.runID))
            #expect(run.status == result.status)
            #expect(run.owner == nil)
            let steps = try await store.rolloutJournal.steps(runID: result.runID)
            #expect(steps.count == changes.count)
            #expect(!steps.contains { $0.status == .running }, "a step was left running")
            // A paused run can be finished: resumed on a healthy engine it ends in a final state.
            if !result.status.isFinal {
                let resumed = try await runner.resume(runID: result.runID)
                #expect(resumed.status.isFinal, "\(resumed.status)")
            }
        }
    }
}
