/// One unit of a rollout: the update of one service, which occupies the nodes its tasks run on.
///
/// The scheduler orders and gates whole steps; Swarm rolls the tasks inside a step according to
/// the service's own UpdateConfig (see ``ServiceUpdateTiming``). A step holds one slot of the
/// global budget and one slot of each of its nodes' budgets from its start until it is done.
public struct RolloutStep: Hashable, Sendable, Identifiable {
    /// A step's identity: the service name for a service update.
    public typealias ID = String

    /// Unique within a rollout.
    public var id: ID
    /// The service this step updates (dependencies are declared between services).
    public var service: String
    /// The nodes the step occupies, sorted and without duplicates. May be empty (then only the
    /// global budget applies).
    public var nodes: [String]
    /// How long the step is expected to take, from start until converged and healthy.
    public var estimate: Duration

    /// A step updating `service`; its `id` defaults to the service name.
    ///
    /// Duplicate node names are dropped. A negative estimate is rejected later, when the step
    /// joins a ``RolloutGraph``.
    public init(id: ID? = nil, service: String, nodes: [String] = [], estimate: Duration) {
        self.id = id ?? service
        self.service = service
        self.nodes = Array(Set(nodes)).sorted()
        self.estimate = estimate
    }
}

/// The part of a service's Swarm UpdateConfig that decides how long its rolling update takes.
///
/// Swarm replaces `parallelism` tasks at a time (0 means all at once), sleeps `delay` after
/// every task including the last, and then watches for `monitor` (or `delay + 1 s` when the delay
/// is at least the monitor window) before it declares the update complete.
public struct ServiceUpdateTiming: Hashable, Sendable {
    /// Tasks replaced at once; 0 means all of them (swarmkit semantics).
    public var parallelism: Int
    /// Pause after each task replacement.
    public var delay: Duration
    /// Window after a task reaches RUNNING during which an exit counts as a failure.
    public var monitor: Duration

    /// Swarm's defaults: parallelism 1, no delay, a 5 s monitor window.
    public init(parallelism: Int = 1, delay: Duration = .zero, monitor: Duration = .seconds(5)) {
        self.parallelism = parallelism
        self.delay = delay
        self.monitor = monitor
    }

    /// The expected duration of the whole service update: `⌈R/p⌉·(τ + delay) + final window`.
    ///
    /// - Parameters:
    ///   - replicas: the number of task slots to replace; 0 gives zero (Swarm completes at once).
    ///   - taskDuration: the time one task takes to be replaced and become healthy (pull,
    ///     stop/start, health check).
    /// - Throws: `HomelabError` `.invalidArgument` for negative replicas or durations.
    public func estimatedDuration(replicas: Int, taskDuration: Duration) throws(HomelabError) -> Duration {
        guard replicas >= 0, parallelism >= 0 else {
            throw HomelabError(.invalidArgument,
                "replicas (\(replicas)) and parallelism (\(parallelism)) must not be negative",
                component: "rollout")
        }
        guard taskDuration >= .zero, delay >= .zero, monitor >= .zero else {
            throw HomelabError(.invalidArgument,
                "task duration, delay and monitor must not be negative", component: "rollout")
        }
        if replicas == 0 { return .zero }
        let width = parallelism == 0 ? replicas : min(parallelism, replicas)
        let rounds = (replicas + width - 1) / width
        let finalWindow = delay >= monitor ? delay + .seconds(1) : monitor
        return (taskDuration + delay) * rounds + finalWindow
    }
}
