/// What happens to the steps that depend on a failed step's branch of the rollout.
public enum RolloutFailurePolicy: Hashable, Sendable {
    /// Steps that do not depend on the failed one go on (the default).
    case continueIndependent
    /// No new step starts after a failure; running steps finish.
    case pauseAll
}

/// Whether a failed step's service is to be rolled back to its previous spec.
public enum RollbackPolicy: Hashable, Sendable {
    /// Roll the service back; its slots stay taken until the rollback is done.
    case rollBack
    /// Leave the service as it is (Swarm paused or continued it).
    case leave
}

/// Something the runner observed, fed into ``RolloutStateMachine``.
public enum RolloutEvent: Hashable, Sendable {
    /// The runner began the step it was told to start (the update was accepted).
    case started(RolloutStep.ID)
    /// The step converged and stayed healthy through its monitor window.
    case succeeded(RolloutStep.ID)
    /// The step failed; `rollback` says whether to roll its service back.
    case failed(RolloutStep.ID, rollback: RollbackPolicy)
    /// The rollback of a failed step ended. A failed rollback is never rolled back.
    case rollbackFinished(RolloutStep.ID, succeeded: Bool)
    /// Time passed (lets the machine notice overdue steps).
    case tick
    /// The operator resumes a paused rollout; steps downstream of failures stay blocked.
    case resume
    /// The operator stops the rollout (Ctrl-C): no new step starts; running steps and rollbacks go on, and the
    /// machine finishes once they end (paused when steps are left). `.resume` lifts it.
    case hold
}

/// Something the state machine asks the runner to do, or tells it.
public enum RolloutAction: Hashable, Sendable {
    /// Start updating the step now.
    case start(RolloutStep.ID)
    /// Roll the failed step's service back.
    case rollback(RolloutStep.ID)
    /// The step will not run because a step it depends on (directly or not) failed.
    case blocked(RolloutStep.ID, by: RolloutStep.ID)
    /// A failure paused the rollout (pause-all): no new step starts until `.resume`.
    case pause(because: RolloutStep.ID)
    /// The step has run longer than its estimate times the overdue factor (said once).
    case overdue(RolloutStep.ID)
    /// Nothing is running and nothing more will start without the operator.
    case finished(RolloutOutcome)
}

/// How a rollout ended.
public enum RolloutOutcome: Hashable, Sendable {
    /// Every step succeeded.
    case completed
    /// Some steps failed; every step not blocked by them was done.
    case failed(failed: [RolloutStep.ID], blocked: [RolloutStep.ID])
    /// A failure paused the rollout with steps still to start.
    case paused(failed: [RolloutStep.ID], notStarted: [RolloutStep.ID])
}

/// Where a step stands in a rollout.
public enum RolloutStepState: Hashable, Sendable {
    /// Waiting for its dependencies or a slot.
    case pending
    /// Told to start; the runner has not confirmed yet.
    case dispatched
    /// Updating.
    case running
    /// Done and healthy.
    case succeeded
    /// Failed and left as it is.
    case failed
    /// Failed and being rolled back (it still holds its slots).
    case rollingBack
    /// Failed and rolled back.
    case rolledBack
    /// Failed, and its rollback failed too.
    case rollbackFailed
    /// Never to run: a step it depends on failed.
    case blocked

    /// Whether the step holds budget slots.
    public var holdsSlots: Bool { self == .dispatched || self == .running || self == .rollingBack }
    /// Whether the step failed (whatever happened to its rollback).
    public var isFailure: Bool { self == .failed || self == .rollingBack || self == .rolledBack || self == .rollbackFailed }
}
