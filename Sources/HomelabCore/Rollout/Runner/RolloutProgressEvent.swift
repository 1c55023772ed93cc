/// What a ``RolloutRunner`` reports while it works.
public enum RolloutProgressEvent: Sendable, Hashable {
    /// The step's update was submitted.
    case started(step: String)
    /// Tasks of the new spec running versus desired.
    case progress(step: String, running: Int, desired: Int)
    /// The step converged (and passed its health check).
    case healthy(step: String)
    /// The step failed.
    case failed(step: String, message: String)
    /// The service's rollback started.
    case rollingBack(step: String)
    /// The service's rollback ended.
    case rolledBack(step: String, succeeded: Bool)
    /// The step will not run: a step it depends on failed.
    case blocked(step: String, by: String)
    /// A failure paused the rollout (pause-all).
    case paused(because: String)
    /// The step runs longer than expected.
    case overdue(step: String)
    /// A node-maintenance step moved on: drained, command finished, down, Ready, active, or failed.
    case node(step: String, NodeMaintenanceEvent)
    /// The engine did not answer for the step (no connection, a reset, a timeout, a 5xx): `retrying` while the step's
    /// deadline lasts (said once per outage); when it passed, `false`: the step is left not done and the run pauses.
    case engineUnreachable(step: String, message: String, retrying: Bool)
    /// The run ended (or stopped, paused).
    case finished(RolloutResult)
}

/// How a run driven by ``RolloutRunner`` ended.
public struct RolloutResult: Sendable, Hashable {
    /// The journal's run ID.
    public var runID: String
    /// The run's final status as journaled.
    public var status: RolloutJournal.RunStatus
    /// The scheduler's view of the end.
    public var outcome: RolloutOutcome
    /// Services rolled back by this run, in the order they were rolled back.
    public var rolledBack: [String]
}
