import Foundation

extension Caddy {
    /// The module name of an HTTP handler (`handler` field); names this SDK does not know are kept.
    public enum HandlerName: LenientEnum {
        case reverseProxy, subroute, staticResponse, headers, vars, rewrite, fileServer, encode, authentication, error
        case unknown(String)

        public static let knownCases: [HandlerName] = [
            .reverseProxy, .subroute, .staticResponse, .headers, .vars, .rewrite, .fileServer, .encode, .authentication, .error,
        ]

        public var rawValue: String {
            switch self {
            case .reverseProxy: return "reverse_proxy"
            case .subroute: return "subroute"
            case .staticResponse: return "static_response"
            case .headers: return "headers"
            case .vars: return "vars"
            case .rewrite: return "rewrite"
            case .fileServer: return "file_server"
            case .encode: return "encode"
            case .authentication: return "authentication"
            case .error: return "error"
            case .unknown(let value): return value
            }
        }
    }

    /// One HTTP handler. The fields of `reverse_proxy` (upstreams, rewrite, handle_response: what Caddyfile's
    /// `forward_auth` becomes), `subroute` (routes) and `static_response` (status, body) are typed; every other
    /// field of any handler is kept in ``other``.
    public struct Handler: Codable, Sendable, Hashable {
        /// The module (`reverse_proxy`, `subroute`, ...).
        public var handler: HandlerName
        /// Its `@id`, for `/id/<id>` addressing.
        public var id: String?
        /// `reverse_proxy`: where requests go.
        public var upstreams: [Upstream]?
        /// `reverse_proxy`: the request rewrite applied before proxying (`forward_auth` sets `method` GET and `uri`).
        public var rewrite: Rewrite?
        /// `reverse_proxy`: routes run on the upstream's answer (`forward_auth` copies headers on a 2xx here).
        public var handleResponse: [ResponseHandler]?
        /// `subroute`: its routes.
        public var routes: [Route]?
        /// `static_response`: the status (a number, or a placeholder string).
        public var statusCode: JSONValue?
        /// `static_response`: the body.
        public var body: String?
        /// `headers`: request header operations (`set`, `add`, `delete`), verbatim.
        public var request: JSONValue?
        /// Every other field, verbatim.
        public var other: [String: JSONValue] = [:]

        /// A handler value.
        public init(
            _ handler: HandlerName, id: String? = nil, upstreams: [Upstream]? = nil, rewrite: Rewrite? = nil,
            handleResponse: [ResponseHandler]? = nil, routes: [Route]? = nil, statusCode: JSONValue? = nil, body: String? = nil,
            request: JSONValue? = nil, other: [String: JSONValue] = [:]
        ) {
            self.handler = handler
            self.id = id
            self.upstreams = upstreams
            self.rewrite = rewrite
            self.handleResponse = handleResponse
            self.routes = routes
            self.statusCode = statusCode
            self.body = body
            self.request = request
            self.other = other
        }

        /// A `reverse_proxy` to `dials` (`host:port`).
        public static func reverseProxy(_ dials: [String], id: String? = nil) -> Handler {
            Handler(.reverseProxy, id: id, upstreams: dials.map { Upstream(dial: $0) })
        }

        /// A `static_response` with a status and body.
        public static func staticResponse(status: Int, body: String? = nil, id: String? = nil) -> Handler {
            Handler(.staticResponse, id: id, statusCode: .integer(Int64(status)), body: body)
        }

        /// A `subroute` of `routes`.
        public static func subroute(_ routes: [Route]) -> Handler { Handler(.subroute, routes: routes) }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case handler
            case id = "@id"
            case upstreams, rewrite
            case handleResponse = "handle_response"
            case routes
            case statusCode = "status_code"
            case body, request
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            handler = try container.decode(HandlerName.self, forKey: .handler)
            id = try container.decodeIfPresent(String.self, forKey: .id)
            upstreams = try container.decodeIfPresent([Upstream].self, forKey: .upstreams)
            rewrite = try container.decodeIfPresent(Rewrite.self, forKey: .rewrite)
            handleResponse = try container.decodeIfPresent([ResponseHandler].self, forKey: .handleResponse)
            routes = try container.decodeIfPresent([Route].self, forKey: .routes)
            statusCode = try container.decodeIfPresent(JSONValue.self, forKey: .statusCode)
            body = try container.decodeIfPresent(String.self, forKey: .body)
            request = try container.decodeIfPresent(JSONValue.self, forKey: .request)
            other = try CaddyOpenObject.other(from: decoder, known: Set(CodingKeys.allCases.map(\.stringValue)))
        }

        public func encode(to encoder: any Encoder) throws {
            try CaddyOpenObject.encode(other, to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(handler, forKey: .handler)
            try container.encodeIfPresent(id, forKey: .id)
            try container.encodeIfPresent(upstreams, forKey: .upstreams)
            try container.encodeIfPresent(rewrite, forKey: .rewrite)
            try container.encodeIfPresent(handleResponse, forKey: .handleResponse)
            try container.encodeIfPresent(routes, forKey: .routes)
            try container.encodeIfPresent(statusCode, forKey: .statusCode)
            try container.encodeIfPresent(body, forKey: .body)
            try container.encodeIfPresent(request, forKey: .request)
        }
    }

    /// A `reverse_proxy` upstream.
    public struct Upstream: Codable, Sendable, Hashable {
        /// `host:port` (or a unix socket `unix//path`, or a placeholder).
        public var dial: String?
        /// Every other key (`max_requests`, ...), verbatim.
        public var other: [String: JSONValue] = [:]

        /// An upstream value.
        public init(dial: String?, other: [String: JSONValue] = [:]) {
            self.dial = dial
            self.other = other
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case dial
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            dial = try container.decodeIfPresent(String.self, forKey: .dial)
            other = try CaddyOpenObject.other(from: decoder, known: Set(CodingKeys.allCases.map(\.stringValue)))
        }

        public func encode(to encoder: any Encoder) throws {
            try CaddyOpenObject.encode(other, to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(dial, forKey: .dial)
        }
    }

    /// `reverse_proxy`'s `rewrite`: the method and URI sent upstream.
    public struct Rewrite: Codable, Sendable, Hashable {
        /// The method sent upstream.
        public var method: String?
        /// The URI sent upstream.
        public var uri: String?
        /// Every other key, verbatim.
        public var other: [String: JSONValue] = [:]

        /// A rewrite value.
        public init(method: String? = nil, uri: String? = nil, other: [String: JSONValue] = [:]) {
            self.method = method
            self.uri = uri
            self.other = other
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case method, uri
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            method = try container.decodeIfPresent(String.self, forKey: .method)
            uri = try container.decodeIfPresent(String.self, forKey: .uri)
            other = try CaddyOpenObject.other(from: decoder, known: Set(CodingKeys.allCases.map(\.stringValue)))
        }

        public func encode(to encoder: any Encoder) throws {
            try CaddyOpenObject.encode(other, to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(method, forKey: .method)
            try container.encodeIfPresent(uri, forKey: .uri)
        }
    }

    /// One `handle_response` entry of a `reverse_proxy`: a response matcher and the routes run on a match.
    public struct ResponseHandler: Codable, Sendable, Hashable {
        /// The response matcher (`{"status_code": [2]}`), verbatim.
        public var match: JSONValue?
        /// The routes run on the upstream's answer.
        public var routes: [Route]?
        /// Every other key, verbatim.
        public var other: [String: JSONValue] = [:]

        /// A response handler value.
        public init(match: JSONValue? = nil, routes: [Route]? = nil, other: [String: JSONValue] = [:]) {
            self.match = match
            self.routes = routes
            self.other = other
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case match, routes
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            match = try container.decodeIfPresent(JSONValue.self, forKey: .match)
            routes = try container.decodeIfPresent([Route].self, forKey: .routes)
            other = try CaddyOpenObject.other(from: decoder, known: Set(CodingKeys.allCases.map(\.stringValue)))
        }

        public func encode(to encoder: any Encoder) throws {
            try CaddyOpenObject.encode(other, to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(match, forKey: .match)
            try container.encodeIfPresent(routes, forKey: .routes)
        }
    }

    /// One upstream as the reverse proxies see it (`GET /reverse_proxy/upstreams`).
    public struct UpstreamStatus: Codable, Sendable, Hashable {
        /// `host:port`.
        public var address: String
        /// Requests in flight to it now.
        public var numRequests: Int
        /// Recent failures counted by passive health checks.
        public var fails: Int

        /// An upstream status value.
        public init(address: String, numRequests: Int = 0, fails: Int = 0) {
            self.address = address
            self.numRequests = numRequests
            self.fails = fails
        }

        enum CodingKeys: String, CodingKey {
            case address
            case numRequests = "num_requests"
            case fails
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            address = try container.decode(String.self, forKey: .address)
            numRequests = try container.decodeIfPresent(Int.self, forKey: .numRequests) ?? 0
            fails = try container.decodeIfPresent(Int.self, forKey: .fails) ?? 0
        }
    }

    /// What `POST /adapt` answers: the JSON configuration and the adapter's warnings.
    public struct Adaptation: Codable, Sendable, Hashable {
        /// The adapted configuration.
        public var result: JSONValue
        /// Warnings (deprecated syntax, unused snippets, ...).
        public var warnings: [Warning]?

        /// One adapter warning.
        public struct Warning: Codable, Sendable, Hashable {
            /// The file it is about.
            public var file: String?
            /// The line.
            public var line: Int?
            /// The directive.
            public var directive: String?
            /// What is wrong.
            public var message: String?
        }

        /// The result decoded as a typed configuration.
        /// - Throws: ``HomelabError/Code/decodingFailed`` when it does not have a configuration's shape.
        public func config() throws -> Config {
            try JSONAnswer.decode(Config.self, Caddy.jsonBytes(result), what: "the adapted configuration", component: "caddy")
        }
    }
}
