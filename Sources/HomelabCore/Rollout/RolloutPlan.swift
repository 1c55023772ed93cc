/// What a rollout will do: the order the runner follows, the predicted schedule and how good it is.
public struct RolloutPlan: Hashable, Sendable {
    /// One step's predicted run, from the start of the rollout.
    public struct Entry: Hashable, Sendable {
        /// The step.
        public var id: RolloutStep.ID
        /// When it is predicted to start.
        public var start: Duration
        /// When it is predicted to be done.
        public var end: Duration
    }

    /// How the order was found.
    public enum Method: Hashable, Sendable {
        /// The best of several list-scheduling priority rules with forward–backward improvement.
        case listScheduling
        /// Branch and bound over the orders a runner can follow, seeded by list scheduling.
        case search(nodes: Int)
    }

    /// The steps and their dependencies.
    public var graph: RolloutGraph
    /// The budgets.
    public var limits: RolloutLimits
    /// Priority order for the runner: when slots free up, it starts the first ready steps of
    /// this list that fit. With estimates that hold, that reproduces `schedule` exactly.
    public var order: [RolloutStep.ID]
    /// The predicted schedule, in start order.
    public var schedule: [Entry]
    /// When the last step is predicted to be done.
    public var makespan: Duration
    /// The floor no schedule can beat, with its breakdown.
    public var lowerBound: LowerBound
    /// How the order was found.
    public var method: Method
    /// Whether the search proved that no order the runner can follow finishes sooner (with the
    /// estimates as given). An optimum that needs deliberately idle slots is out of reach by design.
    public var provenOptimal: Bool
    /// A proven floor under the makespan of every order the runner can follow: at least
    /// `lowerBound.value`, and `makespan` when `provenOptimal`.
    public var provenBound: Duration

    /// The steps grouped by predicted start time: each wave starts together.
    public var waves: [[RolloutStep.ID]] {
        var result: [[RolloutStep.ID]] = []
        var current: Duration?
        for entry in schedule {
            if entry.start == current, !result.isEmpty {
                result[result.count - 1].append(entry.id)
            } else {
                result.append([entry.id])
                current = entry.start
            }
        }
        return result
    }

    /// `makespan / lowerBound.value`: 1 means no schedule can be faster.
    public var ratioToLowerBound: Double {
        let floor = lowerBound.value.seconds
        return floor > 0 ? makespan.seconds / floor : 1
    }
}
