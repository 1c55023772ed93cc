import Logging

/// The steps of one node's maintenance that wait: for its tasks to stop, for the command, for a state.
extension NodeMaintenanceRunner {
    /// Task states that still occupy the node: assigned to it and not yet ended.
    static let occupyingStates: Set<Swarm.TaskState> = [.assigned, .accepted, .preparing, .ready, .starting, .running]

    /// Waits until no task on the node is assigned, starting or running. A node that is already down cannot
    /// report its tasks stopping, so the wait is skipped for it.
    /// - Throws: ``HomelabError/Code/timedOut`` naming tasks still running; errors of the Swarm calls.
    func waitForTasksToStop(_ target: NodeMaintenancePlan.Target, timeout: Duration, interval: Duration) async throws {
        let state = try await swarm.maintenanceNode(target.id).status?.state
        if let state, state != .ready {
            logger.notice("node is \(state.rawValue): not waiting for its tasks to stop", metadata: ["node": "\(target.name)"])
            return
        }
        let swarm = self.swarm
        do {
            try await poll("the tasks on \(target.name) to stop", timeout: timeout, interval: interval) {
                try await Self.occupying(swarm.tasks(onNode: target.id)).isEmpty ? true : nil
            }
        } catch let error as HomelabError where error.code == .timedOut {
            let still = Self.occupying((try? await swarm.tasks(onNode: target.id)) ?? [])
            let shown = still.prefix(5).joined(separator: ", ") + (still.count > 5 ? " and \(still.count - 5) more" : "")
            throw HomelabError(
                .timedOut, "\(error.message) (still running: \(shown))", component: "node-maintenance")
        }
    }

    /// The names of the tasks that still occupy a node, sorted.
    static func occupying(_ tasks: [Swarm.Task]) -> [String] {
        tasks.filter { Self.occupyingStates.contains($0.status?.state ?? .unknown("")) }.map { $0.name ?? $0.id ?? "?" }
            .sorted()
    }

    /// Runs the command and tells how it ended.
    /// - Throws: ``HomelabError`` when the command failed: a non-zero exit status, a signal or a dropped
    ///   connection when no reboot is expected, a timeout, or an SSH error (host key, authentication, connect).
    func runCommand(
        _ target: NodeMaintenancePlan.Target, options: NodeMaintenanceOptions
    ) async throws -> NodeMaintenanceEvent.CommandOutcome {
        let name = target.name
        let result: SSHCommandResult
        do {
            result = try await shell.run(options.command, on: target.inventoryNode, timeout: options.commandTimeout)
        } catch {
            let error = Self.homelabError(error)
            if options.expectsReboot, error.code == .connectionFailed {
                logger.info("the connection dropped during the reboot command, as expected", metadata: ["node": "\(name)"])
                return NodeMaintenanceEvent.CommandOutcome(exitStatus: nil, connectionDropped: true)
            }
            throw HomelabError(
                error.code, "the command on \(name) failed: \(error)", component: "node-maintenance")
        }
        let outcome = NodeMaintenanceEvent.CommandOutcome(
            exitStatus: result.exitStatus, exitSignal: result.exitSignal, connectionDropped: result.exitStatus == nil,
            stdoutTail: Self.tail(result.stdoutText), stderrTail: Self.tail(result.stderrText))
        if result.exitStatus == 0 || (result.exitStatus == nil && options.expectsReboot) { return outcome }
        continuation.yield(.commandFinished(node: name, outcome: outcome))
        let stderr = Self.tail(result.stderrText, limit: 300)
        throw HomelabError(
            .commandFailed,
            "the command on \(name) ended with \(outcome.summary)\(stderr.isEmpty ? "" : " (stderr: \(stderr))")",
            component: "node-maintenance")
    }

    /// The end of `text`, at most `limit` characters from whole lines where possible, trimmed and redacted.
    static func tail(_ text: String, limit: Int = NodeMaintenanceEvent.tailLength) -> String {
        var end = Substring(text)
        while let last = end.last, last.isWhitespace { end = end.dropLast() }
        guard end.count > limit else { return Redaction.redactText(String(end)) }
        var cut = end.suffix(limit)
        if let newline = cut.firstIndex(of: "\n"), cut.index(after: newline) < cut.endIndex {
            cut = cut[cut.index(after: newline)...]
        }
        return Redaction.redactText(String(cut))
    }

    /// Calls `probe` every poll interval until it returns a value or `timeout` passes. Errors that a rebooting
    /// node or a leader election cause (connection failures, timeouts, 503, "not a manager", out of sequence)
    /// count as "not yet"; others are thrown at once.
    /// - Throws: ``HomelabError/Code/timedOut`` ("timed out after 30 s waiting for ...", with the last error seen),
    ///   ``HomelabError/Code/cancelled``, or the probe's error.
    @discardableResult
    func poll<T: Sendable>(
        _ what: String, timeout: Duration, interval: Duration, _ probe: @Sendable () async throws -> T?
    ) async throws -> T {
        let deadline = elapsed() + timeout
        var lastError: HomelabError?
        while true {
            do {
                if let value = try await probe() { return value }
                lastError = nil
            } catch {
                let error = Self.homelabError(error)
                guard Self.isPassing(error) else { throw error }
                lastError = error
            }
            if elapsed() >= deadline {
                throw HomelabError(
                    .timedOut,
                    "timed out after \(timeout.spoken) waiting for \(what)"
                        + (lastError.map { " (last error: \($0))" } ?? ""),
                    component: "node-maintenance")
            }
            do {
                try await sleep(min(interval, max(deadline - elapsed(), .milliseconds(1))))
            } catch {
                throw Self.homelabError(error)
            }
        }
    }

    /// Whether an error during a wait may go away by itself.
    static func isPassing(_ error: HomelabError) -> Bool {
        error.isTransient || [.notSwarmManager, .outOfSequence, .unavailable].contains(error.code)
    }
}
