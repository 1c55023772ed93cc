import Logging

/// The collectors' view of ``HomelabConnections``: every component opened once from the inventory (credentials,
/// TLS, SSH tunnels) and kept between scrapes; components without collectors of their own are checked with
/// ``ComponentProbe`` (each one's own version or health call).
public struct ConnectionsMetricsSource: MetricsSource {
    /// The opened components.
    public let connections: HomelabConnections
    /// The rollout journal, if any.
    public let journal: RolloutJournal?

    /// A source over `connections`; `journal` adds the rollout metrics.
    public init(connections: HomelabConnections, journal: RolloutJournal? = nil) {
        self.connections = connections
        self.journal = journal
    }

    /// The inventory.
    public var homelab: Homelab { connections.homelab }

    /// The swarm's client, opened on first use.
    /// - Throws: what opening `components.docker` throws (configuration, tunnel, credentials).
    public func swarm() async throws -> SwarmClient {
        try await connections.swarm()
    }

    /// TrueNAS's client, opened on first use.
    /// - Throws: what opening `components.truenas` throws (configuration, credentials, login).
    public func trueNAS() async throws -> TrueNASClient? {
        try await connections.trueNAS()
    }

    /// The Proxmox VE client of `components.proxmox`, opened on first use.
    /// - Throws: what opening it throws (configuration, credentials, tunnel).
    public func proxmox() async throws -> ProxmoxClient? {
        try await connections.proxmox()
    }

    /// The Komodo client of `components.komodo`, opened on first use.
    /// - Throws: what opening it throws (configuration, credentials, tunnel).
    public func komodo() async throws -> KomodoClient? {
        try await connections.komodo()
    }

    /// Caddy's admin client of `components.caddy`, opened on first use.
    /// - Throws: what opening it throws (configuration, tunnel).
    public func caddy() async throws -> CaddyClient? {
        try await connections.caddy()
    }

    /// matchbox's client of `components.matchbox`, with its data directory when `config_path` names one.
    /// - Throws: what opening it throws (configuration, tunnel).
    public func matchbox() async throws -> (client: MatchboxClient, directory: MatchboxDataDirectory?)? {
        (try await connections.matchbox(), try? connections.matchboxDirectory())
    }

    /// Authentik's client of `components.authentik`.
    public func authentik() async throws -> AuthentikClient? { try await connections.authentik() }

    /// 1Password Connect's client of `components.onepassword`.
    public func onePassword() async throws -> OnePasswordClient? { try await connections.onePassword() }

    /// The Forgejo client of `components.forgejo`.
    /// - Throws: what opening it throws (configuration, credentials, tunnel).
    public func forgejo() async throws -> ForgejoClient? {
        try await connections.forgejo()
    }

    /// The Woodpecker client of `components.woodpecker`.
    /// - Throws: what opening it throws (configuration, credentials, tunnel).
    public func woodpecker() async throws -> WoodpeckerClient? {
        try await connections.woodpecker()
    }

    /// Probes `kind` with its own call.
    /// - Throws: ``HomelabError`` of the code matching the probe's outcome (`.unauthorized` for 401/403).
    public func checkReachable(_ kind: ComponentKind, timeout: Duration, logger: Logger?) async throws {
        let row = await ComponentProbe.probe(kind, connections: connections, timeout: timeout, logger: logger)
        switch row.state {
        case .up: return
        case .credentialsRejected(let status):
            throw HomelabError(.unauthorized, "credentials rejected", component: kind.rawValue, status: status)
        case .notConfigured(let reason):
            throw HomelabError(.invalidConfiguration, reason, component: kind.rawValue)
        case .down(let reason):
            throw HomelabError(row.errorCode ?? .httpStatus, reason, component: kind.rawValue)
        }
    }
}
