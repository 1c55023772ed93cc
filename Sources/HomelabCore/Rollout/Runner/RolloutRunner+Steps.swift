import Foundation

extension RolloutRunner {
    /// Applies the change, waits for convergence, checks health. Errors other than cancellation are failures.
    static func perform(
        _ id: String, change: RolloutChange, swarm: any RolloutSwarm, timeout: Duration, healthURL: String?,
        healthCheck: (@Sendable (String) async -> Bool)?, continuation: AsyncStream<RolloutProgressEvent>.Continuation
    ) async throws -> Completion {
        do {
            try await swarm.modify(service: id) { change.applied(to: $0) }
        } catch {
            if Task.isCancelled { throw error }
            return .failed(id, message: "\(error)", swarmRolledBack: false)
        }
        return try await awaitHealthy(
            id, swarm: swarm, timeout: timeout, healthURL: healthURL, healthCheck: healthCheck, continuation: continuation)
    }

    /// Waits until the service converged, then checks its health URL. Errors other than cancellation are failures.
    static func awaitHealthy(
        _ id: String, swarm: any RolloutSwarm, timeout: Duration, healthURL: String?,
        healthCheck: (@Sendable (String) async -> Bool)?, continuation: AsyncStream<RolloutProgressEvent>.Continuation
    ) async throws -> Completion {
        do {
            let outcome = try await swarm.convergence(of: id, timeout: timeout) { progress in
                continuation.yield(.progress(step: id, running: progress.running, desired: progress.desired))
            }
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
        } catch {
            if Task.isCancelled { throw error }
            return .failed(id, message: "\(error)", swarmRolledBack: false)
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
