import Foundation
import Logging

/// A Docker Engine client for Swarm mode, on the shared transport.
///
/// Cheap to copy; copies share the negotiated API version. Operations are grouped in value-type namespaces:
/// `client.services`, `client.nodes`, `client.tasks`, `client.secrets`, `client.configs`, `client.networks`,
/// `client.swarm`, `client.system`, plus ``events(filters:since:until:logger:)`` and
/// ``waitForConvergence(service:deadline:pollInterval:progress:logger:)``. Every call is `async throws` and takes an
/// optional `logger`. The API version is negotiated lazily through `_ping` on the first call.
///
/// Errors are ``HomelabError`` with component `docker`: Docker's `{"message"}` becomes the server message,
/// "update out of sequence" is ``HomelabError/Code/outOfSequence``, and a swarm call on a worker or a node
/// outside any swarm is ``HomelabError/Code/notSwarmManager``.
public struct SwarmClient: Sendable {
    let wire: DockerWire
    let negotiation: APIVersionNegotiation

    /// A client for an engine at `endpoint` (a unix socket or an http(s) URL, e.g. from an SSH tunnel).
    /// - Parameters:
    ///   - apiVersion: a fixed API version (no negotiation), like `DOCKER_API_VERSION`.
    ///   - retryPolicy: retries for idempotent requests; 503 is not retried (Docker uses it for "not a manager").
    public init(
        transport: CurlTransport, endpoint: Endpoint, apiVersion: DockerAPIVersion? = nil,
        retryPolicy: RetryPolicy = SwarmClient.defaultRetryPolicy
    ) {
        let http = HTTPClient(
            transport: transport, endpoint: endpoint, component: "docker",
            middleware: [RetryMiddleware(policy: retryPolicy), LoggingMiddleware()])
        self.init(wire: DockerWire(http: http), apiVersion: apiVersion)
    }

    /// A client for a ``DockerConnection`` (for example one read with ``DockerConnection/fromEnvironment(_:fileExists:)``).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for `ssh://`, which needs an SSH tunnel first.
    public init(transport: CurlTransport, connection: DockerConnection) throws {
        self.init(transport: transport, endpoint: try connection.endpoint(), apiVersion: connection.apiVersion)
    }

    init(wire: DockerWire, apiVersion: DockerAPIVersion? = nil) {
        self.wire = wire
        self.negotiation = APIVersionNegotiation(fixed: apiVersion)
    }

    /// Retries connection failures, timeouts, 429, 502 and 504 for idempotent requests; never 503.
    public static let defaultRetryPolicy = RetryPolicy(retryableStatuses: [429, 502, 504])

    /// Where this client sends requests, for messages.
    public var endpointDescription: String { wire.endpointDescription }

    /// The API version in use, negotiating it first if needed.
    /// - Throws: ``HomelabError/Code/unsupportedVersion`` naming both versions when the engine is too old;
    ///   transport errors from the ping.
    public func apiVersion(logger: Logger? = nil) async throws -> DockerAPIVersion {
        try await negotiation.version(endpoint: wire.endpointDescription, logger: logger) { [self] in
            try await self.rawPing(logger: logger)
        }
    }

    /// Forgets the negotiated API version; the next call pings again (after an engine upgrade).
    public func renegotiate() async { await negotiation.reset() }

    // MARK: - Request plumbing shared by the operation families

    /// Sends a versioned request; throws the mapped error unless the status is 2xx.
    func call(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        headers: HTTPHeaders = [:], logger: Logger?
    ) async throws -> HTTPResponse {
        let request = try await versionedRequest(method, path, query: query, body: body, headers: headers, timeout: .default, logger: logger)
        let response = try await wire.send(request, logger)
        guard response.isSuccess else {
            throw DockerErrorMapping.error(
                status: response.status, body: response.body, request: request, endpoint: wire.endpointDescription)
        }
        return response
    }

    /// Sends a versioned request whose body streams; throws the mapped error unless the status is 2xx.
    func openStream(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], logger: Logger?
    ) async throws -> HTTPStreamingResponse {
        let request = try await versionedRequest(method, path, query: query, body: nil, headers: [:], timeout: .none, logger: logger)
        let response = try await wire.stream(request, logger)
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.body.collect(upTo: 64 << 10)) ?? []
            throw DockerErrorMapping.error(
                status: response.status, body: body, request: request, endpoint: wire.endpointDescription)
        }
        return response
    }

    /// GETs a path and decodes the JSON answer.
    func get<T: Decodable>(
        _ type: T.Type, _ path: String, query: [(String, String)] = [], logger: Logger?
    ) async throws -> T {
        let response = try await call(.get, path, query: query, logger: logger)
        return try decode(type, response.body, path: path)
    }

    /// POSTs a JSON body and returns the raw answer.
    func post(
        _ path: String, query: [(String, String)] = [], json body: (some Encodable)?, headers: HTTPHeaders = [:],
        logger: Logger?
    ) async throws -> HTTPResponse {
        var headers = headers
        var bytes: [UInt8]?
        if let body {
            bytes = try encode(body, path: path)
            headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        }
        return try await call(.post, path, query: query, body: bytes, headers: headers, logger: logger)
    }

    func versionedRequest(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], body: [UInt8]?, headers: HTTPHeaders,
        timeout: HTTPRequest.Timeout, logger: Logger?
    ) async throws -> HTTPRequest {
        let version = try await apiVersion(logger: logger)
        var request = HTTPRequest(method: method, path: version.pathPrefix + path, headers: headers, body: body, timeout: timeout)
        request.addQuery(query)
        return request
    }

    func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch let error as DecodingError {
            throw HomelabError(
                .decodingFailed, "the answer to \(path) is not a valid \(T.self): \(DecodingErrorText.describe(error))",
                component: "docker")
        }
    }

    func encode(_ value: some Encodable, path: String) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return [UInt8](try encoder.encode(value))
        } catch {
            throw HomelabError(
                .invalidArgument,
                "the body for \(path) could not be encoded: \(Redaction.redactText(String(describing: error)))",
                component: "docker")
        }
    }

    /// Checks that an ID or name is usable in a path (non-empty, no slash), and percent-encodes it.
    static func pathComponent(_ id: String, what: String) throws -> String {
        guard !id.isEmpty, !id.contains("/") else {
            throw HomelabError(.invalidArgument, "'\(id)' is not a valid \(what) ID or name", component: "docker")
        }
        return id.percentEncodedQueryComponent
    }
}

/// How a ``SwarmClient`` reaches the engine: the shared HTTP transport, or canned answers in tests and simulators.
struct DockerWire: Sendable {
    /// The endpoint, for messages (`unix:///var/run/docker.sock`).
    var endpointDescription: String
    /// Sends a request and returns the whole answer, whatever its status.
    var send: @Sendable (HTTPRequest, Logger?) async throws -> HTTPResponse
    /// Sends a request and returns when the head arrives.
    var stream: @Sendable (HTTPRequest, Logger?) async throws -> HTTPStreamingResponse

    init(
        endpointDescription: String,
        send: @escaping @Sendable (HTTPRequest, Logger?) async throws -> HTTPResponse,
        stream: @escaping @Sendable (HTTPRequest, Logger?) async throws -> HTTPStreamingResponse
    ) {
        self.endpointDescription = endpointDescription
        self.send = send
        self.stream = stream
    }

    init(http: HTTPClient) {
        self.init(
            endpointDescription: http.endpoint.description,
            send: { request, logger in try await http.send(request, logger: logger) },
            stream: { request, logger in try await http.stream(request, logger: logger) })
    }
}
