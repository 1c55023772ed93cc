/// Runs a ``RolloutStateMachine`` on a virtual clock: actual durations and failures are given,
/// nothing sleeps. Tests and the benchmark use it to see what the runner would do.
public struct RolloutSimulation: Sendable {
    /// How a step fails in a scenario.
    public struct Failure: Hashable, Sendable {
        /// Whether the runner rolls the service back.
        public var rollback: RollbackPolicy
        /// How long the rollback takes.
        public var rollbackDuration: Duration
        /// Whether the rollback succeeds.
        public var rollbackSucceeds: Bool

        /// A failure, by default left as it is.
        public init(rollback: RollbackPolicy = .leave, rollbackDuration: Duration = .zero, rollbackSucceeds: Bool = true) {
            self.rollback = rollback
            self.rollbackDuration = rollbackDuration
            self.rollbackSucceeds = rollbackSucceeds
        }
    }

    /// What really happens, against the estimates.
    public struct Scenario: Hashable, Sendable {
        /// Actual durations; a step not listed takes its estimate. A failing step fails after
        /// its duration.
        public var durations: [RolloutStep.ID: Duration]
        /// The steps that fail, and how.
        public var failures: [RolloutStep.ID: Failure]
        /// If set, the operator resumes this long after each pause.
        public var resumeAfterPause: Duration?

        /// A scenario; by default everything goes as estimated.
        public init(durations: [RolloutStep.ID: Duration] = [:], failures: [RolloutStep.ID: Failure] = [:],
                    resumeAfterPause: Duration? = nil) {
            self.durations = durations
            self.failures = failures
            self.resumeAfterPause = resumeAfterPause
        }
    }

    /// One step's run.
    public struct Run: Hashable, Sendable {
        /// The step.
        public var id: RolloutStep.ID
        /// When it was told to start.
        public var start: Duration
        /// When it succeeded or failed.
        public var end: Duration
        /// When it gave its slots back (after its rollback, if any).
        public var released: Duration
        /// How it ended.
        public var state: RolloutStepState
    }

    /// An action and when the machine emitted it.
    public struct TimedAction: Hashable, Sendable {
        /// The virtual time.
        public var time: Duration
        /// The action.
        public var action: RolloutAction
    }

    /// What happened.
    public struct Result: Hashable, Sendable {
        /// When the last slot was given back.
        public var makespan: Duration
        /// The steps that ran, in start order.
        public var runs: [Run]
        /// The last outcome the machine reported.
        public var outcome: RolloutOutcome
        /// Every action, in order.
        public var actions: [TimedAction]
    }

    /// Simulates `machine` (not yet begun) under `scenario`.
    ///
    /// - Throws: `HomelabError` `.internalFailure` if the machine rejects an event the simulation
    ///   derived from its own actions (a bug).
    public static func run(_ machine: RolloutStateMachine, scenario: Scenario = .init()) throws(HomelabError) -> Result {
        var machine = machine
        let graph = machine.graph
        var queue = FinishHeap()
        var pending: [(time: Duration, event: RolloutEvent)] = []
        var runs: [Int: Run] = [:]
        var startOrder: [Int] = []
        var timed: [TimedAction] = []
        var outcome = machine.outcome
        var makespan = Duration.zero

        func schedule(_ event: RolloutEvent, at time: Duration) {
            queue.push(pending.count, at: time.seconds)
            pending.append((time, event))
        }
        func perform(_ actions: [RolloutAction], at time: Duration) -> [RolloutEvent] {
            var acknowledgements: [RolloutEvent] = []
            for action in actions {
                timed.append(TimedAction(time: time, action: action))
                switch action {
                case .start(let id):
                    guard let i = graph.index(of: id) else { continue }
                    let step = graph.steps[i]
                    let duration = scenario.durations[id] ?? step.estimate
                    runs[i] = Run(id: id, start: time, end: time + duration, released: time + duration, state: .running)
                    startOrder.append(i)
                    acknowledgements.append(.started(id))
                    if let failure = scenario.failures[id] {
                        schedule(.failed(id, rollback: failure.rollback), at: time + duration)
                    } else {
                        schedule(.succeeded(id), at: time + duration)
                    }
                case .rollback(let id):
                    let failure = scenario.failures[id] ?? Failure(rollback: .rollBack)
                    schedule(.rollbackFinished(id, succeeded: failure.rollbackSucceeds), at: time + failure.rollbackDuration)
                case .pause:
                    if let delay = scenario.resumeAfterPause { schedule(.resume, at: time + delay) }
                case .finished(let result):
                    outcome = result
                    makespan = max(makespan, time)
                case .blocked, .overdue:
                    break
                }
            }
            return acknowledgements
        }
        func feed(_ events: [RolloutEvent], at time: Duration) throws(HomelabError) {
            var batch = events
            while !batch.isEmpty {
                let actions: [RolloutAction]
                do {
                    actions = try machine.handle(batch, at: time)
                } catch {
                    throw HomelabError(.internalFailure, "the simulation fed an event the machine rejected",
                        component: "rollout", underlying: error)
                }
                record(batch, at: time)
                batch = perform(actions, at: time)
            }
        }
        func record(_ events: [RolloutEvent], at time: Duration) {
            for event in events {
                switch event {
                case .succeeded(let id), .failed(let id, _):
                    if let i = graph.index(of: id), var run = runs[i] {
                        run.end = time
                        run.released = time
                        run.state = machine.stepStates[i]
                        runs[i] = run
                    }
                case .rollbackFinished(let id, _):
                    if let i = graph.index(of: id), var run = runs[i] {
                        run.released = time
                        run.state = machine.stepStates[i]
                        runs[i] = run
                    }
                case .started, .tick, .resume, .hold:
                    break
                }
            }
        }

        try feed(perform(machine.begin(at: .zero), at: .zero), at: .zero)
        while let next = queue.pop() {
            let time = pending[next.step].time
            var batch = [pending[next.step].event]
            while let more = queue.first, pending[more.step].time == time, let popped = queue.pop() {
                batch.append(pending[popped.step].event)
            }
            try feed(batch, at: time)
        }
        for run in runs.values { makespan = max(makespan, run.released) }
        return Result(makespan: makespan, runs: startOrder.compactMap { runs[$0] }, outcome: outcome, actions: timed)
    }

    /// Simulates following `plan` under `scenario` with `configuration`.
    ///
    /// - Throws: `HomelabError` as ``run(_:scenario:)``.
    public static func run(_ plan: RolloutPlan, configuration: RolloutStateMachine.Configuration = .init(),
                           scenario: Scenario = .init()) throws(HomelabError) -> Result {
        try run(RolloutStateMachine(plan: plan, configuration: configuration), scenario: scenario)
    }
}
