import Foundation
import Logging

/// Carries out a ``NodeMaintenancePlan``: batch after batch, and on each node of a batch (together): record the
/// start in the audit log, drain, wait until none of its tasks runs, run the command over SSH, wait until the
/// node is Ready (after a reboot: first until it left Ready), activate, wait until it is Ready and active.
///
/// A node whose maintenance fails is left as the failure message says (drained, unless draining itself failed)
/// and no later batch starts; the other nodes of its batch finish. Before a batch with managers the quorum is
/// checked again against the live nodes. ``events`` ends when ``run(_:)`` returns; use one runner per run.
public actor NodeMaintenanceRunner {
    /// Progress, for a CLI or UI.
    public nonisolated let events: AsyncStream<NodeMaintenanceEvent>
    let continuation: AsyncStream<NodeMaintenanceEvent>.Continuation
    let swarm: any NodeMaintenanceSwarm
    let shell: any NodeMaintenanceShell
    let audit: AuditLog?
    let user: String
    let logger: Logger
    let elapsed: @Sendable () -> Duration
    let sleep: @Sendable (Duration) async throws -> Void

    /// A runner.
    /// - Parameters:
    ///   - audit: where each node's start and end are recorded (component `docker`, operation `node.maintain`);
    ///     `nil` records nothing.
    ///   - user: who runs the maintenance, for the audit log.
    ///   - clock: times the waits (a test clock in tests).
    public init(
        swarm: any NodeMaintenanceSwarm, shell: any NodeMaintenanceShell, audit: AuditLog?, user: String,
        clock: any Clock<Duration> = ContinuousClock(), logger: Logger
    ) {
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        self.swarm = swarm
        self.shell = shell
        self.audit = audit
        self.user = user
        self.logger = logger
        (elapsed, sleep) = Self.timing(clock)
    }

    private static func timing<C: Clock<Duration>>(_ clock: C) -> (@Sendable () -> Duration, @Sendable (Duration) async throws -> Void) {
        let start = clock.now
        return ({ start.duration(to: clock.now) }, { try await clock.sleep(for: $0) })
    }

    /// Maintains every node of `plan` and reports how it went; failures are in the result, not thrown.
    public func run(_ plan: NodeMaintenancePlan) async -> NodeMaintenanceResult {
        var result = NodeMaintenanceResult(completed: [], failed: [:], notStarted: [])
        defer { continuation.finish() }
        for batch in plan.batches {
            let names = batch.map(\.name)
            if !result.failed.isEmpty || Task.isCancelled {
                result.notStarted += names
                continuation.yield(.notStarted(nodes: names))
                continue
            }
            if let refusal = await quorumRefusal(batch, options: plan.options) {
                for name in names {
                    result.failed[name] = refusal
                    continuation.yield(.failed(node: name, message: refusal))
                }
                continue
            }
            continuation.yield(.batchStarted(nodes: names))
            let outcomes = await withTaskGroup(of: (String, String?).self) { group in
                for target in batch {
                    group.addTask { (target.name, await self.maintain(target, options: plan.options, skipCommand: false)) }
                }
                var outcomes: [(String, String?)] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            for (name, failure) in outcomes {
                if let failure { result.failed[name] = failure } else { result.completed.append(name) }
            }
        }
        return result
    }

    /// Maintains one node as a step of a larger operation (a rollout): for a manager the live quorum is checked
    /// first; with `commandAlreadyRan` (a step resumed after a crash that came after its command) the command and
    /// the wait for a reboot are skipped, and the node is waited on until Ready, then activated. `beforeCommand` runs
    /// once the node is drained and just before the command starts (a rollout journals it there); when it throws,
    /// the command is not run and the node is left drained, as the message says. ``events`` ends when it returns;
    /// use one runner per node.
    /// - Returns: the failure message (the node is left as it says), or `nil` when the node is active again.
    public func maintainOne(
        _ target: NodeMaintenancePlan.Target, options: NodeMaintenanceOptions, commandAlreadyRan: Bool = false,
        beforeCommand: (@Sendable () async throws -> Void)? = nil
    ) async -> String? {
        defer { continuation.finish() }
        if let refusal = await quorumRefusal([target], options: options) {
            continuation.yield(.failed(node: target.name, message: refusal))
            return refusal
        }
        return await maintain(target, options: options, skipCommand: commandAlreadyRan, beforeCommand: beforeCommand)
    }

    /// Why the batch may not start now (the live quorum forbids it), or `nil`.
    private func quorumRefusal(_ batch: [NodeMaintenancePlan.Target], options: NodeMaintenanceOptions) async -> String? {
        let managers = batch.filter(\.isManager).map(\.name)
        guard !managers.isEmpty, !options.allowQuorumLoss else { return nil }
        do {
            try ManagerQuorum(nodes: try await swarm.maintenanceNodes()).check(takingDown: managers, allowQuorumLoss: false)
            return nil
        } catch {
            return "not started: \(Self.homelabError(error).message)"
        }
    }

    /// One node, start to end; returns the failure message, or `nil` when the node is active again.
    private func maintain(
        _ target: NodeMaintenancePlan.Target, options: NodeMaintenanceOptions, skipCommand: Bool,
        beforeCommand: (@Sendable () async throws -> Void)? = nil
    ) async -> String? {
        let name = target.name
        let reactivate =
            "once it is healthy, reactivate it with `homelab node activate \(name)` "
            + "(or `docker node update --availability active \(name)`)"
        let detail = "command: \(options.command)\(options.expectsReboot ? " (reboots)" : "")"
        do {
            try await record(name, .started, detail: detail)
        } catch {
            return fail(name, "could not record the start in the audit log, so nothing was changed: \(Self.homelabError(error))")
        }
        continuation.yield(.draining(node: name))
        do {
            try await swarm.setAvailability(ofNode: target.id, to: .drain)
        } catch {
            return await finishFailed(
                name, "draining failed (\(Self.homelabError(error))); the node may be drained: \(reactivate)")
        }
        do {
            try await waitForTasksToStop(target, timeout: options.drainTimeout, interval: options.pollInterval)
            continuation.yield(.drained(node: name))
            if !skipCommand {
                try await beforeCommand?()
                let outcome = try await runCommand(target, options: options)
                continuation.yield(.commandFinished(node: name, outcome: outcome))
                if options.expectsReboot { try await waitForReboot(target, outcome: outcome, options: options) }
            }
            try await poll("\(name) to be Ready after the command", timeout: options.readyTimeout, interval: options.pollInterval) {
                try await self.swarm.maintenanceNode(target.id).status?.state == .ready ? true : nil
            }
            continuation.yield(.nodeReady(node: name))
        } catch {
            return await finishFailed(name, "\(Self.homelabError(error).message); the node is left drained: \(reactivate)")
        }
        do {
            try await poll("\(name) to accept activation", timeout: options.readyTimeout, interval: options.pollInterval) {
                try await self.swarm.setAvailability(ofNode: target.id, to: .active)
                return true
            }
            try await poll("\(name) to be Ready and active", timeout: options.readyTimeout, interval: options.pollInterval) {
                let node = try await self.swarm.maintenanceNode(target.id)
                return node.status?.state == .ready && node.spec?.availability == .active ? true : nil
            }
        } catch {
            return await finishFailed(
                name, "activating failed (\(Self.homelabError(error).message)); the command ran and the node was Ready: \(reactivate)")
        }
        continuation.yield(.activated(node: name))
        do {
            try await record(name, .succeeded, detail: detail)
        } catch {
            logger.warning("could not record the end of a node's maintenance", metadata: ["node": "\(name)", "error": "\(error)"])
        }
        return nil
    }

    /// After a reboot command: waits until the node leaves Ready.
    private func waitForReboot(
        _ target: NodeMaintenancePlan.Target, outcome: NodeMaintenanceEvent.CommandOutcome, options: NodeMaintenanceOptions
    ) async throws {
        let what = "\(target.name) to leave Ready after the reboot command (which ended with \(outcome.summary)); it may not have rebooted"
        let state = try await poll(what, timeout: options.downTimeout, interval: options.pollInterval) {
            let state = try await self.swarm.maintenanceNode(target.id).status?.state
            return state == .ready ? nil : (state?.rawValue ?? "unknown")
        }
        continuation.yield(.nodeDown(node: target.name, state: state))
    }

    private func finishFailed(_ name: String, _ message: String) async -> String {
        do {
            try await record(name, .failed, detail: message)
        } catch {
            logger.warning("could not record a node maintenance failure", metadata: ["node": "\(name)", "error": "\(error)"])
        }
        return fail(name, message)
    }

    private func fail(_ name: String, _ message: String) -> String {
        let redacted = Redaction.redactText(message)
        logger.error("node maintenance failed", metadata: ["node": "\(name)", "error": "\(redacted)"])
        continuation.yield(.failed(node: name, message: redacted))
        return redacted
    }

    private func record(_ node: String, _ outcome: AuditOutcome, detail: String) async throws {
        guard let audit else { return }
        try await audit.record(
            AuditEntry(user: user, component: "docker", operation: "node.maintain", target: node, outcome: outcome, detail: detail))
    }

    /// Any error as a ``HomelabError`` (cancellation becomes `.cancelled`).
    static func homelabError(_ error: any Error) -> HomelabError {
        if let error = error as? HomelabError { return error }
        if error is CancellationError {
            return HomelabError(.cancelled, "node maintenance was cancelled", component: "node-maintenance")
        }
        return HomelabError(.internalFailure, "\(error)", component: "node-maintenance", underlying: nil)
    }
}
