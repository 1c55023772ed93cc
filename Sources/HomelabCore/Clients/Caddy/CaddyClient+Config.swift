import Foundation
import Logging

extension Caddy {
    /// A value read from the configuration with the `Etag` Caddy sent for it (`"<path> <hash>"`, quotes included),
    /// to send back as `If-Match`.
    public struct Versioned<Value: Sendable>: Sendable {
        /// The value.
        public var value: Value
        /// The ETag, when the server sent one.
        public var etag: String?
    }
}

extension Caddy.Versioned: Equatable where Value: Equatable {}

extension CaddyClient {
    // MARK: Reading

    /// The JSON at `address` (`GET /config/<path>` or `/id/<id>/<path>`) with its ETag.
    /// - Throws: ``HomelabError/Code/notFound`` for a missing path or unknown `@id`; other ``HomelabError``s.
    public func read(at address: Caddy.Address = .path(.root), logger: Logger? = nil) async throws -> Caddy.Versioned<JSONValue> {
        try await read(JSONValue.self, at: address, logger: logger)
    }

    /// The JSON at `address` decoded as `type`, with its ETag.
    /// - Throws: as ``read(at:logger:)``; ``HomelabError/Code/decodingFailed`` naming the field that did not fit.
    public func read<T: Decodable & Sendable>(
        _ type: T.Type, at address: Caddy.Address, logger: Logger? = nil
    ) async throws -> Caddy.Versioned<T> {
        let path = try address.apiPath()
        let response = try await rest.call(.get, path, logger: logger)
        return Caddy.Versioned(value: try rest.decode(type, response.body, path: path), etag: response.headers["Etag"])
    }

    /// The whole configuration, typed, with its ETag. An empty configuration (`null`) is an empty ``Caddy/Config``.
    /// - Throws: as ``read(_:at:logger:)``.
    public func config(logger: Logger? = nil) async throws -> Caddy.Versioned<Caddy.Config> {
        let raw = try await read(at: .path(.root), logger: logger)
        if raw.value == .null { return Caddy.Versioned(value: Caddy.Config(), etag: raw.etag) }
        let config = try rest.decode(Caddy.Config.self, Caddy.jsonBytes(raw.value), path: "/config/")
        return Caddy.Versioned(value: config, etag: raw.etag)
    }

    // MARK: Writing

    /// `POST /config/<path>`: appends to an array (or, with `appendEach`, every element of an array value), or
    /// creates or replaces an object key.
    /// - Throws: ``HomelabError/Code/outOfSequence`` (412) when `ifMatch` is stale; other ``HomelabError``s.
    public func post(
        _ value: some Encodable & Sendable, at address: Caddy.Address, appendEach: Bool = false, ifMatch etag: String? = nil,
        logger: Logger? = nil
    ) async throws {
        var path = try address.apiPath()
        if appendEach { path += path.hasSuffix("/") ? "..." : "/..." }
        _ = try await rest.send(.post, path, json: value, headers: Self.headers(ifMatch: etag), logger: logger)
    }

    /// `PUT /config/<path>`: creates an object key strictly (409 if it exists) or inserts into an array at an
    /// index (the array's length appends).
    /// - Throws: ``HomelabError/Code/conflict`` when the key exists; `.outOfSequence` for a stale `ifMatch`.
    public func put(
        _ value: some Encodable & Sendable, at address: Caddy.Address, ifMatch etag: String? = nil, logger: Logger? = nil
    ) async throws {
        _ = try await rest.send(.put, try address.apiPath(), json: value, headers: Self.headers(ifMatch: etag), logger: logger)
    }

    /// `PATCH /config/<path>`: replaces an existing key or array element strictly.
    /// - Throws: ``HomelabError/Code/notFound`` when it does not exist; `.outOfSequence` for a stale `ifMatch`.
    public func patch(
        _ value: some Encodable & Sendable, at address: Caddy.Address, ifMatch etag: String? = nil, logger: Logger? = nil
    ) async throws {
        _ = try await rest.send(.patch, try address.apiPath(), json: value, headers: Self.headers(ifMatch: etag), logger: logger)
    }

    /// `DELETE /config/<path>`: removes a key or array element.
    /// - Throws: ``HomelabError/Code/notFound`` when it does not exist; `.outOfSequence` for a stale `ifMatch`.
    public func delete(at address: Caddy.Address, ifMatch etag: String? = nil, logger: Logger? = nil) async throws {
        _ = try await rest.call(.delete, try address.apiPath(), headers: Self.headers(ifMatch: etag), logger: logger)
    }

    /// Reads the value at `address`, lets `change` edit it, and writes it back with `PATCH` and `If-Match`; when
    /// Caddy answers 412 (someone changed it meanwhile) it re-reads and re-applies, up to `maxAttempts` times.
    /// Fields the model does not know are kept (every Caddy model keeps them in `other`).
    /// - Returns: the value written.
    /// - Throws: ``HomelabError/Code/outOfSequence`` when it kept changing; what `change` throws; other errors.
    @discardableResult
    public func modify<T: Codable & Sendable>(
        _ type: T.Type, at address: Caddy.Address, maxAttempts: Int = 5, logger: Logger? = nil,
        _ change: @Sendable (inout T) throws -> Void
    ) async throws -> T {
        try await OptimisticUpdate.ifMatch(maxAttempts: maxAttempts).run(address.description, component: "caddy", logger: logger) {
            let current = try await read(type, at: address, logger: logger)
            var value = current.value
            try change(&value)
            try await patch(value, at: address, ifMatch: current.etag, logger: logger)
            return value
        }
    }

    // MARK: Loading and adapting

    /// `POST /load`: replaces the whole active configuration; Caddy answers when the new one runs (the old one
    /// stays on failure). An unchanged configuration is a no-op unless `force`.
    /// - Throws: ``HomelabError`` with Caddy's message when the configuration does not load (a 400 or 500).
    public func load(_ config: some Encodable & Sendable, force: Bool = false, logger: Logger? = nil) async throws {
        var headers: HTTPHeaders = [:]
        if force { headers.add(name: "Cache-Control", value: "must-revalidate") }
        _ = try await rest.send(.post, "/load", json: config, headers: headers, logger: logger)
    }

    /// `POST /load` of a Caddyfile (`Content-Type: text/caddyfile`): Caddy adapts it and loads the result.
    /// - Returns: the adapter's warnings.
    /// - Throws: ``HomelabError`` with Caddy's message when it does not adapt or load.
    @discardableResult
    public func load(caddyfile: String, force: Bool = false, logger: Logger? = nil) async throws -> [Caddy.Adaptation.Warning] {
        var headers: HTTPHeaders = ["Content-Type": "text/caddyfile"]
        if force { headers.add(name: "Cache-Control", value: "must-revalidate") }
        let response = try await rest.call(.post, "/load", body: Array(caddyfile.utf8), headers: headers, logger: logger)
        guard !response.body.isEmpty else { return [] }
        return (try? rest.decode([Caddy.Adaptation.Warning].self, response.body, path: "/load")) ?? []
    }

    /// `POST /adapt`: a Caddyfile turned into JSON configuration without loading it.
    /// - Throws: ``HomelabError/Code/invalidArgument``-like 400s with the adapter's message for a bad Caddyfile.
    public func adapt(caddyfile: String, logger: Logger? = nil) async throws -> Caddy.Adaptation {
        let response = try await rest.call(
            .post, "/adapt", body: Array(caddyfile.utf8), headers: ["Content-Type": "text/caddyfile"], retryAsRead: true, logger: logger)
        return try rest.decode(Caddy.Adaptation.self, response.body, path: "/adapt")
    }

    /// `GET /reverse_proxy/upstreams`: every upstream the reverse proxies know, with requests in flight and failures.
    /// - Throws: ``HomelabError``.
    public func upstreams(logger: Logger? = nil) async throws -> [Caddy.UpstreamStatus] {
        try await rest.get([Caddy.UpstreamStatus]?.self, "/reverse_proxy/upstreams", logger: logger) ?? []
    }

    static func headers(ifMatch etag: String?) -> HTTPHeaders {
        var headers: HTTPHeaders = [:]
        if let etag { headers.add(name: "If-Match", value: etag) }
        return headers
    }
}
