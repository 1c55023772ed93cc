/// Plans a rollout: finds the order in which to start steps so that the rollout ends early.
///
/// Every candidate order is judged by the schedule the runner would produce from it (a
/// non-delay list schedule: no budget slot stays idle while a ready step fits). Priorities weigh
/// both the critical path and the work waiting on each node; the best of several rules is
/// improved by forward–backward passes. Rollouts of up to `exactSearchLimit` steps are then
/// searched by branch and bound within a budget of explored nodes, keeping the best order found.
///
/// The defaults are deterministic: the same inputs give the same plan on any machine and under any
/// load, so the plan `homelab rollout plan` prints is the plan `rollout apply` runs. A wall-clock
/// ``searchTime`` is available for experiments but breaks that promise.
public struct RolloutScheduler: Sendable {
    /// Rollouts with at most this many steps (and at most 64) get the branch-and-bound search.
    public var exactSearchLimit: Int
    /// Wall-clock budget of the search; `nil` (the default) for none. A time budget makes the plan
    /// depend on the machine's speed and load: leave it `nil` where a printed plan must be the one run.
    public var searchTime: Duration?
    /// Node budget of the search (deterministic, unlike time); `nil` for none.
    public var searchNodes: Int?

    /// The default node budget: a fraction of a second of search in a release build on a small machine (the
    /// benchmarks explore 300,000 nodes in a few seconds); 100,000 nodes took 16 s in a loaded debug build.
    public static let defaultSearchNodes = 20_000
    /// Forward–backward passes per priority rule, stopping early when a pass does not help;
    /// `nil` chooses by size: 4, or 1 beyond 5,000 steps.
    public var improvementPasses: Int?
    /// Local-search moves after the priority rules; `nil` chooses by size: 3,000 up to 1,000
    /// steps, 300 up to 5,000, none beyond (planning 10,000 steps stays well under a second).
    public var improvementMoves: Int?

    /// A scheduler; the defaults suit a homelab (search up to 30 steps, at most
    /// ``defaultSearchNodes`` nodes, no time budget).
    public init(exactSearchLimit: Int = 30, searchTime: Duration? = nil, searchNodes: Int? = RolloutScheduler.defaultSearchNodes,
                improvementPasses: Int? = nil, improvementMoves: Int? = nil) {
        self.exactSearchLimit = exactSearchLimit
        self.searchTime = searchTime
        self.searchNodes = searchNodes
        self.improvementPasses = improvementPasses
        self.improvementMoves = improvementMoves
    }

    /// Plans `graph` under `limits`.
    ///
    /// The local search and then the branch and bound stop at the earlier of `searchTime` from
    /// now and `deadline`; the search also stops after `searchNodes` nodes. With neither a time
    /// nor a node budget it runs until it proves the optimum, which can take very long beyond
    /// about 20 steps.
    public func plan(_ graph: RolloutGraph, limits: RolloutLimits,
                     deadline: ContinuousClock.Instant? = nil) -> RolloutPlan {
        var end = deadline
        if let searchTime {
            let timeEnd = ContinuousClock.now + searchTime
            end = end.map { min($0, timeEnd) } ?? timeEnd
        }
        let model = RolloutModel(graph: graph, limits: limits)
        let floor = LowerBound.value(model)
        var best = heuristicSchedule(model, deadline: end)
        var method = RolloutPlan.Method.listScheduling
        var proven = best.makespan <= floor * (1 + 1e-9)
        var provenBound = floor
        if !proven && model.count <= min(exactSearchLimit, 64) {
            var search = BranchAndBound(model: model, mode: .nonDelay, incumbent: best.start)
            let outcome = search.run(limit: .init(deadline: end, maxNodes: searchNodes), rootBound: floor)
            if outcome.makespan < best.makespan {
                best = ListSchedule(model: model, key: ListSchedule.keys(following: Self.order(outcome.start), count: model.count))
            }
            method = .search(nodes: outcome.nodes)
            proven = outcome.proven
            provenBound = max(floor, outcome.bound)
        }
        if proven { provenBound = best.makespan }
        let schedule = best.order.map { i in
            RolloutPlan.Entry(id: graph.steps[i].id, start: .seconds(best.start[i]),
                end: .seconds(best.start[i] + model.duration[i]))
        }
        return RolloutPlan(
            graph: graph, limits: limits, order: schedule.map(\.id), schedule: schedule,
            makespan: .seconds(best.makespan), lowerBound: LowerBound(graph: graph, limits: limits),
            method: method, provenOptimal: proven, provenBound: .seconds(provenBound))
    }

    /// The best list schedule over the priority rules, each improved by forward–backward passes.
    func heuristicSchedule(_ model: RolloutModel, deadline: ContinuousClock.Instant? = nil) -> ListSchedule {
        let level = SchedulingPriorities.bottomLevel(model)
        var rules = [level]
        if !model.nodeBudget.isEmpty { rules.append(SchedulingPriorities.nodeAware(model, level: level)) }
        rules.append(SchedulingPriorities.nodeAware(model, level: level, globalWeight: 1))
        var best: ListSchedule?
        for key in rules {
            var current = ListSchedule(model: model, key: key)
            for _ in 0..<(improvementPasses ?? (model.count <= 5_000 ? 4 : 1)) {
                let next = SchedulingPriorities.justified(model, from: current)
                if next.makespan >= current.makespan { break }
                current = next
            }
            if best.map({ current.makespan < $0.makespan }) ?? true { best = current }
        }
        let initial = best ?? ListSchedule(model: model, key: level)
        let floor = LowerBound.value(model)
        if initial.makespan <= floor * (1 + 1e-9) { return initial }
        let moves = improvementMoves ?? (model.count <= 1_000 ? 3_000 : model.count <= 5_000 ? 300 : 0)
        var random = SeededRandom(seed: UInt64(model.count) &* 0x9E37_79B9_7F4A_7C15)
        return ScheduleImprovement.improve(model, from: initial, iterations: moves, floor: floor,
            deadline: deadline, random: &random)
    }

    /// The steps sorted by start time, then index.
    static func order(_ start: [Double]) -> [Int] {
        start.indices.sorted { start[$0] < start[$1] || (start[$0] == start[$1] && $0 < $1) }
    }

    /// The schedule a runner produces from `order` when every estimate holds.
    ///
    /// - Throws: `HomelabError` `.invalidArgument` when `order` names an unknown step or a step
    ///   twice. Steps missing from `order` come last, in graph order.
    public static func predict(_ graph: RolloutGraph, limits: RolloutLimits,
                               order: [RolloutStep.ID]) throws(HomelabError) -> [RolloutPlan.Entry] {
        let model = RolloutModel(graph: graph, limits: limits)
        let positions = try RolloutOrder.positions(of: order, in: graph)
        let schedule = ListSchedule(model: model, key: ListSchedule.keys(following: positions, count: model.count))
        return schedule.order.map { i in
            RolloutPlan.Entry(id: graph.steps[i].id, start: .seconds(schedule.start[i]),
                end: .seconds(schedule.start[i] + model.duration[i]))
        }
    }
}

/// Turning a list of step ids into a complete priority order.
enum RolloutOrder {
    /// Step indices in `order`, then the steps it leaves out in graph order.
    static func positions(of order: [RolloutStep.ID], in graph: RolloutGraph) throws(HomelabError) -> [Int] {
        var seen = [Bool](repeating: false, count: graph.count)
        var result: [Int] = []
        result.reserveCapacity(graph.count)
        for id in order {
            guard let i = graph.index(of: id) else {
                throw HomelabError(.invalidArgument, "the order names unknown step \(id)", component: "rollout")
            }
            if seen[i] {
                throw HomelabError(.invalidArgument, "the order names step \(id) twice", component: "rollout")
            }
            seen[i] = true
            result.append(i)
        }
        for i in 0..<graph.count where !seen[i] { result.append(i) }
        return result
    }
}
