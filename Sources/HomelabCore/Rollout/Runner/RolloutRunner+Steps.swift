import Foundation

extension RolloutRunner {
    /// Applies the change, waits for convergence, checks health. Errors other than cancellation are failures, except
    /// an engine that does not answer (``engineUnreachable(_:)``): the change is re-submitted (it is idempotent) and
    /// convergence re-awaited until `timeout` passes, then the step comes back ``Completion/unreachable(_:message:)``.
    static func perform(
        _ id: String, change: RolloutChange, swarm: any RolloutSwarm, timeout: Duration, healthURL: String?,
        healthCheck: (@Sendable (String) async -> Bool)?, continuation: AsyncStream<RolloutProgressEvent>.Continuation
    ) async throws -> Completion {
        let deadline = ContinuousClock.now + timeout
        var wait = EngineWait(step: id, deadline: deadline, continuation: continuation)
        while true {
            do {
                try await swarm.modify(service: id) { change.applied(to: $0) }
                break
            } catch {
                if Task.isCancelled { throw error }
                guard let lost = engineUnreachable(error) else { return .failed(id, message: "\(error)", swarmRolledBack: false) }
                if let gaveUp = try await wait.retry(after: lost) { return gaveUp }
            }
        }
        return try await awaitHealthy(
            id, swarm: swarm, timeout: timeout, healthURL: healthURL, healthCheck: healthCheck, continuation: continuation,
            deadline: deadline)
    }

    /// Waits until the service converged, then checks its health URL. Errors other than cancellation are failures.
    static func awaitHealthy(
        _ id: String, swarm: any RolloutSwarm, timeout: Duration, healthURL: String?,
        healthCheck: (@Sendable (String) async -> Bool)?, continuation: AsyncStream<RolloutProgressEvent>.Continuation,
        deadline: ContinuousClock.Instant? = nil
    ) async throws -> Completion {
        let deadline = deadline ?? ContinuousClock.now + timeout
        var wait = EngineWait(step: id, deadline: deadline, continuation: continuation)
        var lost: HomelabError?
        while true {
            do {
                let outcome = try await swarm.convergence(of: id, timeout: max(.zero, ContinuousClock.now.duration(to: deadline))) {
                    progress in
                    continuation.yield(.progress(step: id, running: progress.running, desired: progress.desired))
                }
                // The deadline passed before the engine was back (the last wait saw nothing): not a failed update.
                if case .timedOut(let last) = outcome, last == nil, let lost { return wait.giveUp(after: lost) }
                return try await judge(
                    id, outcome: outcome, timeout: timeout, healthURL: healthURL, healthCheck: healthCheck)
            } catch {
                if Task.isCancelled { throw error }
                guard let unreachable = engineUnreachable(error) else {
                    return .failed(id, message: "\(error)", swarmRolledBack: false)
                }
                lost = unreachable
                if let gaveUp = try await wait.retry(after: unreachable) { return gaveUp }
            }
        }
    }

    /// What a convergence outcome means for the step.
    private static func judge(
        _ id: String, outcome: Swarm.ConvergenceOutcome, timeout: Duration, healthURL: String?,
        healthCheck: (@Sendable (String) async -> Bool)?
    ) async throws -> Completion {
        switch outcome {
        case .completed:
            if let healthURL, let healthCheck, !(await healthCheck(healthURL)) {
                return .failed(id, message: "health check of \(Redaction.redactText(healthURL)) failed", swarmRolledBack: false)
            }
            return .succeeded(id)
        case .paused(let message):
            return .failed(id, message: "update paused: \(message)", swarmRolledBack: false)
        case .rollbackPaused(let message):
            return .failed(id, message: "Swarm's rollback paused: \(message)", swarmRolledBack: false)
        case .rollbackCompleted(let message):
            return .failed(id, message: "Swarm rolled the update back: \(message)", swarmRolledBack: true)
        case .timedOut(let last):
            let tasks = last.map { " (\($0.running) of \($0.desired) tasks running)" } ?? ""
            return .failed(id, message: "did not converge within \(timeout)\(tasks)", swarmRolledBack: false)
        }
    }

    /// Asks Swarm to roll `id` back and waits for it.
    static func rollBack(
        _ id: String, swarm: any RolloutSwarm, timeout: Duration, continuation: AsyncStream<RolloutProgressEvent>.Continuation
    ) async throws -> Completion {
        do {
            try await swarm.rollBack(service: id)
            let outcome = try await swarm.convergence(of: id, timeout: timeout) { progress in
                continuation.yield(.progress(step: id, running: progress.running, desired: progress.desired))
            }
            if case .rollbackCompleted = outcome { return .rolledBack(id, ok: true) }
            return .rolledBack(id, ok: outcome == .completed)
        } catch {
            if Task.isCancelled { throw error }
            return .rolledBack(id, ok: false)
        }
    }
}
