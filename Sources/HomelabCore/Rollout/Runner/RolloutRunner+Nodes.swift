import Foundation
import Logging

extension RolloutRunner {
    static func isNodeStep(_ change: RolloutChange?) -> Bool {
        if case .maintainNode? = change { return true }
        return false
    }

    /// Journals a node step as running and returns the work that maintains the node. Once the command has
    /// finished, the step's payload records it, so a resume after a crash skips the command (and its reboot).
    func prepareNodeStep(_ d: Drive, _ id: String, _ step: RolloutNodeStep) async throws
        -> @Sendable () async throws -> Completion
    {
        try await journal.transition(runID: d.runID, stepID: id, to: .running, payload: try JSONEncoder().encode(
            RolloutChange.maintainNode(step)))
        guard let nodes else {
            let message = "node maintenance needs SSH access to the nodes (a shell with a known_hosts file), which this runner was not given"
            return { .failed(id, message: message, swarmRolledBack: false) }
        }
        let (journal, logger, continuation, runID) = (journal, logger, continuation, d.runID)
        if step.commandStarted && !step.commandFinished {
            // The process driving the run stopped while the command ran: it may have run partly, or wholly with
            // its end unrecorded. Running it again could do harm twice; the node stays as it was left (drained).
            let message =
                "the command on \(step.node) was interrupted when the process driving this rollout stopped, so it is not "
                + "run again; \(step.node) is left drained: check what the command did, then reactivate it with "
                + "`homelab node activate \(step.node)`"
            return { .failed(id, message: message, swarmRolledBack: false) }
        }
        return {
            let maintenance = NodeMaintenanceRunner(
                swarm: nodes.swarm, shell: nodes.shell, audit: nil, user: "rollout \(runID)", logger: logger)
            let watcher = Task {
                for await event in maintenance.events {
                    if case .commandFinished = event {
                        var finished = step
                        finished.commandStarted = true
                        finished.commandFinished = true
                        try? await journal.transition(
                            runID: runID, stepID: id, to: .running, detail: "command finished",
                            payload: try? JSONEncoder().encode(RolloutChange.maintainNode(finished)))
                    }
                    continuation.yield(.node(step: id, event))
                }
            }
            var options = step.options
            options.pollInterval = nodes.pollInterval
            var started = step
            started.commandStarted = true
            let startedPayload = try JSONEncoder().encode(RolloutChange.maintainNode(started))
            let failure = await maintenance.maintainOne(
                step.target, options: options, commandAlreadyRan: step.commandFinished,
                beforeCommand: {
                    // Journal first: a crash from here on never runs the command a second time.
                    try await journal.transition(
                        runID: runID, stepID: id, to: .running, detail: "command started", payload: startedPayload)
                })
            await watcher.value
            if Task.isCancelled { throw CancellationError() }
            if let failure { return .failed(id, message: failure, swarmRolledBack: false) }
            return .succeeded(id)
        }
    }
}
