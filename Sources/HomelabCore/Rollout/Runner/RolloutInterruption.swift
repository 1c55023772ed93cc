/// What an operator's interrupt (Ctrl-C) does to a rollout in progress. Either way no new step starts, the
/// run is journaled as paused with the reason, and ``RolloutRunner/resume(runID:)`` carries on from there.
public enum RolloutInterruption: String, Sendable, Hashable, CaseIterable {
    /// Running steps (and rollbacks) are seen through: converged, health-checked and journaled; then the run
    /// pauses with the steps not started left pending.
    case finishRunning = "finish"
    /// Running steps are left where they stand and the runner stops at once: a service update already handed to
    /// Swarm carries on there unwatched (the Engine API has no pause for an update in progress), a node step stops
    /// at its next check. They stay `running` in the journal, and a resume re-inspects and finishes them.
    case pauseRunning = "pause"
}
