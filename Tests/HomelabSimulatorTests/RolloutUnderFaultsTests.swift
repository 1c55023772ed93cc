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

    /// The seeded mix of every fault kind: 5 ms on each call, then a hang, a reset and a 5xx for the first calls, and
    /// after them 1% hangs, 4% resets and 5% error answers (500, 502, 503).
    static let mix = FaultPlan(
        latency: .milliseconds(5), errorRate: 0.05, errorCount: 1, resetRate: 0.04, resetCount: 1, hangRate: 0.01,
        hangCount: 1)

    @Test(
        "every service of every tier through a seeded fault mix: the run ends defined with no step failed by a fault, the journal agrees with the swarm, and resume with faults off finishes the work",
        .timeLimit(.minutes(3)), arguments: [UInt64(11), 23, 37])
    func wholeHomelabFaultMix(seed: UInt64) async throws {
        try await withSimulation(timeScale: 0.005) { sim in
            let homelab = sim.simulation.homelab
            // A hung request costs 2 s (the total timeout a user would give a busy homelab), then is retried.
            let transport = try CurlTransport(configuration: .init(connectTimeout: .seconds(2), totalTimeout: .seconds(2)))
            defer { transport.shutdown() }
            let swarm = SwarmClient(
                transport: transport, endpoint: .unixSocket(sim.simulation.endpoints.dockerSocket, host: "docker"))
            var original: [String: String] = [:]
            var target: [String: String] = [:]
            var changes: [String: RolloutChange] = [:]
            for service in homelab.services {
                let name = RolloutRequest.swarmName(service)
                let image = try await swarm.services.inspect(name).spec?.taskTemplate?.containerSpec?.image ?? ""
                original[name] = image
                target[name] = RolloutOnSimulatorTests.base(image) + ":next"
                changes[name] = .image(target[name] ?? "")
            }
            let tiers = Set(homelab.services.map(\.tier))
            #expect(tiers.count == homelab.tiers.count, "the rollout covers every tier")
            var request = RolloutRequest(homelab: homelab, changes: changes, budget: 6)
            request.convergenceTimeoutSeconds = 20

            sim.simulation.faults.seed(seed)
            sim.simulation.faults.set(Self.mix, for: .docker)
            let folder = try TemporaryFolder()
            let store = try StateStore(path: folder.file("state.sqlite"))
            let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let result = try await RolloutRunner(swarm: swarm, journal: store.rolloutJournal, logger: quiet).apply(request)
            let injected = sim.simulation.faults.stats[.docker] ?? FaultBoard.Stats()
            sim.simulation.faults.clear()
            sim.simulation.faults.seed(nil)
            #expect(injected.errors > 0 && injected.resets > 0 && injected.hangs > 0, "\(injected)")

            #expect([.completed, .paused, .failed, .rolledBack].contains(result.status), "\(result.status)")
            let run = try #require(try await store.rolloutJournal.run(result.runID))
            #expect(run.status == result.status && run.owner == nil)
            let steps = try await store.rolloutJournal.steps(runID: result.runID)
            #expect(steps.count == changes.count)
            #expect(!steps.contains { $0.status == .running }, "a step was left running")
            // A call the engine did not answer says nothing against the change: no step fails for it.
            #expect(!steps.contains { [.failed, .blocked, .rolledBack, .rollingBack].contains($0.status) }, "\(steps.map { "\($0.stepID) \($0.status) \($0.detail ?? "")" })")
            // The journal agrees with the swarm: done steps run their target; steps not done run what they ran (or
            // the target, when the engine took the update but its answer was lost).
            for step in steps {
                let live = try await swarm.services.inspect(step.stepID).spec?.taskTemplate?.containerSpec?.image
                switch step.status {
                case .succeeded: #expect(live == target[step.stepID], "\(step.stepID)")
                case .pending: #expect(live == original[step.stepID] || live == target[step.stepID], "\(step.stepID)")
                default: break
                }
            }
            if result.status != .completed {
                #expect(result.status == .paused)
                let resumed = try await RolloutRunner(swarm: swarm, journal: store.rolloutJournal, logger: quiet).resume(runID: result.runID)
                #expect(resumed.status == .completed, "\(resumed.outcome)")
            }
            #expect(try await store.rolloutJournal.steps(runID: result.runID).allSatisfy { $0.status == .succeeded })
            for (name, image) in target {
                #expect(try await swarm.services.inspect(name).spec?.taskTemplate?.containerSpec?.image == image, "\(name)")
            }
        }
    }
}
