import HomelabCore
import Testing

@Suite("Rollout baselines")
struct RolloutBaselinesTests {
    @Test("all at once ignores dependencies and counts the ones it breaks")
    func allAtOnce() throws {
        let steps = ["a", "b", "c"].map { RolloutStep(service: $0, estimate: .seconds(10)) }
        let graph = try RolloutGraph(steps: steps, dependsOn: ["b": ["a"], "c": ["b"]])
        let result = RolloutBaselines.allAtOnce(graph, limits: try RolloutLimits(budget: 3))
        #expect(result.makespan == .seconds(10))
        #expect(result.dependencyViolations == 2)
        let scheduled = RolloutScheduler().plan(graph, limits: try RolloutLimits(budget: 3))
        #expect(scheduled.makespan == .seconds(30))
    }

    @Test("tier barriers wait for each stage; one at a time takes all the work")
    func stagesAndSequence() throws {
        let graph = try LowerBoundTests.workedExample()
        let limits = try RolloutLimits(budget: 2)
        // Stages {postgres, redis}, {authentik-server, authentik-worker, forgejo}, {caddy, woodpecker}.
        let stages = RolloutBaselines.tierBarriers(graph, limits: limits)
        #expect(stages.makespan == .seconds(65 + 100 + 95))
        #expect(stages.dependencyViolations == 0)
        let sequence = RolloutBaselines.oneAtATime(graph)
        #expect(sequence.makespan == .seconds(415))
        #expect(sequence.schedule.map(\.id) == graph.steps.map(\.id).sorted())
        #expect(RolloutScheduler().plan(graph, limits: limits).makespan < stages.makespan)
    }
}
