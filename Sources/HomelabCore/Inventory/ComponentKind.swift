/// A homelab component the SDK talks to; its raw value is its key under `components:` in the inventory.
public enum ComponentKind: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// The Docker Engine API of a swarm manager.
    case docker
    /// TrueNAS SCALE middleware (JSON-RPC over WebSocket).
    case truenas
    /// Proxmox VE (`pveproxy`, HTTPS on 8006).
    case proxmox
    /// Caddy's admin API.
    case caddy
    /// Authentik's API (`/api/v3`).
    case authentik
    /// 1Password Connect (`/v1`).
    case onepassword
    /// Komodo Core.
    case komodo
    /// Forgejo (`/api/v1`).
    case forgejo
    /// Woodpecker CI (`/api`).
    case woodpecker
    /// matchbox's HTTP boot API.
    case matchbox
    /// dnsmasq for PXE: no API; its configuration file is edited over SSH on its node.
    case dnsmasq
    /// Prometheus' HTTP API.
    case prometheus
    /// Loki's HTTP API.
    case loki
    /// Grafana's HTTP API.
    case grafana
    /// Uptime Kuma (status pages and `/metrics`).
    case uptimeKuma = "uptime_kuma"
    /// cloudflared's metrics server (`/ready`, `/metrics`).
    case cloudflared

    /// The component's name as people write it.
    public var description: String {
        switch self {
        case .docker: return "Docker"
        case .truenas: return "TrueNAS"
        case .proxmox: return "Proxmox VE"
        case .caddy: return "Caddy"
        case .authentik: return "Authentik"
        case .onepassword: return "1Password Connect"
        case .komodo: return "Komodo"
        case .forgejo: return "Forgejo"
        case .woodpecker: return "Woodpecker"
        case .matchbox: return "matchbox"
        case .dnsmasq: return "dnsmasq"
        case .prometheus: return "Prometheus"
        case .loki: return "Loki"
        case .grafana: return "Grafana"
        case .uptimeKuma: return "Uptime Kuma"
        case .cloudflared: return "cloudflared"
        }
    }

    /// The credential names its `credentials:` mapping may hold (every kind also accepts
    /// `client_key_passphrase` for an encrypted TLS client key).
    public var credentialNames: [String] {
        let names: [String]
        switch self {
        case .docker: names = ["registry_password"]
        case .truenas: names = ["api_key", "password"]
        case .proxmox: names = ["token_secret", "password"]
        case .caddy, .matchbox, .dnsmasq: names = []
        case .authentik, .onepassword, .woodpecker: names = ["token"]
        case .komodo: names = ["api_key", "api_secret"]
        case .forgejo, .grafana, .prometheus, .loki: names = ["token", "password"]
        case .uptimeKuma: names = ["api_key", "password"]
        case .cloudflared: names = ["tunnel_token"]
        }
        return names + ["client_key_passphrase"]
    }

    /// Whether the SDK reaches it through an API endpoint (`url:` or `socket:`); otherwise over SSH on its `node:`.
    public var hasAPI: Bool { self != .dnsmasq }

    /// Orders kinds as declared (infrastructure first), for stable listings.
    public static func < (lhs: ComponentKind, rhs: ComponentKind) -> Bool {
        let order = allCases
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }
}
