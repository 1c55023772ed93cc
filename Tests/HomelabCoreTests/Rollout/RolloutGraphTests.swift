import HomelabCore
import Testing

@Suite("Rollout graph and dependencies")
struct RolloutGraphTests {
    private func step(_ name: String, _ seconds: Int = 10, on nodes: [String] = []) -> RolloutStep {
        RolloutStep(service: name, nodes: nodes, estimate: .seconds(seconds))
    }

    @Test("a cycle is rejected with the cycle printed")
    func cycleRejected() {
        #expect {
            try RolloutGraph(steps: [step("a"), step("b"), step("c")], dependsOn: ["a": ["b"], "b": ["c"], "c": ["a"]])
        } throws: { error in
            guard let error = error as? HomelabError else { return false }
            return error.code == .invalidArgument && error.message.contains("dependency cycle: a -> b -> c -> a")
        }
    }

    @Test("a cycle through a service outside the rollout is still a cycle")
    func cycleThroughOtherService() {
        var dependencies = RolloutDependencies()
        dependencies.add("web", dependsOn: ["api"])
        dependencies.addLabel(service: "api", value: "web")
        #expect(dependencies.cycle() == ["api", "web", "api"])
        #expect(throws: HomelabError.self) { try RolloutGraph(steps: [step("web")], dependencies: dependencies) }
    }

    @Test("a service depending on itself is a cycle")
    func selfCycle() {
        var dependencies = RolloutDependencies()
        dependencies.addLabel(service: "a", value: "a")
        #expect(dependencies.cycle() == ["a", "a"])
    }

    @Test("steps come in a stable topological order")
    func topologicalOrder() throws {
        let graph = try RolloutGraph(steps: [step("web"), step("db"), step("cache"), step("proxy")],
            dependsOn: ["web": ["db", "cache"], "proxy": ["web"]])
        #expect(graph.steps.map(\.id) == ["db", "cache", "web", "proxy"])
        #expect(graph.predecessors[graph.index(of: "web") ?? -1].map { graph.steps[$0].id } == ["db", "cache"])
        #expect(graph.successors[graph.index(of: "web") ?? -1].map { graph.steps[$0].id } == ["proxy"])
        #expect(graph.edgeCount == 3)
    }

    @Test("dependencies through services outside the rollout are kept")
    func contraction() throws {
        var dependencies = RolloutDependencies()
        dependencies.add("web", dependsOn: ["api"])
        dependencies.add("api", dependsOn: ["db"])
        let graph = try RolloutGraph(steps: [step("web"), step("db")], dependencies: dependencies)
        #expect(graph.steps.map(\.id) == ["db", "web"])
        #expect(graph.predecessors[1] == [0])
    }

    @Test("tiers, compose depends_on and labels all feed the graph")
    func sources() throws {
        var dependencies = RolloutDependencies()
        dependencies.addTiers([["caddy", "op-connect"], ["postgres"], ["authentik"]])
        dependencies.add("forgejo", dependsOn: ["postgres"])
        dependencies.addLabels(service: "woodpecker", labels: [RolloutDependencies.labelKey: "forgejo, postgres", "x": "y"])
        #expect(dependencies.dependencies["postgres"] == ["caddy", "op-connect"])
        #expect(dependencies.dependencies["authentik"] == ["postgres"])
        #expect(dependencies.dependencies["woodpecker"] == ["forgejo", "postgres"])
        #expect(RolloutDependencies.parseLabel(" a,b  c,,") == ["a", "b", "c"])
        let graph = try RolloutGraph(
            steps: ["woodpecker", "authentik", "forgejo", "postgres", "caddy"].map { step($0) }, dependencies: dependencies)
        #expect(graph.steps.map(\.id) == ["caddy", "postgres", "authentik", "forgejo", "woodpecker"])
    }

    @Test("bad steps are rejected", arguments: [
        ([RolloutStep(service: "a", estimate: .seconds(1)), RolloutStep(service: "a", estimate: .seconds(2))], [:]),
        ([RolloutStep(service: "a", estimate: .seconds(-1))], [:]),
        ([RolloutStep(service: "a", estimate: .seconds(1))], ["a": ["ghost"]]),
        ([RolloutStep(service: "a", estimate: .seconds(1))], ["ghost": ["a"]]),
    ] as [([RolloutStep], [String: [String]])])
    func badSteps(steps: [RolloutStep], dependsOn: [String: [String]]) {
        #expect(throws: HomelabError.self) { try RolloutGraph(steps: steps, dependsOn: dependsOn) }
    }

    @Test("limits below 1 are rejected")
    func limits() throws {
        #expect(throws: HomelabError.self) { try RolloutLimits(budget: 0) }
        #expect(throws: HomelabError.self) { try RolloutLimits(budget: 2, nodeBudget: 0) }
        #expect(throws: HomelabError.self) { try RolloutLimits(budget: 2, nodeBudgets: ["barbary": 0]) }
        let limits = try RolloutLimits(budget: 4, nodeBudget: 2, nodeBudgets: ["barbary": 1])
        #expect(limits.budget(forNode: "barbary") == 1)
        #expect(limits.budget(forNode: "ching") == 2)
    }

    @Test("a service's duration follows its UpdateConfig", arguments: [
        // replicas, task s, parallelism, delay s, monitor s, expected s
        (3, 10, 1, 0, 5, 35),  // three rounds of 10 s, then the 5 s monitor window
        (3, 10, 2, 0, 5, 25),  // two rounds
        (3, 10, 0, 0, 5, 15),  // parallelism 0: all at once
        (2, 10, 1, 10, 5, 51),  // delay after each task; delay ≥ monitor: window is delay + 1 s
        (0, 10, 1, 0, 5, 0),
    ])
    func updateTiming(replicas: Int, task: Int, parallelism: Int, delay: Int, monitor: Int, expected: Int) throws {
        let timing = ServiceUpdateTiming(parallelism: parallelism, delay: .seconds(delay), monitor: .seconds(monitor))
        #expect(try timing.estimatedDuration(replicas: replicas, taskDuration: .seconds(task)) == .seconds(expected))
    }
}
