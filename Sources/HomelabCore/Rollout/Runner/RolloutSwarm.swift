import Logging

/// The Swarm operations a rollout runner needs; ``SwarmClient`` provides them, tests fake them.
public protocol RolloutSwarm: Sendable {
    /// The service's current spec.
    /// - Throws: ``HomelabError`` (`.notFound` for an unknown service).
    func currentSpec(of service: String) async throws -> Swarm.ServiceSpec
    /// Reads, changes and submits the service's spec (nothing is submitted when `change` leaves it as it was).
    /// - Throws: ``HomelabError``.
    func modify(service: String, _ change: @escaping @Sendable (Swarm.ServiceSpec) -> Swarm.ServiceSpec) async throws
    /// Asks Swarm to roll the service back to its previous spec.
    /// - Throws: ``HomelabError``.
    func rollBack(service: String) async throws
    /// Waits until the service converges, pauses, rolls back or `timeout` passes.
    /// - Throws: ``HomelabError`` (`.cancelled` when the task is cancelled).
    func convergence(
        of service: String, timeout: Duration, progress: @escaping @Sendable (Swarm.ConvergenceProgress) -> Void
    ) async throws -> Swarm.ConvergenceOutcome
}

extension SwarmClient: RolloutSwarm {
    /// The service's spec as the engine returns it.
    /// - Throws: ``HomelabError``; `.decodingFailed` when the service has no spec.
    public func currentSpec(of service: String) async throws -> Swarm.ServiceSpec {
        guard let spec = try await services.inspect(service).spec else {
            throw HomelabError(.decodingFailed, "service \(service) was returned without a spec", component: "rollout")
        }
        return spec
    }

    /// ``Services/modify(_:maxAttempts:logger:_:)`` with a pure change.
    /// - Throws: ``HomelabError``.
    public func modify(service: String, _ change: @escaping @Sendable (Swarm.ServiceSpec) -> Swarm.ServiceSpec) async throws {
        try await services.modify(service) { spec in spec = change(spec) }
    }

    /// ``Services/rollback(_:maxAttempts:logger:)``.
    /// - Throws: ``HomelabError``.
    public func rollBack(service: String) async throws {
        try await services.rollback(service)
    }

    /// ``waitForConvergence(service:timeout:pollInterval:progress:logger:)`` with a 1 s poll.
    /// - Throws: ``HomelabError``.
    public func convergence(
        of service: String, timeout: Duration, progress: @escaping @Sendable (Swarm.ConvergenceProgress) -> Void
    ) async throws -> Swarm.ConvergenceOutcome {
        try await waitForConvergence(service: service, timeout: timeout, pollInterval: .seconds(1), progress: progress)
    }
}
