import HomelabCore

/// Random rollouts for seeded property tests, and the invariants every run must keep.
enum RolloutTestSupport {
    struct Instance {
        var graph: RolloutGraph
        var limits: RolloutLimits
    }

    /// A random DAG: edges only from lower to higher positions, 0–2 of 3 nodes per step, integer
    /// estimates (so ties happen), a random global budget and maybe a node budget.
    static func randomInstance(_ random: inout SeededRandom, maxSteps: Int = 30) throws -> Instance {
        let count = 1 + Int(random.next() % UInt64(maxSteps))
        let density = random.unit() * 0.3
        let nodes = ["n0", "n1", "n2"]
        var steps: [RolloutStep] = []
        var dependsOn: [String: [String]] = [:]
        for i in 0..<count {
            let nodeCount = Int(random.next() % 3)
            let mine = (0..<nodeCount).map { _ in nodes[Int(random.next() % 3)] }
            steps.append(RolloutStep(service: "s\(i)", nodes: mine, estimate: .seconds(1 + Int(random.next() % 20))))
            var deps: [String] = []
            for j in 0..<i where random.unit() < density { deps.append("s\(j)") }
            if !deps.isEmpty { dependsOn["s\(i)"] = deps }
        }
        steps.shuffle(using: &random)
        let budget = 1 + Int(random.next() % 4)
        let nodeBudget: Int? = random.unit() < 0.3 ? nil : 1 + Int(random.next() % 2)
        return Instance(graph: try RolloutGraph(steps: steps, dependsOn: dependsOn),
            limits: try RolloutLimits(budget: budget, nodeBudget: nodeBudget))
    }

    /// What broke in a simulated run, if anything (empty when every invariant holds).
    ///
    /// Checks: dependencies respected; global and node budgets never exceeded; no slot idle while
    /// a ready step fits, at every event time before the first failure when `pauseAll`; every
    /// step downstream of a failure never starts; with continue-independent, every other step runs.
    static func violations(_ result: RolloutSimulation.Result, graph: RolloutGraph, limits: RolloutLimits,
                           pauseAll: Bool) -> [String] {
        var problems: [String] = []
        var run: [Int: RolloutSimulation.Run] = [:]
        for r in result.runs { if let i = graph.index(of: r.id) { run[i] = r } }
        let failed = Set(run.filter { $0.value.state.isFailure }.map(\.key))
        // Downstream of failures.
        var downstream = Set<Int>()
        var stack = Array(failed)
        while let i = stack.popLast() {
            for s in graph.successors[i] where downstream.insert(s).inserted { stack.append(s) }
        }
        for i in downstream where run[i] != nil {
            problems.append("\(graph.steps[i].id) started although a step it depends on failed")
        }
        let firstFailure = failed.compactMap { run[$0]?.end }.min()
        if !pauseAll {
            for i in 0..<graph.count where !downstream.contains(i) && run[i] == nil {
                problems.append("\(graph.steps[i].id) never ran although nothing it depends on failed")
            }
        } else if let firstFailure {
            for r in result.runs where r.start > firstFailure { problems.append("\(r.id) started after a pause-all failure") }
        }
        // Dependencies.
        for (i, r) in run {
            for p in graph.predecessors[i] {
                guard let before = run[p], before.state == .succeeded, before.end <= r.start else {
                    problems.append("\(r.id) started before \(graph.steps[p].id) was done")
                    continue
                }
            }
        }
        // Budgets and idleness at every event time.
        var times = Set<Duration>([.zero])
        for r in result.runs { times.insert(r.start); times.insert(r.end); times.insert(r.released) }
        for t in times.sorted() {
            let holding = run.filter { $0.value.start <= t && t < $0.value.released }.map(\.key)
            var nodeUse: [String: Int] = [:]
            for i in holding { for n in graph.steps[i].nodes { nodeUse[n, default: 0] += 1 } }
            if holding.count > limits.budget { problems.append("\(holding.count) steps at \(t) over budget \(limits.budget)") }
            for (n, used) in nodeUse {
                if let cap = limits.budget(forNode: n), used > cap { problems.append("\(used) steps on \(n) at \(t) over \(cap)") }
            }
            if pauseAll, let firstFailure, t >= firstFailure { continue }
            for i in 0..<graph.count where (run[i].map { $0.start > t } ?? true) {
                let ready = graph.predecessors[i].allSatisfy { p in run[p].map { $0.state == .succeeded && $0.end <= t } ?? false }
                guard ready else { continue }
                let fits = holding.count < limits.budget && graph.steps[i].nodes.allSatisfy { n in
                    limits.budget(forNode: n).map { (nodeUse[n] ?? 0) < $0 } ?? true
                }
                if fits { problems.append("\(graph.steps[i].id) was ready and fit at \(t) but waited") }
            }
        }
        return problems
    }
}
