import HomelabCore

/// A reference that may leave slots idle on purpose: the serial schedule generation scheme
/// (each step, in list order, at the earliest whole second its dependencies and budgets allow,
/// possibly before steps listed earlier) with forward–backward passes, from the critical-path
/// order. Not something the runner can follow; it shows what the never-idle rule costs.
/// Needs whole-second estimates (the benchmark's are).
enum SerialReference {
    static func makespan(_ graph: RolloutGraph, limits: RolloutLimits, passes: Int = 4) -> Int {
        let count = graph.count
        let duration = graph.steps.map { Int($0.estimate.components.seconds) }
        var nodeIndex: [String: Int] = [:]
        var caps: [Int] = []
        var nodesOf: [[Int]] = []
        for step in graph.steps {
            var mine: [Int] = []
            for node in step.nodes {
                guard let cap = limits.budget(forNode: node) else { continue }
                if nodeIndex[node] == nil { nodeIndex[node] = caps.count; caps.append(cap) }
                if let n = nodeIndex[node] { mine.append(n) }
            }
            nodesOf.append(mine)
        }
        let horizon = duration.reduce(0, +) + 1
        var level = [Int](repeating: 0, count: count)
        for i in stride(from: count - 1, through: 0, by: -1) {
            level[i] = duration[i] + (graph.successors[i].map { level[$0] }.max() ?? 0)
        }
        var order = (0..<count).sorted { level[$0] > level[$1] || (level[$0] == level[$1] && $0 < $1) }
        var best = Int.max
        for pass in 0..<(2 * passes + 1) {
            let reversed = pass % 2 == 1
            let before = reversed ? graph.successors : graph.predecessors
            var global = [Int](repeating: 0, count: horizon + 1)
            var node = [[Int]](repeating: [Int](repeating: 0, count: horizon + 1), count: caps.count)
            var start = [Int](repeating: 0, count: count)
            for i in order {
                var t = before[i].map { start[$0] + duration[$0] }.max() ?? 0
                var x = t
                while x < t + duration[i] {
                    if global[x] >= limits.budget || nodesOf[i].contains(where: { node[$0][x] >= caps[$0] }) {
                        t = x + 1
                    }
                    x += 1
                }
                start[i] = t
                for x in t..<(t + duration[i]) {
                    global[x] += 1
                    for n in nodesOf[i] { node[n][x] += 1 }
                }
            }
            let end = (0..<count).map { start[$0] + duration[$0] }
            let makespan = end.max() ?? 0
            if !reversed { best = min(best, makespan) }
            // Next pass: the mirror, latest-finishing first.
            order = (0..<count).sorted { end[$0] > end[$1] || (end[$0] == end[$1] && $0 < $1) }
        }
        return best
    }
}
