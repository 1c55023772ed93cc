import Foundation
import Logging

/// The request core every HTTP component client is built on: paths, query strings, JSON both ways, the
/// component's error shape and, where the API has one, a version path prefix.
///
/// A client describes its endpoints (`rest.get([Swarm.Service].self, "/services")`) and never builds requests by
/// hand. Cheap to copy.
public struct RESTClient: Sendable {
    /// A path prefix chosen per request, usually by version negotiation (`/v1.47`).
    public typealias PathPrefix = @Sendable (_ logger: Logger?) async throws -> String

    /// The component's view of the shared transport (endpoint, middleware, component name).
    public let http: HTTPClient
    /// How the component's error answers become ``HomelabError``s.
    public var errors: ErrorMapping
    /// Put before every versioned path; `nil` for unversioned APIs.
    public var pathPrefix: PathPrefix?
    /// Decode answers with the tape decoder (the same `Codable` models and errors, several times less CPU than
    /// Foundation's `JSONDecoder`); for clients whose models use only `JSONDecoder`'s default strategies.
    public var fastDecoding = false

    /// A core over `http`, with the component's error mapping and optional version prefix.
    public init(http: HTTPClient, errors: ErrorMapping = ErrorMapping(), pathPrefix: PathPrefix? = nil) {
        self.http = http
        self.errors = errors
        self.pathPrefix = pathPrefix
    }

    /// The component name used in errors and logs (`docker`, `proxmox`, ...).
    public var component: String { http.component }

    /// Where requests go, for messages (`unix:///var/run/docker.sock`).
    public var endpointDescription: String { http.endpoint.description }

    /// Sends a request; throws the component's mapped error unless the status is 2xx.
    /// - Parameters:
    ///   - versioned: whether ``pathPrefix`` applies (false for version probes such as Docker's `_ping`).
    ///   - retryAsRead: this POST only reads (Komodo `/read`, JSON-RPC queries), so it may be retried like a GET.
    /// - Throws: the mapped ``HomelabError`` for non-2xx answers; transport errors.
    public func call(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        headers: HTTPHeaders = [:], timeout: HTTPRequest.Timeout = .default, versioned: Bool = true,
        retryAsRead: Bool = false, logger: Logger?
    ) async throws -> HTTPResponse {
        let request = try await makeRequest(
            method, path, query: query, body: body, headers: headers, timeout: timeout, versioned: versioned,
            retryAsRead: retryAsRead, logger: logger)
        let response = try await http.send(request, logger: logger)
        guard response.isSuccess else { throw mappedError(status: response.status, body: response.body, request: request) }
        return response
    }

    /// Sends a request whose answer streams; throws the mapped error unless the status is 2xx.
    /// - Throws: the mapped ``HomelabError`` (with up to 64 KiB of the error body read); transport errors.
    public func stream(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        headers: HTTPHeaders = [:], timeout: HTTPRequest.Timeout = .none, logger: Logger?
    ) async throws -> HTTPStreamingResponse {
        let request = try await makeRequest(
            method, path, query: query, body: body, headers: headers, timeout: timeout, versioned: true, retryAsRead: false,
            logger: logger)
        let response = try await http.stream(request, logger: logger)
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.body.collect(upTo: 64 << 10)) ?? []
            throw mappedError(status: response.status, body: body, request: request)
        }
        return response
    }

    /// GETs a path and decodes the JSON answer.
    /// - Throws: the mapped ``HomelabError``; ``HomelabError/Code/decodingFailed`` naming the field for bad JSON.
    public func get<T: Decodable>(
        _ type: T.Type, _ path: String, query: [(String, String)] = [], versioned: Bool = true, logger: Logger?
    ) async throws -> T {
        let response = try await call(.get, path, query: query, versioned: versioned, logger: logger)
        return try decode(type, response.body, path: path)
    }

    /// Sends `body` as JSON (when given) with `method` and returns the raw answer.
    /// - Throws: ``HomelabError/Code/invalidArgument`` when the body cannot be encoded; the mapped ``HomelabError``.
    public func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], json body: (some Encodable)?,
        headers: HTTPHeaders = [:], retryAsRead: Bool = false, logger: Logger?
    ) async throws -> HTTPResponse {
        var headers = headers
        var bytes: [UInt8]?
        if let body {
            bytes = try encode(body, path: path)
            headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        }
        return try await call(method, path, query: query, body: bytes, headers: headers, retryAsRead: retryAsRead, logger: logger)
    }

    /// POSTs `body` as JSON and returns the raw answer.
    /// - Throws: as ``send(_:_:query:json:headers:retryAsRead:logger:)``.
    public func post(
        _ path: String, query: [(String, String)] = [], json body: (some Encodable)?, headers: HTTPHeaders = [:],
        logger: Logger?
    ) async throws -> HTTPResponse {
        try await send(.post, path, query: query, json: body, headers: headers, logger: logger)
    }

    /// Sends `body` as JSON and decodes the JSON answer as `T`.
    /// - Throws: as ``send(_:_:query:json:headers:retryAsRead:logger:)``, and ``HomelabError/Code/decodingFailed``.
    public func send<T: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], json body: (some Encodable)?,
        decoding type: T.Type, retryAsRead: Bool = false, logger: Logger?
    ) async throws -> T {
        let response = try await send(method, path, query: query, json: body, retryAsRead: retryAsRead, logger: logger)
        return try decode(type, response.body, path: path)
    }

    /// Decodes a JSON answer, naming the field that did not fit.
    /// - Throws: ``HomelabError/Code/decodingFailed`` saying where and what was expected.
    public func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], path: String) throws -> T {
        try JSONAnswer.decode(
            type, body, what: "the answer to \(Redaction.redactURL(path))", component: component, tape: fastDecoding)
    }

    /// Encodes a request body as JSON with sorted keys.
    /// - Throws: ``HomelabError/Code/invalidArgument`` when the value cannot be encoded.
    public func encode(_ value: some Encodable, path: String) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return [UInt8](try encoder.encode(value))
        } catch {
            throw HomelabError(
                .invalidArgument,
                "the body for \(Redaction.redactURL(path)) could not be encoded: \(Redaction.redactText(String(describing: error)))",
                component: component)
        }
    }

    /// Checks that an ID or name is usable as one path segment (non-empty, no slash) and percent-encodes it.
    /// - Throws: ``HomelabError/Code/invalidArgument`` naming `what` (`service`, `node`, ...).
    public func pathComponent(_ id: String, what: String) throws -> String {
        guard !id.isEmpty, !id.contains("/"), id != ".", id != ".." else {
            throw HomelabError(.invalidArgument, "'\(id)' is not a valid \(what) ID or name", component: component)
        }
        return id.percentEncodedQueryComponent
    }

    /// The error for a non-2xx answer, as this component words it.
    public func mappedError(status: Int, body: [UInt8], request: HTTPRequest) -> HomelabError {
        errors.error(status: status, body: body, request: request, endpoint: endpointDescription, component: component)
    }

    private func makeRequest(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], body: [UInt8]?, headers: HTTPHeaders,
        timeout: HTTPRequest.Timeout, versioned: Bool, retryAsRead: Bool, logger: Logger?
    ) async throws -> HTTPRequest {
        let prefix = versioned ? try await pathPrefix?(logger) ?? "" : ""
        var request = HTTPRequest(method: method, path: prefix + path, headers: headers, body: body, timeout: timeout)
        request.retryAsRead = retryAsRead
        request.addQuery(query)
        return request
    }
}
