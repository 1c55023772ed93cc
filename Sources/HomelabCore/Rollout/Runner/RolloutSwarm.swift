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

    /// ``waitForConvergence(service:timeout:pollInterval:progress:logger:)`` with a 1 s poll, except that the
    /// node listing each poll needs is shared with the other steps polling at the same moment: one listing serves
    /// every poll within 250 ms of it (50 steps in flight list the nodes about 4 times a second, not 50).
    /// - Throws: ``HomelabError``.
    public func convergence(
        of service: String, timeout: Duration, progress: @escaping @Sendable (Swarm.ConvergenceProgress) -> Void
    ) async throws -> Swarm.ConvergenceOutcome {
        let clock = ContinuousClock()
        let nodes = self.nodes
        let shared = sharedNodeListing
        return try await converge(
            service: service, deadline: clock.now.advanced(by: timeout), clock: clock, pollInterval: .seconds(1),
            progress: progress, logger: nil
        ) { try await shared.nodes { try await nodes.list() } }
    }
}
