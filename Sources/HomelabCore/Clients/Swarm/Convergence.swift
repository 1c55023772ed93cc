import Logging

extension Swarm {
    /// How waiting for a service to converge ended.
    public enum ConvergenceOutcome: Sendable, Hashable {
        /// The tasks of the current spec run as desired and stayed so for the monitor period (or the engine
        /// reported the update completed).
        case completed
        /// The update stopped after task failures (`FailureAction: pause`); it stays paused until the next update.
        case paused(message: String)
        /// A rollback (automatic or requested) finished and its tasks stayed up for the monitor period.
        case rollbackCompleted(message: String)
        /// A rollback stopped after failures (a rollback is never rolled back).
        case rollbackPaused(message: String)
        /// The deadline passed first; `last` is the last progress seen, if any.
        case timedOut(last: ConvergenceProgress?)

        /// Whether the service ended up running its newest spec.
        public var isSuccess: Bool { self == .completed }
    }
}

extension Swarm {
    /// One poll's view of a converging service: tasks of the current spec running versus desired, counted as the
    /// docker CLI counts them.
    public struct ConvergenceProgress: Sendable, Hashable {
        /// Where the wait stands.
        public enum Phase: Sendable, Hashable {
            /// Not all desired tasks run yet.
            case converging
            /// All desired tasks run; waiting out the monitor period (`remaining`) before calling it done.
            case verifying(remaining: Duration)
            /// Tasks had all been running, and one stopped: the monitor period starts over once they run again.
            case regressed
        }

        /// Tasks of the current spec that are running (one per slot, or per node in global mode).
        public var running: Int
        /// Tasks that should run: the replicas, or in global mode the nodes with tasks of this spec.
        public var desired: Int
        /// The service's update state, if an update or rollback is known.
        public var updateState: UpdateState?
        /// The engine's update message.
        public var updateMessage: String?
        /// Whether a rollback is what is converging.
        public var isRollback: Bool
        /// Converging, verifying or regressed.
        public var phase: Phase

        /// Creates a value.
        public init(
            running: Int, desired: Int, updateState: UpdateState? = nil, updateMessage: String? = nil, isRollback: Bool = false,
            phase: Phase = .converging
        ) {
            self.running = running
            self.desired = desired
            self.updateState = updateState
            self.updateMessage = updateMessage
            self.isRollback = isRollback
            self.phase = phase
        }
    }
}

extension SwarmClient {
    /// Polls a service until its current spec has converged, the update pauses, a rollback ends, or `deadline`
    /// passes, following the docker CLI's rules (see ``ConvergenceProgress``): every `pollInterval` it inspects the
    /// service, lists its up-to-date tasks and the nodes, and reports progress through `progress`.
    /// Works with any clock (a simulator may pass a virtual one).
    /// - Returns: the outcome; a timeout is an outcome, not an error.
    /// - Throws: ``HomelabError`` when a request fails, `.invalidArgument` for job-mode services, `.cancelled`.
    public func waitForConvergence<C: Clock>(
        service id: String, deadline: C.Instant, clock: C, pollInterval: Duration = .milliseconds(200),
        progress: (@Sendable (Swarm.ConvergenceProgress) -> Void)? = nil, logger: Logger? = nil
    ) async throws -> Swarm.ConvergenceOutcome where C.Duration == Duration {
        try await converge(
            service: id, deadline: deadline, clock: clock, pollInterval: pollInterval, progress: progress, logger: logger
        ) { try await nodes.list(logger: logger) }
    }

    /// The polling loop of ``waitForConvergence(service:deadline:clock:pollInterval:progress:logger:)``, with the
    /// node listing supplied: a rollout shares one among the steps it runs at once (``SharedNodeListing``).
    func converge<C: Clock>(
        service id: String, deadline: C.Instant, clock: C, pollInterval: Duration,
        progress: (@Sendable (Swarm.ConvergenceProgress) -> Void)?, logger: Logger?,
        nodeListing: @escaping @Sendable () async throws -> [Swarm.Node]
    ) async throws -> Swarm.ConvergenceOutcome where C.Duration == Duration {
        var tracker = ConvergenceTracker()
        let start = clock.now
        var last: Swarm.ConvergenceProgress?
        while clock.now < deadline {
            let service = try await services.inspect(id, logger: logger)
            if let outcome = tracker.observe(service: service, elapsed: start.duration(to: clock.now)) {
                logger?.debug("service converged", metadata: ["component": "docker", "service": "\(id)", "outcome": "\(outcome)"])
                return outcome
            }
            let filters = Swarm.Filters.service(service.id ?? id).merging(.upToDate)
            async let taskList = tasks.list(filters: filters, logger: logger)
            async let nodeList = nodeListing()
            let (currentTasks, currentNodes) = try await (taskList, nodeList)
            let step = try tracker.observe(
                tasks: currentTasks, nodes: currentNodes, service: service, elapsed: start.duration(to: clock.now))
            last = step
            progress?(step)
            let remaining = clock.now.duration(to: deadline)
            guard remaining > .zero else { break }
            do {
                try await clock.sleep(for: min(max(pollInterval, .milliseconds(1)), remaining))
            } catch {
                throw HomelabError(.cancelled, "waiting for service \(id) to converge was cancelled", component: "docker")
            }
        }
        return .timedOut(last: last)
    }

    /// ``waitForConvergence(service:deadline:clock:pollInterval:progress:logger:)`` on the continuous clock.
    /// - Throws: as the clock-generic variant does.
    public func waitForConvergence(
        service id: String, deadline: ContinuousClock.Instant, pollInterval: Duration = .milliseconds(200),
        progress: (@Sendable (Swarm.ConvergenceProgress) -> Void)? = nil, logger: Logger? = nil
    ) async throws -> Swarm.ConvergenceOutcome {
        try await waitForConvergence(
            service: id, deadline: deadline, clock: ContinuousClock(), pollInterval: pollInterval, progress: progress,
            logger: logger)
    }

    /// ``waitForConvergence(service:deadline:clock:pollInterval:progress:logger:)`` with a timeout from now.
    /// - Throws: as the clock-generic variant does.
    public func waitForConvergence(
        service id: String, timeout: Duration, pollInterval: Duration = .milliseconds(200),
        progress: (@Sendable (Swarm.ConvergenceProgress) -> Void)? = nil, logger: Logger? = nil
    ) async throws -> Swarm.ConvergenceOutcome {
        try await waitForConvergence(
            service: id, deadline: ContinuousClock.now.advanced(by: timeout), pollInterval: pollInterval,
            progress: progress, logger: logger)
    }
}
