extension Authentik {
    /// The server's version (`/admin/version/`): a cheap authenticated request.
    public struct Version: Codable, Sendable, Hashable {
        /// The version running (`2026.2.2`).
        public var versionCurrent: String
        /// The newest release known to the server.
        public var versionLatest: String?
        /// Whether a newer release exists.
        public var outdated: Bool?
        /// Whether some outpost runs an older version.
        public var outpostOutdated: Bool?
        /// The build's commit.
        public var buildHash: String?

        private enum CodingKeys: String, CodingKey {
            case outdated
            case versionCurrent = "version_current"
            case versionLatest = "version_latest"
            case outpostOutdated = "outpost_outdated"
            case buildHash = "build_hash"
        }

        /// Reads a version leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            versionCurrent = c.lenient(String.self, .versionCurrent) ?? ""
            versionLatest = c.lenient(String.self, .versionLatest)
            outdated = c.lenient(Bool.self, .outdated)
            outpostOutdated = c.lenient(Bool.self, .outpostOutdated)
            buildHash = c.lenient(String.self, .buildHash)
        }

        /// A version value.
        public init(versionCurrent: String) { self.versionCurrent = versionCurrent }
    }

    /// What the server says about itself (`/admin/system/`).
    public struct SystemInfo: Codable, Sendable, Hashable {
        /// The host name requests reach it by.
        public var httpHost: String?
        /// Whether it is reached over HTTPS.
        public var httpIsSecure: Bool?
        /// The server's clock (ISO 8601).
        public var serverTime: String?
        /// Whether the embedded outpost is turned off.
        public var embeddedOutpostDisabled: Bool?
        /// Where the embedded outpost answers.
        public var embeddedOutpostHost: String?
        /// The brand's domain.
        public var brand: String?

        private enum CodingKeys: String, CodingKey {
            case brand
            case httpHost = "http_host"
            case httpIsSecure = "http_is_secure"
            case serverTime = "server_time"
            case embeddedOutpostDisabled = "embedded_outpost_disabled"
            case embeddedOutpostHost = "embedded_outpost_host"
        }

        /// Reads system information leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            httpHost = c.lenient(String.self, .httpHost)
            httpIsSecure = c.lenient(Bool.self, .httpIsSecure)
            serverTime = c.lenient(String.self, .serverTime)
            embeddedOutpostDisabled = c.lenient(Bool.self, .embeddedOutpostDisabled)
            embeddedOutpostHost = c.lenient(String.self, .embeddedOutpostHost)
            brand = c.lenient(String.self, .brand)
        }
    }

    /// An event of the audit log (`/events/events/`).
    public struct Event: Codable, Sendable, Hashable {
        /// Its UUID.
        public var pk: String
        /// What happened (`login`, `login_failed`, `model_created`, ... or newer values).
        public var action: Action
        /// The module that recorded it.
        public var app: String?
        /// The user's name, when the event has one.
        public var username: String?
        /// The client's address.
        public var clientIP: String?
        /// When it happened (ISO 8601).
        public var created: String?

        /// An event's action; the server adds values in most releases.
        public struct Action: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
            /// The spelling on the wire.
            public var rawValue: String
            /// An action.
            public init(rawValue: String) { self.rawValue = rawValue }
            /// A successful login.
            public static let login = Action(rawValue: "login")
            /// A failed login.
            public static let loginFailed = Action(rawValue: "login_failed")
            /// An object was created.
            public static let modelCreated = Action(rawValue: "model_created")
            /// An object was changed.
            public static let modelUpdated = Action(rawValue: "model_updated")
            /// A configuration problem.
            public static let configurationError = Action(rawValue: "configuration_error")
            /// A secret was viewed.
            public static let secretView = Action(rawValue: "secret_view")
            public var description: String { rawValue }
            /// Reads any string.
            public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
            /// Writes the spelling.
            public func encode(to encoder: any Encoder) throws {
                var c = encoder.singleValueContainer()
                try c.encode(rawValue)
            }
        }

        private struct EventUser: Decodable {
            let username: String?
        }

        private enum CodingKeys: String, CodingKey {
            case pk, action, app, user, created
            case clientIP = "client_ip"
        }

        /// Reads an event leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pk = c.lenient(String.self, .pk) ?? ""
            action = c.lenient(Action.self, .action) ?? Action(rawValue: "")
            app = c.lenient(String.self, .app)
            username = c.lenient(EventUser.self, .user)?.username
            clientIP = c.lenient(String.self, .clientIP)
            created = c.lenient(String.self, .created)
        }

        /// An event value.
        public init(pk: String, action: Action, username: String? = nil, created: String? = nil) {
            self.pk = pk
            self.action = action
            self.username = username
            self.created = created
        }

        /// Writes the fields this model keeps.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(pk, forKey: .pk)
            try c.encode(action, forKey: .action)
            try c.encodeIfPresent(app, forKey: .app)
            try c.encodeIfPresent(clientIP, forKey: .clientIP)
            try c.encodeIfPresent(created, forKey: .created)
        }
    }
}
