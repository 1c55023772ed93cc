/// Priority rules for list scheduling a rollout, higher keys first.
enum SchedulingPriorities {
    /// Longest path to a sink, including the step itself (HEFT's upward rank without
    /// communication costs: critical path first).
    static func bottomLevel(_ model: RolloutModel) -> [Double] {
        var level = [Double](repeating: 0, count: model.count)
        for i in stride(from: model.count - 1, through: 0, by: -1) {
            var best = 0.0
            for s in model.successors[i] { best = max(best, level[s]) }
            level[i] = model.duration[i] + best
        }
        return level
    }

    /// Critical path blended with the work waiting on each node.
    ///
    /// A step's key is the larger of its longest path to a sink and its node's backlog: the work
    /// on the same node that comes at or after it in critical-path order, over the node budget,
    /// plus the shortest tail among that work. Keys propagate up the dependencies (a step's key is
    /// at least its duration plus any successor's key), so the steps that feed a busy node move
    /// forward too. With no node budgets this is the critical path. `globalWeight` adds the same
    /// backlog term for the global budget, scaled.
    static func nodeAware(_ model: RolloutModel, level: [Double], globalWeight: Double = 0) -> [Double] {
        let count = model.count
        var backlog = [Double](repeating: 0, count: count)
        let tail = model.tails()
        var stepsOfNode = [[Int]](repeating: [], count: model.nodeBudget.count)
        for i in 0..<count { for n in model.nodesOf[i] { stepsOfNode[n].append(i) } }
        for (node, steps) in stepsOfNode.enumerated() {
            let ordered = steps.sorted { level[$0] < level[$1] || (level[$0] == level[$1] && $0 > $1) }
            var work = 0.0
            var shortestTail = Double.infinity
            for i in ordered {
                work += model.duration[i]
                shortestTail = min(shortestTail, tail[i])
                backlog[i] = max(backlog[i], work / Double(model.nodeBudget[node]) + shortestTail)
            }
        }
        if globalWeight > 0 {
            let ordered = (0..<count).sorted { level[$0] < level[$1] || (level[$0] == level[$1] && $0 > $1) }
            var work = 0.0
            for i in ordered {
                work += model.duration[i]
                backlog[i] = max(backlog[i], globalWeight * work / Double(model.budget))
            }
        }
        var key = [Double](repeating: 0, count: count)
        for i in stride(from: count - 1, through: 0, by: -1) {
            var best = 0.0
            for s in model.successors[i] { best = max(best, key[s]) }
            key[i] = max(model.duration[i] + best, backlog[i])
        }
        return key
    }

    /// The forward–backward improvement (justification): schedule the mirrored problem with the
    /// steps that finish last first, then the forward problem with the steps that start last in
    /// the mirror first. Returns the forward schedule.
    static func justified(_ model: RolloutModel, from schedule: ListSchedule) -> ListSchedule {
        let forwardFinish = (0..<model.count).map { schedule.start[$0] + model.duration[$0] }
        let backward = ListSchedule(model: model, key: forwardFinish, reversed: true)
        let backwardFinish = (0..<model.count).map { backward.start[$0] + model.duration[$0] }
        return ListSchedule(model: model, key: backwardFinish)
    }
}
