import HomelabCore

/// A stronger lower bound by destructive improvement: a makespan T is refuted when heads, tails
/// and budgets cannot all fit before T. For each pair of steps sharing a budget-1 node, an order
/// whose head + both durations + tail exceeds T is impossible; if both orders are, T is
/// infeasible; if one is, it becomes a new dependency and heads and tails are propagated again.
/// Then every budget is checked with the propagated heads and tails: a budget-1 node by Jackson's
/// preemptive schedule (the exact one-machine relaxation), other budgets by the head–body–tail
/// bound over every subset cut by head and by tail (the global budget only up to 300 steps).
/// The bound is the smallest whole second that is not refuted, at least the lower bound's own
/// value. Needs whole-second estimates.
enum DisjunctiveBound {
    static func value(_ graph: RolloutGraph, limits: RolloutLimits, upper: Int) -> Int {
        let floor = Int(LowerBound(graph: graph, limits: limits).value.seconds.rounded(.up))
        var stepsOfNode: [String: [Int]] = [:]
        for (i, step) in graph.steps.enumerated() {
            for node in step.nodes where limits.budget(forNode: node) != nil { stepsOfNode[node, default: []].append(i) }
        }
        var resources: [(steps: [Int], capacity: Int)] = stepsOfNode.keys.sorted().compactMap { node in
            guard let steps = stepsOfNode[node], let capacity = limits.budget(forNode: node) else { return nil }
            return (steps, capacity)
        }
        let groups = resources.filter { $0.capacity == 1 && $0.steps.count > 1 }.map(\.steps)
        if graph.count <= 300 { resources.append((Array(0..<graph.count), limits.budget)) }
        if floor >= upper { return floor }
        var low = floor
        var high = upper
        while low < high {
            let middle = (low + high) / 2
            if refuted(graph, groups: groups, resources: resources, limit: middle) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Whether no schedule ends by `limit`.
    private static func refuted(_ graph: RolloutGraph, groups: [[Int]], resources: [(steps: [Int], capacity: Int)],
                                limit: Int) -> Bool {
        let count = graph.count
        let duration = graph.steps.map { Int($0.estimate.components.seconds) }
        var after = graph.successors
        var before = graph.predecessors
        var head = [Int](repeating: 0, count: count)
        var tail = [Int](repeating: 0, count: count)
        for i in 0..<count { for p in before[i] { head[i] = max(head[i], head[p] + duration[p]) } }
        for i in stride(from: count - 1, through: 0, by: -1) {
            for s in after[i] { tail[i] = max(tail[i], tail[s] + duration[s]) }
        }
        func propagate(from changedHeads: [Int], _ changedTails: [Int]) -> Bool {
            var work = changedHeads
            while let i = work.popLast() {
                if head[i] + duration[i] + tail[i] > limit { return false }
                for s in after[i] where head[s] < head[i] + duration[i] {
                    head[s] = head[i] + duration[i]
                    work.append(s)
                }
            }
            work = changedTails
            while let i = work.popLast() {
                if head[i] + duration[i] + tail[i] > limit { return false }
                for p in before[i] where tail[p] < tail[i] + duration[i] {
                    tail[p] = tail[i] + duration[i]
                    work.append(p)
                }
            }
            return true
        }
        if !propagate(from: Array(0..<count), Array(0..<count)) { return true }
        var ordered = Set<Int>()
        var changed = true
        while changed {
            changed = false
            for group in groups {
                for a in 0..<group.count {
                    for b in (a + 1)..<group.count {
                        let i = group[a], j = group[b]
                        if ordered.contains(i * count + j) || ordered.contains(j * count + i) { continue }
                        let iFirst = head[i] + duration[i] + duration[j] + tail[j] <= limit
                        let jFirst = head[j] + duration[j] + duration[i] + tail[i] <= limit
                        if !iFirst && !jFirst { return true }
                        if iFirst && jFirst { continue }
                        let (x, y) = iFirst ? (i, j) : (j, i)
                        ordered.insert(x * count + y)
                        after[x].append(y)
                        before[y].append(x)
                        var heads: [Int] = []
                        var tails: [Int] = []
                        if head[y] < head[x] + duration[x] { head[y] = head[x] + duration[x]; heads.append(y) }
                        if tail[x] < tail[y] + duration[y] { tail[x] = tail[y] + duration[y]; tails.append(x) }
                        if !propagate(from: heads, tails) { return true }
                        changed = true
                    }
                }
            }
        }
        for resource in resources {
            let bound = resource.capacity == 1
                ? jackson(resource.steps, head: head, duration: duration, tail: tail)
                : subsets(resource.steps, capacity: resource.capacity, head: head, duration: duration, tail: tail)
            if bound > Double(limit) + 1e-9 { return true }
        }
        return false
    }

    /// The makespan of Jackson's preemptive schedule: release at head, longest tail first.
    private static func jackson(_ steps: [Int], head: [Int], duration: [Int], tail: [Int]) -> Double {
        let byRelease = steps.sorted { head[$0] < head[$1] }
        var remaining: [Int: Int] = [:]
        var next = 0
        var time = 0
        var result = 0
        var ready: [Int] = []
        while next < byRelease.count || !ready.isEmpty {
            if ready.isEmpty { time = max(time, head[byRelease[next]]) }
            while next < byRelease.count && head[byRelease[next]] <= time {
                ready.append(byRelease[next])
                remaining[byRelease[next]] = duration[byRelease[next]]
                next += 1
            }
            guard let pick = ready.indices.max(by: { tail[ready[$0]] < tail[ready[$1]] }) else { continue }
            let job = ready[pick]
            let left = remaining[job] ?? 0
            let until = next < byRelease.count ? min(time + left, head[byRelease[next]]) : time + left
            remaining[job] = left - (until - time)
            time = until
            if remaining[job] == 0 {
                ready.remove(at: pick)
                result = max(result, time + tail[job])
            }
        }
        return Double(result)
    }

    /// The head–body–tail bound over subsets cut by head and then by tail.
    private static func subsets(_ steps: [Int], capacity: Int, head: [Int], duration: [Int], tail: [Int]) -> Double {
        var result = 0.0
        let byHead = steps.sorted { head[$0] > head[$1] }
        var members: [Int] = []  // sorted by tail, longest first
        for i in byHead {
            let position = members.firstIndex { tail[$0] < tail[i] } ?? members.count
            members.insert(i, at: position)
            var work = 0
            for j in members {
                work += duration[j]
                result = max(result, Double(head[i]) + Double(work) / Double(capacity) + Double(tail[j]))
            }
        }
        return result
    }
}
