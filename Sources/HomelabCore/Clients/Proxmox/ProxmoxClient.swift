import Foundation
import Logging

/// A Proxmox VE client (`https://HOST:8006/api2/json`) on the client kit's ``RESTClient``.
///
/// Cheap to copy. Operations are grouped in value-type namespaces: `client.cluster`, `client.nodes`,
/// `client.tasks`, `client.vms(node:)`, `client.containers(node:)`, `client.storage(node:)`, plus
/// ``version(logger:)``. Every call is `async throws` and takes an optional `logger`.
///
/// Asynchronous operations (start, stop, clone, delete, resize) return a task ID (``Proxmox/UPID``) that is
/// waited on until it stops; writes then wait until a read shows them. "VM is locked" is retried through
/// ``RetryPolicy/proxmox``; a stale `digest` through ``OptimisticUpdate/digest(maxAttempts:)``. Authentication is
/// the HTTP client's middleware: an API token (`Authorization: PVEAPIToken=...`, see ``ComponentCredentials``)
/// or a password ticket (``ProxmoxTicketAuth``). Pin a self-signed certificate with its fingerprint
/// (``TLSOptions/certificateFingerprint``), a CA file or a public-key pin.
public struct ProxmoxClient: Sendable {
    /// The request core: `/api2/json` paths under the endpoint, Proxmox's error shape.
    let rest: RESTClient

    /// A client over `http` (from ``HomelabConnections``, or built by hand); its retry middleware is replaced by
    /// one with ``RetryPolicy/proxmox``, the rest of its middleware (authentication, logging) is kept.
    public init(http: HTTPClient) {
        var http = http
        http.component = "proxmox"
        let retry = RetryMiddleware(policy: .proxmox)
        if let index = http.middleware.firstIndex(where: { $0 is RetryMiddleware }) {
            http.middleware[index] = retry
        } else {
            http.middleware.insert(retry, at: 0)
        }
        rest = RESTClient(http: http, errors: .proxmox)
    }

    /// A client for `endpoint` (`https://pve.lab:8006/api2/json`) authenticated by `auth` (a
    /// ``HeaderAuthMiddleware`` with a `PVEAPIToken=` value, or a ``ProxmoxTicketAuth``).
    public init(transport: any HTTPTransport, endpoint: Endpoint, auth: [any HTTPMiddleware]) {
        self.init(http: HTTPClient(
            transport: transport, endpoint: endpoint, component: "proxmox",
            middleware: [RetryMiddleware(policy: .proxmox)] + auth + [LoggingMiddleware()]))
    }

    /// `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when `tokenID` is not `USER@REALM!TOKENID`.
    public static func tokenAuth(tokenID: String, secret: Secret) throws -> HeaderAuthMiddleware {
        guard tokenID.contains("@"), tokenID.contains("!"), !tokenID.contains("=") else {
            throw HomelabError(
                .invalidConfiguration, "'\(tokenID)' is not a Proxmox API token ID (USER@REALM!TOKENID)", component: "proxmox")
        }
        return HeaderAuthMiddleware(name: "Authorization", secret: secret) { "PVEAPIToken=\(tokenID)=" + $0 }
    }

    /// Where requests go, for messages.
    public var endpointDescription: String { rest.endpointDescription }

    /// The release the server runs (`GET /version`); features are gated on it.
    /// - Throws: ``HomelabError``.
    public func version(logger: Logger? = nil) async throws -> Proxmox.Version {
        try await data(Proxmox.Version.self, "/version", logger: logger)
    }

    // MARK: Request helpers

    /// GETs `path` and returns its `data`.
    func data<T: Decodable>(_ type: T.Type, _ path: String, query: [(String, String)] = [], logger: Logger?) async throws -> T {
        try await rest.get(Proxmox.Envelope<T>.self, path, query: query, logger: logger).data
    }

    /// Sends `parameters` form-encoded (as pvesh and proxmoxer do) and returns the answer's raw `data`.
    @discardableResult
    func write(
        _ method: HTTPMethod, _ path: String, _ parameters: [(String, String)] = [], logger: Logger?
    ) async throws -> JSONValue {
        var body: [UInt8]?
        var headers: HTTPHeaders = [:]
        if method == .get || method == .delete {
            let response = try await rest.call(method, path, query: parameters, logger: logger)
            return try rest.decode(Proxmox.OptionalEnvelope<JSONValue>.self, response.body, path: path).data ?? .null
        }
        let form = parameters.map { "\($0.0.percentEncodedQueryComponent)=\($0.1.percentEncodedQueryComponent)" }
        body = Array(form.joined(separator: "&").utf8)
        headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let response = try await rest.call(method, path, body: body, headers: headers, logger: logger)
        return try rest.decode(Proxmox.OptionalEnvelope<JSONValue>.self, response.body, path: path).data ?? .null
    }

    /// Sends a write that starts a task and returns the task's ID.
    /// - Throws: ``HomelabError/Code/decodingFailed`` when the answer is not a UPID.
    func startTask(
        _ method: HTTPMethod, _ path: String, _ parameters: [(String, String)] = [], logger: Logger?
    ) async throws -> Proxmox.UPID {
        let answer = try await write(method, path, parameters, logger: logger)
        guard case .string(let text) = answer else {
            throw HomelabError(.decodingFailed, "the answer to \(path) is not a task ID (UPID)", component: "proxmox")
        }
        return try Proxmox.UPID(text)
    }

    /// `node` checked and encoded as one path segment.
    func nodePath(_ node: String) throws -> String {
        "/nodes/" + (try rest.pathComponent(node, what: "Proxmox node"))
    }
}

extension HomelabConnections {
    /// The Proxmox VE client of `components.proxmox` (its URL names `.../api2/json`), with its credentials, TLS
    /// options (a certificate fingerprint included) and SSH tunnel.
    /// - Throws: what ``http(for:)`` throws.
    public func proxmox() async throws -> ProxmoxClient {
        ProxmoxClient(http: try await http(for: .proxmox))
    }
}
