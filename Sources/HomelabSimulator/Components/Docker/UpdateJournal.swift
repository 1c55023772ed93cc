import HomelabCore

/// What a simulated rolling update did, step by step: the record tests and benchmarks read to check the
/// swarmkit semantics (parallelism, delay, failure counting) without polling the API.
public struct UpdateEvent: Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// An update (or rollback) started over `slots` dirty slots with `parallelism` workers.
        case started(rollback: Bool, slots: Int, parallelism: Int)
        /// Worker `worker` took slot `slot`; `inFlight` slots are now being worked on (this one included).
        case slotStarted(slot: String, worker: Int, inFlight: Int)
        /// Worker `worker` finished slot `slot` (its new task reached `taskState`), before its Delay.
        case slotFinished(slot: String, worker: Int, taskState: String)
        /// A task created by this update failed within the monitor window; `failures` so far.
        case failureCounted(task: String, failures: Int)
        /// The service's UpdateStatus became `state` with `message`.
        case status(state: Swarm.UpdateState, message: String)
        /// The update was superseded (a new spec, a rollback) or the simulation stopped.
        case cancelled
    }

    /// Which update of the service (1, 2, ...): a rollback is a run of its own.
    public let run: Int
    /// What happened.
    public let kind: Kind
    /// Simulated time since the simulation started.
    public let at: Duration

    /// Creates an event.
    public init(run: Int, kind: Kind, at: Duration) {
        self.run = run
        self.kind = kind
        self.at = at
    }

    /// One line: `run 2 @12.3s slot 3 started by worker 1 (2 in flight)`.
    public var description: String {
        let milliseconds = at.components.seconds * 1000 + at.components.attoseconds / 1_000_000_000_000_000
        let time = "@\(milliseconds / 1000).\(String(1000 + milliseconds % 1000).dropFirst())s"
        switch kind {
        case .started(let rollback, let slots, let parallelism):
            return "run \(run) \(time) \(rollback ? "rollback" : "update") started: \(slots) slots, parallelism \(parallelism)"
        case .slotStarted(let slot, let worker, let inFlight):
            return "run \(run) \(time) slot \(slot) started by worker \(worker) (\(inFlight) in flight)"
        case .slotFinished(let slot, let worker, let state):
            return "run \(run) \(time) slot \(slot) finished by worker \(worker): \(state)"
        case .failureCounted(let task, let failures):
            return "run \(run) \(time) failure of task \(task) counted (\(failures) so far)"
        case .status(let state, let message):
            return "run \(run) \(time) status \(state): \(message)"
        case .cancelled:
            return "run \(run) \(time) cancelled"
        }
    }
}
