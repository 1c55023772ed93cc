import Foundation

extension Caddy {
    /// Authentik's embedded outpost endpoint for Caddy's `forward_auth`.
    public static let authentikOutpostPath = "/outpost.goauthentik.io/auth/caddy"

    /// A `forward_auth` step: in JSON, a `reverse_proxy` handler with a `rewrite` (GET to the auth URI) and a
    /// `handle_response` that copies headers from the auth answer on a 2xx.
    public struct ForwardAuth: Codable, Sendable, Hashable {
        /// Where the auth request goes (`authentik-server:9000`).
        public var upstreams: [String]
        /// The URI the request is rewritten to (`/outpost.goauthentik.io/auth/caddy`).
        public var uri: String?
        /// The headers copied from the auth answer (`X-Authentik-Username`, ...).
        public var copiedHeaders: [String]

        /// A forward-auth value.
        public init(upstreams: [String], uri: String?, copiedHeaders: [String]) {
            self.upstreams = upstreams
            self.uri = uri
            self.copiedHeaders = copiedHeaders
        }

        /// Whether it asks Authentik's outpost (`/outpost.goauthentik.io/auth/caddy`) and copies `X-Authentik-*`.
        public var isAuthentikOutpost: Bool {
            (uri?.hasPrefix(Caddy.authentikOutpostPath) ?? false)
                && copiedHeaders.contains { $0.lowercased().hasPrefix("x-authentik-") }
        }
    }

    /// One site's route in a form both sides can be compared in: what the live JSON configuration serves, or
    /// what a Caddyfile (generated from labels) says.
    public struct SiteRoute: Codable, Sendable, Hashable {
        /// The host (`grafana.home.arpa`; `*` for a route without a host matcher).
        public var host: String
        /// Path matchers of the route (empty: every path).
        public var paths: [String]
        /// The forward-auth step, if the chain has one.
        public var forwardAuth: ForwardAuth?
        /// Whether an Authentik forward auth runs before anything answers or proxies.
        public var isProtected: Bool
        /// Where requests are finally proxied (`host:port`, sorted).
        public var upstreams: [String]
        /// The handler chain in words (`forward_auth`, `reverse_proxy`, `static_response 404`, ...).
        public var handlers: [String]
        /// Where it is: `/config/apps/http/servers/srv0/routes/3`, or the site block's addresses.
        public var location: String
        /// The route's `@id`, if it has one.
        public var id: String?

        /// A site route value.
        public init(
            host: String, paths: [String] = [], forwardAuth: ForwardAuth? = nil, isProtected: Bool = false, upstreams: [String] = [],
            handlers: [String] = [], location: String = "", id: String? = nil
        ) {
            self.host = host
            self.paths = paths
            self.forwardAuth = forwardAuth
            self.isProtected = isProtected
            self.upstreams = upstreams
            self.handlers = handlers
            self.location = location
            self.id = id
        }
    }

    /// One step of a handler chain, subroutes flattened.
    enum Step: Hashable {
        case forwardAuth(ForwardAuth)
        case proxy([String])
        case respond(String)
        case other(String)

        var word: String {
            switch self {
            case .forwardAuth: return "forward_auth"
            case .proxy: return "reverse_proxy"
            case .respond(let status): return status.isEmpty ? "static_response" : "static_response \(status)"
            case .other(let name): return name
            }
        }
    }

    /// Builds the site route of `hosts` from a flattened chain.
    static func siteRoutes(hosts: [String], paths: [String], steps: [Step], location: String, id: String?) -> [SiteRoute] {
        let answering = steps.firstIndex { if case .forwardAuth = $0 { return false } else if case .other = $0 { return false } else { return true } }
        var forwardAuth: ForwardAuth?
        var protected = false
        for (index, step) in steps.enumerated() {
            guard case .forwardAuth(let auth) = step else { continue }
            if forwardAuth == nil { forwardAuth = auth }
            if auth.isAuthentikOutpost, index < (answering ?? Int.max) { protected = true }
        }
        var upstreams: [String] = []
        for step in steps {
            if case .proxy(let dials) = step { upstreams += dials }
        }
        let handlers = steps.map(\.word)
        return (hosts.isEmpty ? ["*"] : hosts).map { host in
            SiteRoute(
                host: host, paths: paths, forwardAuth: forwardAuth, isProtected: protected, upstreams: Array(Set(upstreams)).sorted(),
                handlers: handlers, location: location, id: id)
        }
    }

    /// The host part of site addresses (`a.example.com, https://b.example.com:443/x` -> `a.example.com`,
    /// `b.example.com`).
    public static func siteHosts(_ keys: [String]) -> [String] {
        keys.flatMap { $0.split(separator: ",") }.compactMap { part -> String? in
            var address = Substring(part.trimmingCharacters(in: .whitespaces))
            if let scheme = address.range(of: "://") { address = address[scheme.upperBound...] }
            if let slash = address.firstIndex(of: "/") { address = address[..<slash] }
            if address.hasPrefix("[") {
                if let close = address.firstIndex(of: "]") { address = address[...close] }
            } else if let colon = address.lastIndex(of: ":") {
                address = address[..<colon]
            }
            return address.isEmpty ? nil : String(address)
        }
    }

    /// An upstream address as Caddy's adapter writes its `dial`: scheme removed, default port added.
    public static func dial(_ address: String) -> String {
        if address.hasPrefix("{") || address.hasPrefix("unix/") { return address }
        var rest = Substring(address)
        var defaultPort = "80"
        if let scheme = rest.range(of: "://") {
            if rest[..<scheme.lowerBound].lowercased() == "https" { defaultPort = "443" }
            rest = rest[scheme.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        let host = String(rest)
        if host.hasPrefix("[") { return host.contains("]:") ? host : host + ":" + defaultPort }
        return host.contains(":") ? host : host + ":" + defaultPort
    }
}
