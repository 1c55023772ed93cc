import HomelabCore
import HomelabTestSupport
import Testing

@Suite("Scheduler and branch and bound against brute force", .cpuBound)
struct OptimalOrderSearchTests {
    /// Every permutation of 0..<n.
    private func permutations(_ n: Int) -> [[Int]] {
        if n == 0 { return [[]] }
        var result: [[Int]] = []
        for rest in permutations(n - 1) {
            for position in 0...rest.count {
                var next = rest
                next.insert(n - 1, at: position)
                result.append(next)
            }
        }
        return result
    }

    /// The best makespan over all priority orders a runner could be given.
    private func bestRunnable(_ instance: RolloutTestSupport.Instance) throws -> Duration {
        var best = Duration.seconds(1_000_000)
        for order in permutations(instance.graph.count) {
            let schedule = try RolloutScheduler.predict(instance.graph, limits: instance.limits,
                order: order.map { instance.graph.steps[$0].id })
            best = min(best, schedule.map(\.end).max() ?? .zero)
        }
        return best
    }

    /// The true optimum: the best serial schedule (each step, in list order, at the earliest time
    /// its dependencies and budgets allow, idle slots permitted) over all dependency-respecting
    /// lists. Every active schedule, hence an optimal one, arises this way.
    private func bestAnySchedule(_ instance: RolloutTestSupport.Instance) -> Int {
        let graph = instance.graph
        let duration = graph.steps.map { Int($0.estimate.components.seconds) }
        var best = Int.max
        for order in permutations(graph.count) {
            var position = [Int](repeating: 0, count: graph.count)
            for (k, i) in order.enumerated() { position[i] = k }
            guard (0..<graph.count).allSatisfy({ i in graph.predecessors[i].allSatisfy { position[$0] < position[i] } }) else {
                continue
            }
            var start = [Int](repeating: 0, count: graph.count)
            var placed: [Int] = []
            for i in order {
                var t = graph.predecessors[i].map { start[$0] + duration[$0] }.max() ?? 0
                while !fits(i, at: t, placed: placed, start: start, duration: duration, instance: instance) { t += 1 }
                start[i] = t
                placed.append(i)
            }
            best = min(best, (0..<graph.count).map { start[$0] + duration[$0] }.max() ?? 0)
        }
        return best
    }

    private func fits(_ i: Int, at t: Int, placed: [Int], start: [Int], duration: [Int],
                      instance: RolloutTestSupport.Instance) -> Bool {
        for x in t..<(t + duration[i]) {
            let running = placed.filter { start[$0] <= x && x < start[$0] + duration[$0] }
            if running.count >= instance.limits.budget { return false }
            for node in instance.graph.steps[i].nodes {
                guard let cap = instance.limits.budget(forNode: node) else { continue }
                if running.filter({ instance.graph.steps[$0].nodes.contains(node) }).count >= cap { return false }
            }
        }
        return true
    }

    @Test("runnable search finds the best order that brute force finds (n ≤ 7)", arguments: 0..<25)
    func runnableOptimum(seed: UInt64) throws {
        var random = SeededRandom(seed: 5_000 + seed)
        let instance = try RolloutTestSupport.randomInstance(&random, maxSteps: 7)
        let result = try OptimalOrderSearch.search(instance.graph, limits: instance.limits, mode: .runnable)
        #expect(result.provenOptimal)
        #expect(result.makespan == (try bestRunnable(instance)))
        #expect(result.bound == result.makespan)
        // The plan reaches it too, and the runner reproduces the plan.
        let plan = RolloutScheduler(searchTime: nil, searchNodes: nil).plan(instance.graph, limits: instance.limits)
        #expect(plan.provenOptimal)
        #expect(plan.makespan == result.makespan)
        #expect(try RolloutSimulation.run(plan).makespan == plan.makespan)
    }

    @Test("exact search finds the true optimum that brute force finds (n ≤ 7)", arguments: 0..<25)
    func trueOptimum(seed: UInt64) throws {
        var random = SeededRandom(seed: 6_000 + seed)
        let instance = try RolloutTestSupport.randomInstance(&random, maxSteps: 7)
        let result = try OptimalOrderSearch.search(instance.graph, limits: instance.limits, mode: .anySchedule)
        #expect(result.provenOptimal)
        #expect(result.makespan == .seconds(bestAnySchedule(instance)))
    }

    @Test("a node budget cut short leaves the best schedule found and a bound below it")
    func budgetCut() throws {
        var random = SeededRandom(seed: 77)
        var instance = try RolloutTestSupport.randomInstance(&random, maxSteps: 40)
        while instance.graph.count < 25 { instance = try RolloutTestSupport.randomInstance(&random, maxSteps: 40) }
        let result = try OptimalOrderSearch.search(instance.graph, limits: instance.limits, mode: .anySchedule, maxNodes: 50)
        #expect(result.nodes <= 50)
        #expect(result.bound <= result.makespan)
        #expect(LowerBound(graph: instance.graph, limits: instance.limits).value <= result.bound)
        #expect(result.schedule.count == instance.graph.count)
    }

    @Test("more than 64 steps is refused")
    func tooLarge() throws {
        let steps = (0..<65).map { RolloutStep(service: "s\($0)", estimate: .seconds(1)) }
        let graph = try RolloutGraph(steps: steps)
        #expect(throws: HomelabError.self) {
            try OptimalOrderSearch.search(graph, limits: try RolloutLimits(budget: 2), mode: .runnable)
        }
    }

    @Test("the worked example plans to its optimum with waves")
    func workedExample() throws {
        let graph = try LowerBoundTests.workedExample()
        let limits = try RolloutLimits(budget: 2)
        let plan = RolloutScheduler(searchTime: nil, searchNodes: nil).plan(graph, limits: limits)
        #expect(plan.provenOptimal)
        #expect(plan.makespan >= plan.lowerBound.value)
        #expect(plan.provenBound == plan.makespan)
        #expect(plan.waves.first?.count == 2)
        #expect(plan.waves.flatMap { $0 } == plan.order)
        #expect(Set(plan.order) == Set(graph.steps.map(\.id)))
    }
}
