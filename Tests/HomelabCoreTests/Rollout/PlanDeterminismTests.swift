import Foundation
import HomelabTestSupport
import Logging
import Testing

@testable import HomelabCore

/// The plan `rollout plan` prints is the plan `rollout apply` runs: the search is budgeted by explored nodes,
/// never by wall-clock time, so the same inputs give the same order on any machine under any load.
@Suite("Rollout plans are deterministic", .cpuBound)
struct PlanDeterminismTests {
    /// 24 services with uneven estimates, random dependencies and budget 3: big enough that the search runs out
    /// of its node budget instead of proving an optimum.
    static func request(seed: UInt64) -> RolloutRequest {
        var random = SeededRandom(seed: seed)
        let services = (0..<24).map { "svc\($0)" }
        var dependencies: [RolloutRequest.Dependency] = []
        for (index, service) in services.enumerated() where index > 2 {
            for other in services[..<index] where random.unit() < 0.08 {
                dependencies.append(RolloutRequest.Dependency(service: service, dependsOn: other))
            }
        }
        return RolloutRequest(
            changes: services.map {
                RolloutRequest.Change(service: $0, change: .image("\($0):2"), estimateSeconds: Double(10 + random.next() % 290))
            },
            dependencies: dependencies, budget: 3, onFailure: .continueIndependent, convergenceTimeoutSeconds: 5)
    }

    /// The first seed whose plan is not proven optimal within the default node budget.
    static func unprovenRequest() throws -> (RolloutRequest, RolloutPlan) {
        for seed in UInt64(1)...40 {
            let request = request(seed: seed)
            let plan = RolloutScheduler().plan(try request.graph(), limits: try request.limits())
            if !plan.provenOptimal, case .search(let nodes) = plan.method, nodes >= RolloutScheduler.defaultSearchNodes {
                return (request, plan)
            }
        }
        throw HomelabError(.internalFailure, "no seed in 1...40 exhausts the search budget")
    }

    @Test("the same request planned twice, the second time with the other core busy, gives the same order")
    func samePlanUnderLoad() async throws {
        let (request, first) = try Self.unprovenRequest()
        let busy = BusyCore()
        defer { busy.stop() }
        let second = RolloutScheduler().plan(try request.graph(), limits: try request.limits())
        #expect(second.order == first.order)
        #expect(second.makespan == first.makespan)
        #expect(second.method == first.method)
    }

    @Test("rollout apply journals exactly the order rollout plan computes for the same request")
    func applyRunsThePrintedPlan() async throws {
        let (request, plan) = try Self.unprovenRequest()
        let folder = try TemporaryFolder()
        let journal = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
        let swarm = FakeRolloutSwarm(services: request.changes.map(\.service))
        let runner = RolloutRunner(swarm: swarm, journal: journal, logger: Logger(label: "test.rollout"))
        let result = try await runner.apply(request, runID: "deterministic")
        #expect(result.status == .completed)
        let journaled = try await journal.steps(runID: "deterministic").map(\.stepID)
        #expect(journaled == plan.order)
    }
}
