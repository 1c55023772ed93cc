import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Drives a rollout against Swarm: follows ``RolloutStateMachine``, runs steps concurrently as it
/// dispatches them, and journals every transition before acting on it so ``resume(runID:)`` can
/// finish a run after a crash.
///
/// A runner's ``events`` stream ends when its first ``apply(_:runID:)`` or ``resume(runID:)`` returns;
/// use one runner per run.
public actor RolloutRunner {
    /// Progress of the run, for a CLI or UI.
    public nonisolated let events: AsyncStream<RolloutProgressEvent>
    let continuation: AsyncStream<RolloutProgressEvent>.Continuation
    let swarm: any RolloutSwarm
    let journal: RolloutJournal
    let elapsed: @Sendable () -> Duration
    let logger: Logger
    let owner: String
    let healthCheck: (@Sendable (String) async -> Bool)?
    /// Drains, commands and activations for node-maintenance steps; `nil` refuses such steps.
    let nodes: RolloutNodeTools?
    /// Added to the UpdateConfig-derived convergence time.
    let margin: Duration
    /// Assumed time for one task to be replaced and start.
    let taskAllowance: Duration
    /// Set by ``interrupt(_:)``, read by the drive loop on its next completion or tick (at least once a second).
    let interruption = Locked<RolloutInterruption?>(nil)
    /// Serialises the creation part of create steps (networks shared by a stack's services are made once).
    let creationGate = SerialGate()
    /// Networks the create steps of this runner made.
    let madeNetworks = MadeNetworks()

    /// A runner.
    /// - Parameters:
    ///   - clock: measures the run for the state machine (a virtual one in tests).
    ///   - owner: `host:pid` claiming runs; this process by default.
    ///   - healthCheck: checks a step's health URL after convergence (true = healthy); without it URLs are ignored.
    ///   - nodes: what node-maintenance steps need; a request with such steps fails them without it.
    public init(
        swarm: any RolloutSwarm, journal: RolloutJournal, clock: any Clock<Duration> = ContinuousClock(), logger: Logger,
        owner: String? = nil, healthCheck: (@Sendable (String) async -> Bool)? = nil, nodes: RolloutNodeTools? = nil,
        margin: Duration = .seconds(60), taskAllowance: Duration = .seconds(30)
    ) {
        self.nodes = nodes
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        self.swarm = swarm
        self.journal = journal
        elapsed = Self.stopwatch(clock)
        self.logger = logger
        self.owner = owner ?? JournalOwner.current
        self.healthCheck = healthCheck
        self.margin = margin
        self.taskAllowance = taskAllowance
    }

    private static func stopwatch<C: Clock<Duration>>(_ clock: C) -> @Sendable () -> Duration {
        let start = clock.now
        return { start.duration(to: clock.now) }
    }

    /// Plans `request`, journals it as a new run and drives it to its end.
    /// - Throws: `HomelabError` `.invalidArgument` for a bad request, `.conflict` when `runID` exists,
    ///   `.storeFailure`, or `.cancelled`/`CancellationError` when cancelled (the journal then shows the crash point).
    public func apply(_ request: RolloutRequest, runID: String? = nil) async throws -> RolloutResult {
        let graph = try request.graph()
        let plan = RolloutScheduler().plan(graph, limits: try request.limits())
        let id = runID ?? "rollout-\(UUID().uuidString.prefix(8).lowercased())"
        var changes: [String: RolloutChange] = [:]
        for change in request.changes { changes[change.service] = change.change }
        var steps: [RolloutJournal.Step] = []
        for (position, step) in plan.order.enumerated() {
            guard let change = changes[step] else {
                throw HomelabError(.invalidArgument, "rollout step \(step) has no change", component: "rollout")
            }
            steps.append(RolloutJournal.Step(stepID: step, position: position, payload: try JSONEncoder().encode(change)))
        }
        try await journal.create(runID: id, request: try JSONEncoder().encode(request), steps: steps)
        let machine = try RolloutStateMachine(plan: plan, configuration: .init(failurePolicy: request.onFailure.policy))
        return try await drive(Drive(runID: id, request: request, machine: machine, changes: changes))
    }

    /// Continues a run from its journal: succeeded steps are kept, steps running at the crash are
    /// re-applied with their recorded change (the same image / ForceUpdate / spec), interrupted rollbacks
    /// are waited for, failed steps and those they blocked stay as they are.
    /// - Throws: `.notFound` for an unknown run, `.invalidArgument` for a finished one, `.conflict` when a
    ///   live process drives it, and what ``apply(_:runID:)`` throws.
    public func resume(runID: String) async throws -> RolloutResult {
        guard let run = try await journal.run(runID) else {
            throw HomelabError(.notFound, "no rollout with ID \(runID)", component: "rollout")
        }
        guard !run.status.isFinal else {
            throw HomelabError(.invalidArgument, "rollout \(runID) already ended (\(run.status.rawValue))", component: "rollout")
        }
        let request = try JSONDecoder().decode(RolloutRequest.self, from: run.request)
        try await journal.claim(runID: runID, owner: owner, isAlive: Self.isAlive)
        var stored = try await journal.steps(runID: runID)
        var changes: [String: RolloutChange] = [:]
        for step in stored { changes[step.stepID] = try JSONDecoder().decode(RolloutChange.self, from: step.payload) }
        for step in stored where step.status == .rollingBack {
            // Journal-first: the crash may have come before the rollback was submitted. The change still
            // in effect means it was not; a submitted rollback restored the previous spec.
            let current = try? await swarm.currentSpec(of: step.stepID)
            let submitted = current.map { changes[step.stepID]?.applied(to: $0) != $0 } ?? true
            let ok = await finishRollback(runID: runID, service: step.stepID, request: request, submit: !submitted)
            continuation.yield(.rolledBack(step: step.stepID, succeeded: ok))
        }
        stored = try await journal.steps(runID: runID)
        let gone: Set<RolloutJournal.StepStatus> = [.failed, .blocked, .rolledBack, .rollingBack]
        let excluded = Set(stored.filter { gone.contains($0.status) }.map(\.stepID))
        let graph = try RolloutGraph(steps: request.steps().filter { !excluded.contains($0.id) }, dependencies: request.dependencyMap())
        let order = stored.map(\.stepID).filter { !excluded.contains($0) }
        let succeeded = stored.filter { $0.status == .succeeded }
        let machine = try RolloutStateMachine(
            graph: graph, limits: try request.limits(), order: order,
            configuration: .init(failurePolicy: request.onFailure.policy), completed: Set(succeeded.map(\.stepID)))
        var state = Drive(runID: runID, request: request, machine: machine, changes: changes)
        state.succeeded = succeeded.sorted { ($0.finishedAt ?? .distantPast) < ($1.finishedAt ?? .distantPast) }.map(\.stepID)
        state.earlierFailed = stored.filter { [.failed, .rolledBack].contains($0.status) }.map(\.stepID)
        state.earlierBlocked = stored.filter { $0.status == .blocked }.map(\.stepID)
        return try await drive(state)
    }

    /// Asks the run in progress to stop starting steps (an operator's Ctrl-C); see ``RolloutInterruption``. Callable
    /// from any thread (a signal handler's queue) and any number of times; `.pauseRunning` overrides
    /// `.finishRunning`, never the other way. Noticed within a second; the run then ends paused, its journal saying
    /// it was interrupted, unless everything left finished meanwhile.
    public nonisolated func interrupt(_ how: RolloutInterruption) {
        interruption.withLock { current in
            if current != .pauseRunning { current = how }
        }
    }

    /// Whether `host:pid` names a live process (``JournalOwner/isAlive``).
    static let isAlive = JournalOwner.isAlive
}
