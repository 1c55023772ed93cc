import HomelabCore
import HomelabTestSupport
import Testing

@Suite("Rollout state machine: seeded properties on random DAGs", .cpuBound)
struct RolloutStateMachinePropertyTests {
    @Test("with estimates that hold: dependencies respected, budgets kept, no idle slot, plan reproduced",
          arguments: 0..<60)
    func estimatesHold(seed: UInt64) throws {
        var random = SeededRandom(seed: 1_000 + seed)
        let instance = try RolloutTestSupport.randomInstance(&random)
        let plan = RolloutScheduler(searchTime: nil, searchNodes: 2_000, improvementMoves: 100).plan(instance.graph, limits: instance.limits)
        let result = try RolloutSimulation.run(plan)
        #expect(RolloutTestSupport.violations(result, graph: instance.graph, limits: instance.limits, pauseAll: false) == [])
        #expect(result.outcome == .completed)
        #expect(result.makespan == plan.makespan)
        #expect(result.runs.map(\.id) == plan.schedule.map(\.id))
        #expect(result.runs.map(\.start) == plan.schedule.map(\.start))
        #expect(plan.lowerBound.value <= plan.makespan)
    }

    @Test("with other durations and failures (continue-independent): downstream blocked, the rest runs",
          arguments: 0..<60)
    func failuresContinue(seed: UInt64) throws {
        var random = SeededRandom(seed: 2_000 + seed)
        let instance = try RolloutTestSupport.randomInstance(&random)
        let scenario = randomScenario(instance.graph, &random)
        let plan = RolloutScheduler(searchTime: nil, searchNodes: 500, improvementMoves: 50).plan(instance.graph, limits: instance.limits)
        let result = try RolloutSimulation.run(plan, scenario: scenario)
        #expect(RolloutTestSupport.violations(result, graph: instance.graph, limits: instance.limits, pauseAll: false) == [])
        let failed = result.runs.filter(\.state.isFailure).map(\.id)
        #expect(Set(failed) == Set(scenario.failures.keys).intersection(result.runs.map(\.id)))
        if failed.isEmpty { #expect(result.outcome == .completed) } else {
            guard case .failed(let reported, let blocked) = result.outcome else {
                Issue.record("expected a failed outcome, got \(result.outcome)")
                return
            }
            #expect(Set(reported) == Set(failed))
            #expect(blocked.allSatisfy { id in !result.runs.contains { $0.id == id } })
        }
        // Every blocked step is announced once, naming a failed step.
        let blockedActions = result.actions.compactMap { timed -> (RolloutStep.ID, RolloutStep.ID)? in
            if case .blocked(let id, let by) = timed.action { return (id, by) } else { return nil }
        }
        #expect(Set(blockedActions.map(\.0)).count == blockedActions.count)
        #expect(blockedActions.allSatisfy { failed.contains($0.1) })
    }

    @Test("pause-all: after the first failure nothing new starts", arguments: 0..<40)
    func failuresPause(seed: UInt64) throws {
        var random = SeededRandom(seed: 3_000 + seed)
        let instance = try RolloutTestSupport.randomInstance(&random)
        let scenario = randomScenario(instance.graph, &random)
        let plan = RolloutScheduler(searchTime: nil, searchNodes: 500, improvementMoves: 50).plan(instance.graph, limits: instance.limits)
        let result = try RolloutSimulation.run(plan, configuration: .init(failurePolicy: .pauseAll), scenario: scenario)
        #expect(RolloutTestSupport.violations(result, graph: instance.graph, limits: instance.limits, pauseAll: true) == [])
        let pauses = result.actions.filter { if case .pause = $0.action { return true } else { return false } }
        let anyFailed = result.runs.contains { $0.state.isFailure }
        #expect(pauses.count == (anyFailed ? 1 : 0))
    }

    /// Actual durations from half to twice the estimate; about one step in eight fails, some
    /// with a rollback.
    private func randomScenario(_ graph: RolloutGraph, _ random: inout SeededRandom) -> RolloutSimulation.Scenario {
        var scenario = RolloutSimulation.Scenario()
        for step in graph.steps {
            let seconds = Int((step.estimate.inWholeSeconds * (0.5 + 1.5 * random.unit())).rounded())
            scenario.durations[step.id] = .seconds(max(1, seconds))
            if random.unit() < 0.125 {
                let rollback: RollbackPolicy = random.unit() < 0.5 ? .rollBack : .leave
                scenario.failures[step.id] = .init(rollback: rollback, rollbackDuration: .seconds(Int(random.next() % 10)),
                    rollbackSucceeds: random.unit() < 0.7)
            }
        }
        return scenario
    }
}

extension Duration {
    /// Whole seconds as a floating-point number (test estimates are whole seconds).
    var inWholeSeconds: Double { Double(components.seconds) }
}
