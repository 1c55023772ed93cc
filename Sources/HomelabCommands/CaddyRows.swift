import HomelabCore

/// One live route in `homelab caddy routes -o json`.
struct CaddyRouteRow: Encodable, Sendable {
    var host: String
    var paths: [String]
    var upstreams: [String]
    var protected: Bool
    var forward_auth: String?
    var handlers: [String]
    var service: String?
    var location: String
    var id: String?

    init(_ route: Caddy.SiteRoute, owner: String?) {
        host = route.host
        paths = route.paths
        upstreams = route.upstreams
        protected = route.isProtected
        forward_auth = route.forwardAuth.map { "\($0.upstreams.joined(separator: " ")) \($0.uri ?? "")" }
        handlers = route.handlers
        service = owner
        location = route.location
        id = route.id
    }

    static let table = Table<CaddyRouteRow>([
        .init("HOST") { .text($0.host) },
        .init("UPSTREAMS") { .text($0.upstreams.isEmpty ? "-" : $0.upstreams.joined(separator: " ")) },
        .init("PROTECTED") { .state($0.protected ? "yes" : "no", $0.protected ? .good : .muted) },
        .init("SERVICE") { .text($0.service ?? "-") },
        .init("FORWARD AUTH", wide: true) { .text($0.forward_auth ?? "-") },
        .init("HANDLERS", wide: true) { .text($0.handlers.joined(separator: " > ")) },
        .init("LOCATION", wide: true) { .text($0.location) },
    ])
}

/// One difference in `homelab caddy diff -o json`: `kind` is missing, unexpected, upstreams or forward_auth.
struct CaddyDifferenceRow: Encodable, Sendable {
    var host: String
    var kind: String
    var labels: String
    var live: String

    init(_ difference: Caddy.RouteDifference) {
        host = difference.host
        kind = difference.kind.rawValue
        labels = difference.labels
        live = difference.live
    }

    static let table = Table<CaddyDifferenceRow>([
        .init("HOST") { .text($0.host) },
        .init("DIFFERS") { .state($0.kind, .bad) },
        .init("LABELS SAY") { .text($0.labels) },
        .init("LIVE CADDY SERVES") { .text($0.live) },
    ])
}

/// One finding in `homelab caddy unprotected -o json`: `kind` is missing_forward_auth or unlabelled_public.
struct CaddyFindingRow: Encodable, Sendable {
    var host: String
    var service: String
    var kind: String
    var detail: String

    init(_ finding: Caddy.ProtectionFinding) {
        host = finding.host
        service = finding.service
        kind = finding.kind.rawValue
        detail = finding.detail
    }

    static let table = Table<CaddyFindingRow>([
        .init("HOST") { .text($0.host) },
        .init("SERVICE") { .text($0.service) },
        .init("FINDING") { .state($0.kind, $0.kind == Caddy.ProtectionFinding.Kind.missingForwardAuth.rawValue ? .bad : .warning) },
        .init("DETAIL") { .text($0.detail) },
    ])
}

/// One upstream in `homelab caddy upstreams -o json`.
struct CaddyUpstreamRow: Encodable, Sendable {
    var address: String
    var num_requests: Int
    var fails: Int
    var healthy: Bool
    var hosts: [String]

    init(_ status: Caddy.UpstreamStatus, hosts: [String]) {
        address = status.address
        num_requests = status.numRequests
        fails = status.fails
        healthy = status.fails == 0
        self.hosts = Array(Set(hosts)).sorted()
    }

    static let table = Table<CaddyUpstreamRow>([
        .init("UPSTREAM") { .text($0.address) },
        .init("HEALTH") { .state($0.healthy ? "healthy" : "failing", $0.healthy ? .good : .bad) },
        .init("REQUESTS") { .text(String($0.num_requests)) },
        .init("FAILS") { .text(String($0.fails)) },
        .init("ROUTES") { .text($0.hosts.isEmpty ? "-" : $0.hosts.joined(separator: " ")) },
    ])
}

/// `homelab caddy reload -o json`: whether it loaded, how many hosts, the Caddyfile, the adapter's warnings.
struct CaddyReloadResult: Encodable, Sendable {
    var loaded: Bool
    var sites: Int
    var caddyfile: String
    var warnings: [String]
}
