import Foundation

extension Authentik {
    /// An outpost (`/outposts/instances/`): the proxy, LDAP, RADIUS or RAC instance that serves providers. The
    /// embedded outpost runs inside the server (`managed: goauthentik.io/outposts/embedded`).
    public struct Outpost: Codable, Sendable, Hashable {
        /// Its UUID.
        public var pk: String
        /// Its name.
        public var name: String
        /// `proxy`, `ldap`, `radius` or `rac`.
        public var type: OutpostType
        /// The primary keys of the providers it serves.
        public var providers: [Int]
        /// Set on outposts the server manages itself (the embedded one).
        public var managed: String?
        /// How often it fetches its configuration, in seconds.
        public var refreshIntervalSeconds: Int?

        /// The managed name of the embedded outpost.
        public static let embeddedManagedName = "goauthentik.io/outposts/embedded"

        /// Whether it is the outpost inside the server.
        public var isEmbedded: Bool { managed == Self.embeddedManagedName }

        /// An outpost's type.
        public enum OutpostType: LenientEnum {
            /// Proxy (and forward auth).
            case proxy
            /// LDAP.
            case ldap
            /// RADIUS.
            case radius
            /// Remote access (RAC).
            case rac
            /// A value this SDK does not know yet, kept verbatim.
            case unknown(String)
            /// Every case this SDK knows.
            public static let knownCases: [OutpostType] = [.proxy, .ldap, .radius, .rac]
            /// The spelling on the wire.
            public var rawValue: String {
                switch self {
                case .proxy: return "proxy"
                case .ldap: return "ldap"
                case .radius: return "radius"
                case .rac: return "rac"
                case .unknown(let value): return value
                }
            }
        }

        private enum CodingKeys: String, CodingKey {
            case pk, name, type, providers, managed
            case refreshIntervalSeconds = "refresh_interval_s"
        }

        /// An outpost value.
        public init(pk: String, name: String, type: OutpostType = .proxy, providers: [Int] = [], managed: String? = nil) {
            self.pk = pk
            self.name = name
            self.type = type
            self.providers = providers
            self.managed = managed
        }

        /// Reads an outpost leniently (only `pk` is required).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pk = try c.decode(String.self, forKey: .pk)
            name = c.lenient(String.self, .name) ?? pk
            type = c.lenient(OutpostType.self, .type) ?? .unknown("")
            providers = c.lenient([Int].self, .providers) ?? []
            managed = c.lenient(String.self, .managed)
            refreshIntervalSeconds = c.lenient(Int.self, .refreshIntervalSeconds)
        }
    }

    /// The state of one running instance of an outpost (`/outposts/instances/{uuid}/health/`).
    public struct OutpostHealth: Codable, Sendable, Hashable {
        /// The instance's ID.
        public var uid: String
        /// Its host name.
        public var hostname: String?
        /// When it last checked in (ISO 8601).
        public var lastSeen: String?
        /// The version it runs.
        public var version: String?
        /// The version it should run (the server's).
        public var versionShould: String?
        /// Whether it runs an older version than the server.
        public var versionOutdated: Bool?
        /// The build it runs.
        public var buildHash: String?

        private enum CodingKeys: String, CodingKey {
            case uid, hostname, version
            case lastSeen = "last_seen"
            case versionShould = "version_should"
            case versionOutdated = "version_outdated"
            case buildHash = "build_hash"
        }

        /// A health value.
        public init(uid: String, hostname: String? = nil, lastSeen: String? = nil, version: String? = nil) {
            self.uid = uid
            self.hostname = hostname
            self.lastSeen = lastSeen
            self.version = version
        }

        /// Reads a health entry leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            uid = c.lenient(String.self, .uid) ?? ""
            hostname = c.lenient(String.self, .hostname)
            lastSeen = c.lenient(String.self, .lastSeen)
            version = c.lenient(String.self, .version)
            versionShould = c.lenient(String.self, .versionShould)
            versionOutdated = c.lenient(Bool.self, .versionOutdated)
            buildHash = c.lenient(String.self, .buildHash)
        }

        /// ``lastSeen`` as a date.
        public var lastSeenDate: Date? { ISOTimestamp.date(lastSeen) }

        /// Whether it checked in within `window` of `now` (an outpost checks in every few seconds).
        public func isHealthy(now: Date = Date(), window: TimeInterval = 300) -> Bool {
            guard let seen = lastSeenDate else { return false }
            return now.timeIntervalSince(seen) <= window
        }
    }
}
