/// The rolling-update scheduler's decisions as a pure value: events in, actions out, no I/O.
///
/// A thin actor drives it: it calls ``begin(at:)``, performs the actions, and feeds back what it
/// observes with ``handle(_:at:)``. Whenever slots free up, the machine starts the ready steps that
/// fit, highest in the planned order first, and never leaves a slot idle while a ready step fits.
/// With durations as estimated this follows the plan exactly; when they differ it adapts. A
/// failed step blocks everything downstream of it; independent branches go on or everything
/// pauses, as the ``RolloutFailurePolicy`` says. Times are measured from the rollout's start
/// (a virtual clock in tests).
public struct RolloutStateMachine: Sendable {
    /// How the machine reacts to failures and slow steps.
    public struct Configuration: Hashable, Sendable {
        /// What a failure does to independent steps.
        public var failurePolicy: RolloutFailurePolicy
        /// A running step is reported overdue once it runs longer than its estimate times this
        /// factor; `nil` never reports.
        public var overdueFactor: Double?

        /// Continue-independent, overdue at twice the estimate, unless said otherwise.
        public init(failurePolicy: RolloutFailurePolicy = .continueIndependent, overdueFactor: Double? = 2) {
            self.failurePolicy = failurePolicy
            self.overdueFactor = overdueFactor
        }
    }

    /// The steps and their dependencies.
    public let graph: RolloutGraph
    /// The configuration.
    public let configuration: Configuration
    private let model: RolloutModel
    private let key: [Double]
    private var states: [RolloutStepState]
    private var waiting: [Int]
    private var queues: ReadyQueues
    private var usage: SlotUsage
    private var startedAt: [Duration?]
    private var holding: [Int] = []
    private var overdueReported: Set<Int> = []
    /// Whether a failure paused the rollout (pause-all) and no `.resume` came yet.
    public private(set) var isPaused = false
    /// Whether the operator stopped the rollout (`.hold`) and no `.resume` came yet.
    public private(set) var isHeld = false
    private var finishReported = false
    private var begun = false
    /// The time of the latest event.
    public private(set) var now: Duration = .zero

    /// A machine for `graph` that starts steps in the priority of `order`.
    ///
    /// - Parameters:
    ///   - order: the planned priority order; steps left out come last, in graph order.
    ///   - completed: steps already done (a resumed rollout): they count as succeeded.
    /// - Throws: `HomelabError` `.invalidArgument` when `order` or `completed` names an unknown
    ///   step, or `order` names one twice.
    public init(graph: RolloutGraph, limits: RolloutLimits, order: [RolloutStep.ID],
                configuration: Configuration = .init(), completed: Set<RolloutStep.ID> = []) throws(HomelabError) {
        self.graph = graph
        self.configuration = configuration
        model = RolloutModel(graph: graph, limits: limits)
        key = ListSchedule.keys(following: try RolloutOrder.positions(of: order, in: graph), count: graph.count)
        states = [RolloutStepState](repeating: .pending, count: graph.count)
        waiting = graph.predecessors.map(\.count)
        queues = ReadyQueues(model: model)
        usage = SlotUsage(model: model)
        startedAt = [Duration?](repeating: nil, count: graph.count)
        for id in completed.sorted() {
            guard let i = graph.index(of: id) else {
                throw HomelabError(.invalidArgument, "completed step \(id) is not in the rollout", component: "rollout")
            }
            states[i] = .succeeded
        }
        for i in 0..<graph.count where states[i] == .succeeded {
            for s in graph.successors[i] { waiting[s] -= 1 }
        }
        for i in 0..<graph.count where states[i] == .pending && waiting[i] == 0 {
            queues.push(i, key: key[i], group: model.group[i])
        }
    }

    /// A machine that follows `plan`'s order under its limits.
    public init(plan: RolloutPlan, configuration: Configuration = .init(),
                completed: Set<RolloutStep.ID> = []) throws(HomelabError) {
        try self.init(graph: plan.graph, limits: plan.limits, order: plan.order,
            configuration: configuration, completed: completed)
    }

    /// The state of the step with `id`, or `nil` for an unknown step.
    public func state(of id: RolloutStep.ID) -> RolloutStepState? {
        graph.index(of: id).map { states[$0] }
    }

    /// The state of every step, indexed like `graph.steps`.
    public var stepStates: [RolloutStepState] { states }

    /// Starts the rollout at `time`: the first steps to start.
    public mutating func begin(at time: Duration = .zero) -> [RolloutAction] {
        guard !begun else { return [] }
        begun = true
        now = time
        var actions: [RolloutAction] = []
        settle(&actions)
        return actions
    }

    /// Feeds one observed event at `time` and returns what to do next.
    ///
    /// - Throws: `HomelabError` `.invalidArgument` for an unknown step or an event that does not
    ///   fit the step's state (success of a step that is not running, say); nothing changes then.
    public mutating func handle(_ event: RolloutEvent, at time: Duration) throws(HomelabError) -> [RolloutAction] {
        try handle([event], at: time)
    }

    /// Feeds events that happened at the same `time` (all of them are taken in before new steps
    /// are chosen) and returns what to do next.
    ///
    /// - Throws: `HomelabError` `.invalidArgument` for an unknown step or an event that does not
    ///   fit the step's state; the whole batch is then rejected and nothing changes.
    public mutating func handle(_ events: [RolloutEvent], at time: Duration) throws(HomelabError) -> [RolloutAction] {
        let targets = try validate(events)
        now = max(now, time)
        begun = true
        var actions: [RolloutAction] = []
        for (event, i) in zip(events, targets) { apply(event, i, &actions) }
        settle(&actions)
        return actions
    }

    /// The step index each event concerns (-1 for none), after checking every transition.
    private func validate(_ events: [RolloutEvent]) throws(HomelabError) -> [Int] {
        var overrides: [Int: RolloutStepState] = [:]
        var targets: [Int] = []
        for event in events {
            let id: RolloutStep.ID
            let allowed: Set<RolloutStepState>
            let next: RolloutStepState
            switch event {
            case .tick, .resume, .hold:
                targets.append(-1)
                continue
            case .started(let step): (id, allowed, next) = (step, [.dispatched], .running)
            case .succeeded(let step): (id, allowed, next) = (step, [.dispatched, .running], .succeeded)
            case .failed(let step, _): (id, allowed, next) = (step, [.dispatched, .running], .failed)
            case .rollbackFinished(let step, _): (id, allowed, next) = (step, [.rollingBack], .rolledBack)
            }
            guard let i = graph.index(of: id) else {
                throw HomelabError(.invalidArgument, "event \(event) names unknown step \(id)", component: "rollout")
            }
            let current = overrides[i] ?? states[i]
            guard allowed.contains(current) else {
                throw HomelabError(.invalidArgument, "event \(event) does not fit step \(id), which is \(current)",
                    component: "rollout")
            }
            if case .failed(_, .rollBack) = event { overrides[i] = .rollingBack } else { overrides[i] = next }
            targets.append(i)
        }
        return targets
    }

    private mutating func apply(_ event: RolloutEvent, _ i: Int, _ actions: inout [RolloutAction]) {
        switch event {
        case .tick:
            break
        case .resume:
            if isPaused || isHeld {
                isPaused = false
                isHeld = false
                finishReported = false
            }
        case .hold:
            isHeld = true
        case .started:
            states[i] = .running
        case .succeeded:
            states[i] = .succeeded
            release(i)
            for s in graph.successors[i] {
                waiting[s] -= 1
                if waiting[s] == 0 && states[s] == .pending { queues.push(s, key: key[s], group: model.group[s]) }
            }
        case .failed(_, let rollback):
            if rollback == .rollBack {
                states[i] = .rollingBack
                actions.append(.rollback(graph.steps[i].id))
            } else {
                states[i] = .failed
                release(i)
            }
            block(below: i, &actions)
            if configuration.failurePolicy == .pauseAll && !isPaused {
                isPaused = true
                actions.append(.pause(because: graph.steps[i].id))
            }
        case .rollbackFinished(_, let succeeded):
            states[i] = succeeded ? .rolledBack : .rollbackFailed
            release(i)
        }
    }

    private mutating func release(_ i: Int) {
        usage.release(model.nodesOf[i])
        if let position = holding.firstIndex(of: i) { holding.remove(at: position) }
    }

    /// Marks every pending step downstream of `failed` as blocked.
    private mutating func block(below failed: Int, _ actions: inout [RolloutAction]) {
        var stack = graph.successors[failed]
        while let s = stack.popLast() {
            guard states[s] == .pending else { continue }
            states[s] = .blocked
            actions.append(.blocked(graph.steps[s].id, by: graph.steps[failed].id))
            stack.append(contentsOf: graph.successors[s])
        }
    }

    /// Reports overdue steps, starts what fits, and says when the rollout is finished.
    private mutating func settle(_ actions: inout [RolloutAction]) {
        if let factor = configuration.overdueFactor {
            for i in holding where states[i] != .rollingBack && !overdueReported.contains(i) {
                if let began = startedAt[i], (now - began).seconds > factor * model.duration[i] {
                    overdueReported.insert(i)
                    actions.append(.overdue(graph.steps[i].id))
                }
            }
        }
        if !isPaused && !isHeld {
            while let i = queues.popBestFitting(usage) {
                guard states[i] == .pending else { continue }
                states[i] = .dispatched
                startedAt[i] = now
                usage.take(model.nodesOf[i])
                holding.append(i)
                finishReported = false
                actions.append(.start(graph.steps[i].id))
            }
        }
        if holding.isEmpty && (isPaused || isHeld || queues.count == 0) && !finishReported {
            finishReported = true
            actions.append(.finished(outcome))
        }
    }

    /// How the rollout stands, as it would be reported if it finished now.
    public var outcome: RolloutOutcome {
        var failed: [RolloutStep.ID] = []
        var blocked: [RolloutStep.ID] = []
        var notStarted: [RolloutStep.ID] = []
        for (i, state) in states.enumerated() {
            if state.isFailure { failed.append(graph.steps[i].id) }
            if state == .blocked { blocked.append(graph.steps[i].id) }
            if state == .pending || state == .blocked { notStarted.append(graph.steps[i].id) }
        }
        if failed.isEmpty && notStarted.isEmpty { return .completed }
        if notStarted.count > blocked.count { return .paused(failed: failed, notStarted: notStarted) }
        return .failed(failed: failed, blocked: blocked)
    }

    /// Whether the machine has said it is finished and nothing has started since.
    public var isFinished: Bool { finishReported }

    /// The steps holding slots now, in the order they started.
    public var active: [RolloutStep.ID] { holding.map { graph.steps[$0].id } }
}
