import Logging

/// How a component's API version is chosen: ask the server once, pick the version both sides speak.
///
/// Docker pings `_ping` and reads `Api-Version`; TrueNAS reads `GET /api/versions`; Proxmox and Forgejo report a
/// version that selects behaviour but not paths. A conforming type does the asking and the choosing;
/// ``VersionNegotiation`` makes sure it happens once, lazily, shared by every copy of a client.
public protocol APIVersionNegotiator: Sendable {
    /// What a negotiation settles on (a version, plus whatever the probe said that is worth keeping).
    associatedtype Outcome: Sendable
    /// Asks the server and chooses.
    /// - Throws: ``HomelabError/Code/unsupportedVersion`` when no version is common; transport errors.
    func negotiate(logger: Logger?) async throws -> Outcome
}

/// The negotiated outcome of an ``APIVersionNegotiator``: negotiated on first use, shared by concurrent first
/// callers (one probe), kept until ``reset()``; a fixed outcome skips the probe.
public actor VersionNegotiation<Negotiator: APIVersionNegotiator> {
    private let negotiator: Negotiator
    private let fixed: Negotiator.Outcome?
    private var negotiated: Negotiator.Outcome?
    private var inFlight: Task<Negotiator.Outcome, any Error>?

    /// Negotiates through `negotiator`, unless `fixed` is given (a configured version, like `DOCKER_API_VERSION`).
    public init(_ negotiator: Negotiator, fixed: Negotiator.Outcome? = nil) {
        self.negotiator = negotiator
        self.fixed = fixed
    }

    /// The outcome, negotiating first when there is none.
    /// - Throws: what the negotiator throws (the next call tries again).
    public func outcome(logger: Logger?) async throws -> Negotiator.Outcome {
        if let fixed { return fixed }
        if let negotiated { return negotiated }
        if let inFlight { return try await inFlight.value }
        let negotiator = self.negotiator
        let task = Task<Negotiator.Outcome, any Error> { try await negotiator.negotiate(logger: logger) }
        inFlight = task
        defer { inFlight = nil }
        let result = try await task.value
        negotiated = result
        return result
    }

    /// The outcome if one has been negotiated (or fixed), without asking the server.
    public var current: Negotiator.Outcome? { fixed ?? negotiated }

    /// Replaces the negotiated outcome (a fresh probe said more, such as Docker's swarm role).
    public func remember(_ outcome: Negotiator.Outcome) {
        if negotiated != nil { negotiated = outcome }
    }

    /// Forgets the negotiated outcome, so the next call asks again (after a server upgrade).
    public func reset() {
        negotiated = nil
    }
}
