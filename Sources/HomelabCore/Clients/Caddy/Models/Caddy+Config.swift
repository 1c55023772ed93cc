import Foundation

extension Caddy {
    /// The whole configuration (`GET /config/`): `admin`, `apps` and anything else, kept.
    public struct Config: Codable, Sendable, Hashable {
        /// The admin endpoint's settings, verbatim.
        public var admin: JSONValue?
        /// The apps (`http`, `tls`, `pki`, ...).
        public var apps: Apps?
        /// Every other key, verbatim (`logging`, `storage`, ...).
        public var other: [String: JSONValue] = [:]

        /// A configuration value.
        public init(admin: JSONValue? = nil, apps: Apps? = nil, other: [String: JSONValue] = [:]) {
            self.admin = admin
            self.apps = apps
            self.other = other
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case admin, apps
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            admin = try container.decodeIfPresent(JSONValue.self, forKey: .admin)
            apps = try container.decodeIfPresent(Apps.self, forKey: .apps)
            other = try CaddyOpenObject.other(from: decoder, known: Set(CodingKeys.allCases.map(\.stringValue)))
        }

        public func encode(to encoder: any Encoder) throws {
            try CaddyOpenObject.encode(other, to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(admin, forKey: .admin)
            try container.encodeIfPresent(apps, forKey: .apps)
        }

        /// The HTTP servers by name (`srv0`, ...), empty without an http app.
        public var httpServers: [String: HTTPServer] { apps?.http?.servers ?? [:] }
    }

    /// The `apps` object: the http app typed, the others kept.
    public struct Apps: Codable, Sendable, Hashable {
        /// The `http` app.
        public var http: HTTPApp?
        /// Every other app (`tls`, `pki`, `layer4`, ...), verbatim.
        public var other: [String: JSONValue] = [:]

        /// An apps value.
        public init(http: HTTPApp? = nil, other: [String: JSONValue] = [:]) {
            self.http = http
            self.other = other
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case http
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            http = try container.decodeIfPresent(HTTPApp.self, forKey: .http)
            other = try CaddyOpenObject.other(from: decoder, known: Set(CodingKeys.allCases.map(\.stringValue)))
        }

        public func encode(to encoder: any Encoder) throws {
            try CaddyOpenObject.encode(other, to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(http, forKey: .http)
        }
    }

    /// The `http` app: its servers.
    public struct HTTPApp: Codable, Sendable, Hashable {
        /// Servers by name.
        public var servers: [String: HTTPServer]?
        /// Every other key (`http_port`, `grace_period`, ...), verbatim.
        public var other: [String: JSONValue] = [:]

        /// An http app value.
        public init(servers: [String: HTTPServer]? = nil, other: [String: JSONValue] = [:]) {
            self.servers = servers
            self.other = other
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case servers
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            servers = try container.decodeIfPresent([String: HTTPServer].self, forKey: .servers)
            other = try CaddyOpenObject.other(from: decoder, known: Set(CodingKeys.allCases.map(\.stringValue)))
        }

        public func encode(to encoder: any Encoder) throws {
            try CaddyOpenObject.encode(other, to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(servers, forKey: .servers)
        }
    }

    /// One HTTP server: where it listens and its routes, in order.
    public struct HTTPServer: Codable, Sendable, Hashable {
        /// Listener addresses (`:443`, `127.0.0.1:8080`).
        public var listen: [String]?
        /// The routes, tried in order.
        public var routes: [Route]?
        /// Every other key (`automatic_https`, `tls_connection_policies`, `logs`, ...), verbatim.
        public var other: [String: JSONValue] = [:]

        /// A server value.
        public init(listen: [String]? = nil, routes: [Route]? = nil, other: [String: JSONValue] = [:]) {
            self.listen = listen
            self.routes = routes
            self.other = other
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case listen, routes
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            listen = try container.decodeIfPresent([String].self, forKey: .listen)
            routes = try container.decodeIfPresent([Route].self, forKey: .routes)
            other = try CaddyOpenObject.other(from: decoder, known: Set(CodingKeys.allCases.map(\.stringValue)))
        }

        public func encode(to encoder: any Encoder) throws {
            try CaddyOpenObject.encode(other, to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(listen, forKey: .listen)
            try container.encodeIfPresent(routes, forKey: .routes)
        }
    }
}
