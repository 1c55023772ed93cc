import Logging

/// How the metrics collectors reach the homelab: the inventory, the swarm's client, a reachability check for
/// components without collectors of their own yet, and the rollout journal.
///
/// The one seam between collection and opening: ``ConnectionsMetricsSource`` opens clients through
/// ``HomelabConnections``; tests may pass their own.
public protocol MetricsSource: Sendable {
    /// The inventory: which components exist, and each service's stack and tier.
    var homelab: Homelab { get }
    /// The rollout journal, when a state store is configured.
    var journal: RolloutJournal? { get }
    /// The swarm's client, opened once and kept between scrapes.
    /// - Throws: ``HomelabError`` when the inventory has no usable Docker endpoint.
    func swarm() async throws -> SwarmClient
    /// Checks that component `kind` answers. Throws what went wrong; a 401 or 403 is ``HomelabError/Code/unauthorized``.
    func checkReachable(_ kind: ComponentKind, timeout: Duration, logger: Logger?) async throws
    /// TrueNAS's client, opened once and kept between scrapes; nil when the source opens none (TrueNAS is then only
    /// checked for reachability).
    /// - Throws: ``HomelabError`` when the inventory has no usable TrueNAS entry or the login is refused.
    func trueNAS() async throws -> TrueNASClient?
    /// The Proxmox VE client, opened once and kept between scrapes (`nil`: only its reachability is checked).
    func proxmox() async throws -> ProxmoxClient?
    /// The Komodo client, opened once and kept between scrapes (`nil`: only its reachability is checked).
    func komodo() async throws -> KomodoClient?
    /// Caddy's admin client, opened once and kept between scrapes (`nil`: only its reachability is checked).
    func caddy() async throws -> CaddyClient?
    /// matchbox's HTTP client and, when known, its data directory (`nil`: only its reachability is checked).
    func matchbox() async throws -> (client: MatchboxClient, directory: MatchboxDataDirectory?)?
    /// Authentik's client (`nil`: only its reachability is checked).
    func authentik() async throws -> AuthentikClient?
    /// 1Password Connect's client (`nil`: only its reachability is checked).
    func onePassword() async throws -> OnePasswordClient?
    /// Forgejo's client (`nil`: only its reachability is checked).
    func forgejo() async throws -> ForgejoClient?
    /// Woodpecker's client (`nil`: only its reachability is checked).
    func woodpecker() async throws -> WoodpeckerClient?
}

extension MetricsSource {
    /// No TrueNAS client.
    public func trueNAS() async throws -> TrueNASClient? { nil }
    /// No Proxmox client: only its reachability is checked.
    public func proxmox() async throws -> ProxmoxClient? { nil }
    /// No Komodo client: only its reachability is checked.
    public func komodo() async throws -> KomodoClient? { nil }
    /// No Caddy client: only its reachability is checked.
    public func caddy() async throws -> CaddyClient? { nil }
    /// No matchbox client: only its reachability is checked.
    public func matchbox() async throws -> (client: MatchboxClient, directory: MatchboxDataDirectory?)? { nil }
    /// No Authentik client: only its reachability is checked.
    public func authentik() async throws -> AuthentikClient? { nil }
    /// No 1Password Connect client: only its reachability is checked.
    public func onePassword() async throws -> OnePasswordClient? { nil }
    /// No Forgejo client: only its reachability is checked.
    public func forgejo() async throws -> ForgejoClient? { nil }
    /// No Woodpecker client: only its reachability is checked.
    public func woodpecker() async throws -> WoodpeckerClient? { nil }
}

/// Why a component's collection failed, as the `reason` label of `homelab_collection_errors_total`.
public enum CollectionFailure: String, Sendable, Hashable, CaseIterable {
    /// The deadline passed before the component answered.
    case timeout
    /// The connection could not be made (refused, reset, socket missing, TLS).
    case unreachable
    /// The component rejected the credentials (401/403).
    case unauthorized
    /// The component answered with an error or an answer that could not be read.
    case error
    /// The inventory entry cannot be used (no endpoint, a tunnel the exporter cannot take).
    case configuration

    /// The class of `error`.
    public init(_ error: any Error) {
        guard let error = error as? HomelabError else {
            self = error is CancellationError ? .timeout : .error
            return
        }
        switch error.code {
        case .timedOut, .cancelled: self = .timeout
        case .connectionFailed, .tlsFailure, .hostKeyMismatch, .hostKeyUnknown: self = .unreachable
        case .unauthorized, .authenticationFailed, .secretUnavailable: self = .unauthorized
        case .invalidConfiguration: self = .configuration
        default: self = error.status == 401 || error.status == 403 ? .unauthorized : .error
        }
    }
}
