/// What the tools homelabs use today would do with the same rollout, for comparison.
///
/// Each baseline respects the same budgets (they stand for physical limits such as image pulls
/// per node); they differ in how they order steps. Times come from the estimates.
public enum RolloutBaselines {
    /// A baseline's schedule.
    public struct Result: Hashable, Sendable {
        /// When the last step is done.
        public var makespan: Duration
        /// Dependencies broken: a step started before a step it depends on was done.
        public var dependencyViolations: Int
        /// The schedule, in start order.
        public var schedule: [RolloutPlan.Entry]
    }

    /// `docker stack deploy`: every step is released at once and dependencies are ignored; steps
    /// start in order of id as slots allow.
    public static func allAtOnce(_ graph: RolloutGraph, limits: RolloutLimits) -> Result {
        let model = RolloutModel(graph: graph, limits: limits).keepingDependencies { _, _ in false }
        return result(graph, model: model, key: alphabetical(graph))
    }

    /// Komodo-style stages: steps are grouped by depth (a step's stage is one more than its
    /// deepest dependency's), each stage starts when the previous one is done, and within a stage
    /// steps start in order of id as slots allow.
    public static func tierBarriers(_ graph: RolloutGraph, limits: RolloutLimits) -> Result {
        let full = RolloutModel(graph: graph, limits: limits)
        var depth = [Int](repeating: 0, count: graph.count)
        for i in 0..<graph.count {
            for p in graph.predecessors[i] { depth[i] = max(depth[i], depth[p] + 1) }
        }
        let stages = (depth.max() ?? -1) + 1
        let key = alphabetical(graph)
        var start = [Double](repeating: 0, count: graph.count)
        var offset = 0.0
        let independent = full.keepingDependencies { _, _ in false }
        for stage in 0..<stages {
            let schedule = ListSchedule(model: independent, key: key, only: { depth[$0] == stage })
            var end = offset
            for i in 0..<graph.count where depth[i] == stage {
                start[i] = offset + schedule.start[i]
                end = max(end, start[i] + full.duration[i])
            }
            offset = end
        }
        return result(graph, model: full, start: start)
    }

    /// Shepherd: one step at a time, in order of id, dependencies ignored.
    public static func oneAtATime(_ graph: RolloutGraph) -> Result {
        let durations = graph.steps.map { $0.estimate.seconds }
        var start = [Double](repeating: 0, count: graph.count)
        var now = 0.0
        for i in graph.steps.indices.sorted(by: { graph.steps[$0].id < graph.steps[$1].id }) {
            start[i] = now
            now += durations[i]
        }
        let limits: RolloutLimits
        do { limits = try RolloutLimits(budget: 1) } catch { return Result(makespan: .zero, dependencyViolations: 0, schedule: []) }
        return result(graph, model: RolloutModel(graph: graph, limits: limits), start: start)
    }

    /// Priority keys that put steps in order of id.
    private static func alphabetical(_ graph: RolloutGraph) -> [Double] {
        let order = graph.steps.indices.sorted { graph.steps[$0].id < graph.steps[$1].id }
        return ListSchedule.keys(following: order, count: graph.count)
    }

    private static func result(_ graph: RolloutGraph, model: RolloutModel, key: [Double]) -> Result {
        result(graph, model: model, start: ListSchedule(model: model, key: key).start)
    }

    private static func result(_ graph: RolloutGraph, model: RolloutModel, start: [Double]) -> Result {
        var violations = 0
        var makespan = 0.0
        for i in 0..<graph.count {
            makespan = max(makespan, start[i] + model.duration[i])
            for p in graph.predecessors[i] where start[i] < start[p] + model.duration[p] { violations += 1 }
        }
        let schedule = RolloutScheduler.order(start).map { i in
            RolloutPlan.Entry(id: graph.steps[i].id, start: .seconds(start[i]), end: .seconds(start[i] + model.duration[i]))
        }
        return Result(makespan: .seconds(makespan), dependencyViolations: violations, schedule: schedule)
    }
}
