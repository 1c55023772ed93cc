import Foundation
import Logging

/// A Docker Engine client for Swarm mode, on the client kit's ``RESTClient``.
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
    /// The request core: versioned paths, Docker's error shape.
    let rest: RESTClient
    /// The same core without the version prefix (`_ping`).
    let unversioned: RESTClient
    let negotiation: VersionNegotiation<EngineVersionNegotiator>
    /// One node listing shared by the convergence polls of a rollout's concurrent steps (copies share it).
    let sharedNodeListing = SharedNodeListing(maxAge: .milliseconds(250))

    /// A client for an engine at `endpoint` (a unix socket or an http(s) URL, e.g. from an SSH tunnel), over any
    /// transport (the shared ``CurlTransport``, or an in-memory one in tests).
    /// - Parameters:
    ///   - apiVersion: a fixed API version (no negotiation), like `DOCKER_API_VERSION`.
    ///   - retryPolicy: retries for idempotent requests; 503 is not retried (Docker uses it for "not a manager").
    public init(
        transport: any HTTPTransport, endpoint: Endpoint, apiVersion: Swarm.APIVersion? = nil,
        retryPolicy: RetryPolicy = SwarmClient.defaultRetryPolicy
    ) {
        let http = HTTPClient(
            transport: transport, endpoint: endpoint, component: "docker",
            middleware: [RetryMiddleware(policy: retryPolicy), LoggingMiddleware()])
        var unversioned = RESTClient(http: http, errors: .docker)
        unversioned.fastDecoding = true
        let negotiation = VersionNegotiation(
            EngineVersionNegotiator(rest: unversioned),
            fixed: apiVersion.map { EngineVersionNegotiator.Outcome(version: $0, ping: nil) })
        var rest = unversioned
        rest.pathPrefix = { logger in try await negotiation.outcome(logger: logger).version.pathPrefix }
        self.rest = rest
        self.unversioned = unversioned
        self.negotiation = negotiation
    }

    /// A client for a ``DockerConnection`` (for example one read with ``DockerConnection/fromEnvironment(_:fileExists:)``).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for `ssh://`, which needs an SSH tunnel first.
    public init(transport: any HTTPTransport, connection: DockerConnection) throws {
        self.init(transport: transport, endpoint: try connection.endpoint(), apiVersion: connection.apiVersion)
    }

    /// Retries connection failures, timeouts, 429, 502 and 504 for idempotent requests; never 503.
    public static let defaultRetryPolicy = RetryPolicy(retryableStatuses: [429, 502, 504])

    /// Where this client sends requests, for messages.
    public var endpointDescription: String { rest.endpointDescription }

    /// The API version in use, negotiating it first if needed.
    /// - Throws: ``HomelabError/Code/unsupportedVersion`` naming both versions when the engine is too old;
    ///   transport errors from the ping.
    public func apiVersion(logger: Logger? = nil) async throws -> Swarm.APIVersion {
        try await negotiation.outcome(logger: logger).version
    }

    /// Forgets the negotiated API version; the next call pings again (after an engine upgrade).
    public func renegotiate() async { await negotiation.reset() }

    /// `HEAD /_ping`, then `GET /_ping` if HEAD is refused; the headers carry the API version and swarm role.
    func rawPing(logger: Logger?) async throws -> Swarm.Ping {
        try await Self.ping(unversioned, logger: logger)
    }

    static func ping(_ rest: RESTClient, logger: Logger?) async throws -> Swarm.Ping {
        if let response = try? await rest.call(.head, "/_ping", timeout: .seconds(30), versioned: false, logger: logger) {
            return Swarm.Ping(headers: response.headers)
        }
        let response = try await rest.call(.get, "/_ping", timeout: .seconds(30), versioned: false, logger: logger)
        return Swarm.Ping(headers: response.headers)
    }
}

/// Docker's version negotiation: ping, read `Api-Version`, use `min(sdkMaximum, server)`; the ping is kept for
/// the swarm role it reports.
struct EngineVersionNegotiator: APIVersionNegotiator {
    /// The version in use and what the ping said.
    struct Outcome: Sendable {
        var version: Swarm.APIVersion
        var ping: Swarm.Ping?
    }

    let rest: RESTClient

    func negotiate(logger: Logger?) async throws -> Outcome {
        let endpoint = rest.endpointDescription
        let answer = try await SwarmClient.ping(rest, logger: logger)
        guard let text = answer.apiVersion else {
            // Engines older than API 1.25 send no Api-Version; the Go client assumes 1.24 for them.
            throw HomelabError(
                .unsupportedVersion,
                "the engine at \(endpoint) sent no Api-Version header (an engine older than API 1.25), "
                    + "but this SDK needs at least \(Swarm.APIVersion.sdkMinimum)",
                component: "docker")
        }
        guard let server = Swarm.APIVersion(text) else {
            throw HomelabError(
                .decodingFailed, "the engine at \(endpoint) sent a malformed Api-Version header '\(text)'", component: "docker")
        }
        let chosen = try Swarm.APIVersion.negotiate(server: server, endpoint: endpoint)
        logger?.debug(
            "negotiated Docker API version",
            metadata: ["component": "docker", "server": "\(server)", "using": "\(chosen)", "endpoint": "\(endpoint)"])
        return Outcome(version: chosen, ping: answer)
    }
}
