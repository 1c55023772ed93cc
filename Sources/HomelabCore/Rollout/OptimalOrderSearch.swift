/// Branch and bound for the best schedule of a small rollout (at most 64 steps), within a
/// time or node budget, keeping the best schedule found and a proven bound.
///
/// ``RolloutScheduler`` uses the `runnable` mode for rollouts of homelab size; the benchmark uses
/// `anySchedule` as its oracle for the true optimum.
public enum OptimalOrderSearch {
    /// Which schedules the search ranges over.
    public enum Mode: Hashable, Sendable {
        /// Schedules a runner that never leaves a slot idle while a ready step fits can follow
        /// (non-delay list schedules).
        case runnable
        /// Every schedule, including those that hold a slot idle on purpose for a later, more
        /// critical step: the true optimum.
        case anySchedule
    }

    /// What the search found.
    public struct Result: Hashable, Sendable {
        /// The best schedule found, in start order.
        public var schedule: [RolloutPlan.Entry]
        /// Its step order.
        public var order: [RolloutStep.ID]
        /// Its makespan.
        public var makespan: Duration
        /// Whether the search finished: no schedule of the mode beats `makespan`.
        public var provenOptimal: Bool
        /// A proven lower bound on the best makespan of the mode; `makespan` when proven.
        public var bound: Duration
        /// Search nodes visited.
        public var nodes: Int
    }

    /// Searches `graph` under `limits`, starting from the best list schedule.
    ///
    /// Stops at `deadline` or after `maxNodes` nodes; with neither it runs to the end, which can
    /// take very long beyond about 20 steps.
    ///
    /// - Throws: `HomelabError` `.invalidArgument` for more than 64 steps.
    public static func search(_ graph: RolloutGraph, limits: RolloutLimits, mode: Mode,
                              deadline: ContinuousClock.Instant? = nil,
                              maxNodes: Int? = nil) throws(HomelabError) -> Result {
        guard graph.count <= 64 else {
            throw HomelabError(.invalidArgument,
                "the exact search handles at most 64 steps, this rollout has \(graph.count)", component: "rollout")
        }
        let model = RolloutModel(graph: graph, limits: limits)
        let incumbent = RolloutScheduler().heuristicSchedule(model)
        var search = BranchAndBound(model: model, mode: mode == .runnable ? .nonDelay : .active,
            incumbent: incumbent.start)
        let outcome = search.run(limit: .init(deadline: deadline, maxNodes: maxNodes), rootBound: LowerBound.value(model))
        let schedule = RolloutScheduler.order(outcome.start).map { i in
            RolloutPlan.Entry(id: graph.steps[i].id, start: .seconds(outcome.start[i]),
                end: .seconds(outcome.start[i] + model.duration[i]))
        }
        return Result(schedule: schedule, order: schedule.map(\.id), makespan: .seconds(outcome.makespan),
            provenOptimal: outcome.proven, bound: .seconds(outcome.bound), nodes: outcome.nodes)
    }
}
