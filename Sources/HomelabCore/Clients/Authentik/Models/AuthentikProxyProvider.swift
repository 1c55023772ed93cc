import Foundation

extension Authentik {
    /// A proxy provider (`/providers/proxy/`): a reverse proxy or, for Caddy's `forward_auth`, a forward-auth
    /// check per application (`forward_single`) or per domain (`forward_domain`).
    public struct ProxyProvider: Codable, Sendable, Hashable {
        /// Its primary key.
        public var pk: Int
        /// Its name.
        public var name: String
        /// The public URL users reach the application at (`https://grafana.home.arpa`).
        public var externalHost: String
        /// Where the outpost proxies to (proxy mode only).
        public var internalHost: String?
        /// `proxy`, `forward_single` or `forward_domain`.
        public var mode: Mode
        /// The cookie domain (domain mode).
        public var cookieDomain: String?
        /// Paths that pass without authentication.
        public var skipPathRegex: String?
        /// The slug of the application it is bound to, if any.
        public var assignedApplicationSlug: String?
        /// The outposts it is bound to (their names or UUIDs as the server lists them).
        public var outpostSet: [String]
        /// The flow that authorises users (a UUID; required on creation).
        public var authorizationFlow: String?
        /// The flow that signs users out (a UUID; required on creation since 2024.10).
        public var invalidationFlow: String?

        /// A proxy provider's mode.
        public enum Mode: LenientEnum {
            /// A full reverse proxy run by the outpost.
            case proxy
            /// Forward auth for one application (`external_host` = the application's URL).
            case forwardSingle
            /// Forward auth for a whole domain (`cookie_domain`).
            case forwardDomain
            /// A value this SDK does not know yet, kept verbatim.
            case unknown(String)
            /// Every case this SDK knows.
            public static let knownCases: [Mode] = [.proxy, .forwardSingle, .forwardDomain]
            /// The spelling on the wire.
            public var rawValue: String {
                switch self {
                case .proxy: return "proxy"
                case .forwardSingle: return "forward_single"
                case .forwardDomain: return "forward_domain"
                case .unknown(let value): return value
                }
            }
            /// Whether it answers forward-auth checks (`forward_single` or `forward_domain`).
            public var isForwardAuth: Bool { self == .forwardSingle || self == .forwardDomain }
        }

        private enum CodingKeys: String, CodingKey {
            case pk, name, mode
            case externalHost = "external_host"
            case internalHost = "internal_host"
            case cookieDomain = "cookie_domain"
            case skipPathRegex = "skip_path_regex"
            case assignedApplicationSlug = "assigned_application_slug"
            case outpostSet = "outpost_set"
            case authorizationFlow = "authorization_flow"
            case invalidationFlow = "invalidation_flow"
        }

        /// A proxy provider value.
        public init(pk: Int = 0, name: String, externalHost: String, mode: Mode = .forwardSingle) {
            self.pk = pk
            self.name = name
            self.externalHost = externalHost
            self.mode = mode
            self.outpostSet = []
        }

        /// Reads a proxy provider leniently (only `pk` is required; the mode defaults to `proxy`, as the server's).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pk = try c.decode(Int.self, forKey: .pk)
            name = c.lenient(String.self, .name) ?? ""
            externalHost = c.lenient(String.self, .externalHost) ?? ""
            internalHost = c.lenient(String.self, .internalHost)
            mode = c.lenient(Mode.self, .mode) ?? .proxy
            cookieDomain = c.lenient(String.self, .cookieDomain)
            skipPathRegex = c.lenient(String.self, .skipPathRegex)
            assignedApplicationSlug = c.lenient(String.self, .assignedApplicationSlug)
            outpostSet = c.lenient([String].self, .outpostSet) ?? []
            authorizationFlow = c.lenient(String.self, .authorizationFlow)
            invalidationFlow = c.lenient(String.self, .invalidationFlow)
        }

        /// The host of ``externalHost`` (`grafana.home.arpa`), lowercased; `nil` when it names none.
        public var externalHostName: String? {
            let text = externalHost.contains("://") ? externalHost : "https://" + externalHost
            guard let host = URLHost.host(of: text) else { return nil }
            return host
        }
    }

    /// The body that creates a proxy provider.
    public struct ProxyProviderRequest: Codable, Sendable, Hashable {
        /// Its name.
        public var name: String
        /// The application's public URL.
        public var externalHost: String
        /// The mode (`forward_single` for Caddy's forward auth per application).
        public var mode: ProxyProvider.Mode
        /// The authorisation flow's UUID.
        public var authorizationFlow: String
        /// The invalidation flow's UUID.
        public var invalidationFlow: String
        /// The cookie domain (domain mode).
        public var cookieDomain: String?

        private enum CodingKeys: String, CodingKey {
            case name, mode
            case externalHost = "external_host"
            case authorizationFlow = "authorization_flow"
            case invalidationFlow = "invalidation_flow"
            case cookieDomain = "cookie_domain"
        }

        /// A request.
        public init(
            name: String, externalHost: String, mode: ProxyProvider.Mode = .forwardSingle, authorizationFlow: String,
            invalidationFlow: String, cookieDomain: String? = nil
        ) {
            self.name = name
            self.externalHost = externalHost
            self.mode = mode
            self.authorizationFlow = authorizationFlow
            self.invalidationFlow = invalidationFlow
            self.cookieDomain = cookieDomain
        }
    }
}

/// The host part of a URL, lowercased, without brackets or port.
enum URLHost {
    static func host(of url: String) -> String? {
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else { return nil }
        return host.lowercased()
    }
}
