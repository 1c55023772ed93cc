import HomelabCore
import HomelabTestSupport
import Testing

@Suite("Lower bound", .cpuBound)
struct LowerBoundTests {
    /// The worked example of the design notes: P = 2, no node limits.
    static func workedExample() throws -> RolloutGraph {
        let durations = ["postgres": 65, "redis": 25, "authentik-server": 95, "authentik-worker": 45,
                         "forgejo": 55, "caddy": 35, "woodpecker": 95]
        let steps = durations.keys.sorted().map { RolloutStep(service: $0, estimate: .seconds(durations[$0] ?? 0)) }
        return try RolloutGraph(steps: steps, dependsOn: [
            "authentik-server": ["postgres", "redis"], "authentik-worker": ["postgres", "redis"],
            "forgejo": ["postgres"], "caddy": ["authentik-server"], "woodpecker": ["forgejo"],
        ])
    }

    @Test("the worked example: critical path 215 binds over work / budget")
    func workedExampleBound() throws {
        let bound = LowerBound(graph: try Self.workedExample(), limits: try RolloutLimits(budget: 2))
        #expect(bound.criticalPath == .seconds(215))
        #expect(bound.totalWork == .seconds(415))
        #expect(bound.workPerBudget == .seconds(207.5))
        #expect(bound.value == .seconds(215))
        #expect(bound.binding == .criticalPath)
        #expect(bound.nodes.isEmpty)
    }

    @Test("the node term adds the node's head and tail")
    func headBodyTail() throws {
        // u (node b) before x, y, z (node a, budget 1), all before v (node b).
        let steps = [
            RolloutStep(service: "u", nodes: ["b"], estimate: .seconds(5)),
            RolloutStep(service: "x", nodes: ["a"], estimate: .seconds(10)),
            RolloutStep(service: "y", nodes: ["a"], estimate: .seconds(10)),
            RolloutStep(service: "z", nodes: ["a"], estimate: .seconds(10)),
            RolloutStep(service: "v", nodes: ["b"], estimate: .seconds(3)),
        ]
        let graph = try RolloutGraph(steps: steps, dependsOn: ["x": ["u"], "y": ["u"], "z": ["u"], "v": ["x", "y", "z"]])
        let limits = try RolloutLimits(budget: 3, nodeBudgets: ["a": 1])
        let bound = LowerBound(graph: graph, limits: limits)
        #expect(bound.nodes.count == 1)
        #expect(bound.nodes.first?.head == .seconds(5))
        #expect(bound.nodes.first?.work == .seconds(30))
        #expect(bound.nodes.first?.tail == .seconds(3))
        #expect(bound.value == .seconds(38))
        #expect(bound.binding == .node("a"))
        // And the bound is met.
        let plan = RolloutScheduler().plan(graph, limits: limits)
        #expect(plan.makespan == .seconds(38))
        #expect(plan.provenOptimal)
    }

    @Test("the bound equals the optimum on simple cases", arguments: [
        // A chain: the critical path.
        ([("a", 5, [String]()), ("b", 7, ["a"]), ("c", 3, ["b"])], 2, 15),
        // Equal independent steps: work over budget.
        ([("a", 10, [String]()), ("b", 10, []), ("c", 10, []), ("d", 10, [])], 2, 20),
        // One long step beside short ones.
        ([("a", 30, [String]()), ("b", 10, []), ("c", 10, []), ("d", 10, [])], 2, 30),
    ])
    func exactCases(steps: [(String, Int, [String])], budget: Int, optimum: Int) throws {
        let graph = try RolloutGraph(steps: steps.map { RolloutStep(service: $0.0, estimate: .seconds($0.1)) },
            dependsOn: Dictionary(uniqueKeysWithValues: steps.map { ($0.0, $0.2) }))
        let limits = try RolloutLimits(budget: budget)
        #expect(LowerBound(graph: graph, limits: limits).value == .seconds(optimum))
        #expect(RolloutScheduler().plan(graph, limits: limits).makespan == .seconds(optimum))
    }

    @Test("the bound never exceeds a makespan", arguments: 0..<40)
    func neverAbove(seed: UInt64) throws {
        var random = SeededRandom(seed: 4_000 + seed)
        let instance = try RolloutTestSupport.randomInstance(&random, maxSteps: 12)
        let exact = try OptimalOrderSearch.search(instance.graph, limits: instance.limits, mode: .anySchedule,
            maxNodes: 20_000)
        let bound = LowerBound(graph: instance.graph, limits: instance.limits).value
        #expect(bound <= exact.bound)
        #expect(exact.bound <= exact.makespan)
        for baseline in [RolloutBaselines.tierBarriers(instance.graph, limits: instance.limits),
                         RolloutBaselines.oneAtATime(instance.graph)] {
            #expect(bound <= baseline.makespan)
        }
    }
}
