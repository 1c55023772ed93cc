import Foundation
import Logging

/// A TrueNAS SCALE client: JSON-RPC 2.0 over one authenticated WebSocket (`wss://HOST/api/<version>`), or REST v2.0
/// for servers without JSON-RPC (24.04, 24.10), chosen from `GET /api/versions`.
///
/// ```swift
/// let truenas = try await TrueNASClient.connect(http: http, credentials: .apiKey(key, username: "homelab"))
/// for pool in try await truenas.pools.list() { print(pool.name, pool.status) }
/// await truenas.close()
/// ```
///
/// One session is kept open and reused: TrueNAS locks a client out for 10 minutes after 20 failed logins in 60 s,
/// so the session logs in again only after a lost connection, at most 5 times a minute, and a refused login stops
/// it for good (``HomelabError/Code/unauthorized``). Call ``close()`` when done.
public struct TrueNASClient: Sendable {
    let backend: any TrueNASBackend
    /// The API version in use (`v26.0.0`, or REST v2.0).
    public var version: TrueNASAPIVersion { backend.version }

    /// Settings of ``connect(http:credentials:options:logger:)``.
    public struct Options: Sendable {
        /// The JSON-RPC client's settings (call timeout, reconnects, login budget); a `core.ping` keepalive by default.
        public var rpc: JSONRPCConfiguration
        /// WebSocket settings.
        public var webSocket: WebSocketOptions
        /// Use REST v2.0 even when JSON-RPC is offered.
        public var preferREST: Bool

        /// The defaults: a `core.ping` every 30 s, 60 s call timeout, JSON-RPC when offered.
        public init(
            rpc: JSONRPCConfiguration = JSONRPCConfiguration(keepalive: JSONRPCKeepalive(method: "core.ping")),
            webSocket: WebSocketOptions = WebSocketOptions(), preferREST: Bool = false
        ) {
            self.rpc = rpc
            self.webSocket = webSocket
            self.preferREST = preferREST
        }
    }

    init(backend: any TrueNASBackend) {
        self.backend = backend
    }

    /// Connects: asks `GET /api/versions`, opens the JSON-RPC session on the highest version both know and logs in
    /// (or uses REST v2.0 when the server has no JSON-RPC API).
    /// - Parameters:
    ///   - http: a client for the API's base URL (`https://barbary/api`), with its TLS options; its middleware
    ///     authenticates REST requests (Bearer key or Basic password) and is not used over JSON-RPC.
    ///   - credentials: how the JSON-RPC session logs in; nil for none (a unix socket on the box).
    /// - Throws: ``HomelabError``: `.invalidConfiguration` for credentials over plain `ws://` to a host that is not
    ///   loopback (the server would revoke the key) or unusable credentials; `.unauthorized` when the login is
    ///   refused or the server has locked us out; `.authenticationFailed` for a SCRAM exchange that does not verify
    ///   or a server that does not offer SCRAM; `.unsupportedVersion` when no API version is shared; transport errors.
    public static func connect(
        http: HTTPClient, credentials: TrueNASCredentials?, options: Options = Options(), logger: Logger? = nil
    ) async throws -> TrueNASClient {
        let endpoint = http.endpoint
        if credentials != nil, !endpoint.usesTLS, case .url(let url) = endpoint.address,
            let host = URLComponents(string: url)?.host, !AddressSyntax.isLoopback(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
        {
            throw HomelabError(
                .invalidConfiguration,
                "refusing to send TrueNAS credentials over plain ws:// to \(host): the server revokes an API key sent in the clear; use https:// (wss://)",
                component: "truenas")
        }
        let rest = RESTClient(http: http, errors: ErrorMapping())
        let versionsResponse = try await rest.http.send(HTTPRequest(method: .get, path: "/versions"), logger: logger)
        let version: TrueNASAPIVersion
        if versionsResponse.status == 404 || options.preferREST {
            version = .rest
        } else {
            guard versionsResponse.isSuccess else {
                throw rest.mappedError(status: versionsResponse.status, body: versionsResponse.body, request: HTTPRequest(method: .get, path: "/versions"))
            }
            let listed = try rest.decode([String].self, versionsResponse.body, path: "/api/versions")
            guard let chosen = TrueNASAPIVersion.choose(from: listed) else {
                throw HomelabError(
                    .unsupportedVersion,
                    "the server offers API versions \(listed.joined(separator: ", ")); this SDK knows \(TrueNASAPIVersion.known.map(\.description).joined(separator: ", "))",
                    component: "truenas")
            }
            version = chosen
        }
        logger?.debug("TrueNAS API chosen", metadata: ["version": "\(version)"])
        if version.isREST { return TrueNASClient(backend: TrueNASREST(rest: rest)) }

        let certificate = ServerCertificateRecord()
        let login = credentials.map { TrueNASLogin(credentials: $0, apiVersion: version, logger: logger) }
        let webSocketOptions = options.webSocket
        let connect: JSONRPCClient.Connect = {
            let connection = try await WebSocketConnection.connect(
                to: endpoint, path: "/\(version)", options: webSocketOptions, component: "truenas", logger: logger)
            certificate.record(connection.serverCertificate ?? [])
            return connection
        }
        var authenticate: JSONRPCClient.Authenticate?
        if let login {
            authenticate = { session in try await login.run(session, certificate: certificate.value) }
        }
        let rpc = JSONRPCClient(
            component: "truenas", configuration: options.rpc, logger: logger, connect: connect, authenticate: authenticate)
        do {
            try await rpc.open()
        } catch {
            await rpc.close()
            throw error
        }
        return TrueNASClient(backend: TrueNASJSONRPC(rpc: rpc, version: version))
    }

    /// Closes the session. Calls in flight fail with ``HomelabError/Code/cancelled``.
    public func close() async { await backend.close() }

    /// Calls any method by name (for what the typed families do not cover yet).
    /// - Throws: ``HomelabError`` with the server's error (`.notFound` for ENOENT, `.invalidArgument` for validation).
    public func call(_ method: String, _ params: [JSONValue] = [], logger: Logger? = nil) async throws -> JSONValue {
        try await backend.perform(TrueNASCall(method, params), logger: logger)
    }

    func perform<T: Decodable>(_ call: TrueNASCall, as type: T.Type, logger: Logger?) async throws -> T {
        try TrueNASJSON.decode(type, from: try await backend.perform(call, logger: logger), what: call.method)
    }

    /// Starts a job method and returns its handle.
    /// - Throws: the server's error when the job cannot start; `.decodingFailed` when it answers no job id.
    func startJob(_ call: TrueNASCall, logger: Logger?) async throws -> TrueNAS.JobHandle {
        let answer = try await backend.perform(call, logger: logger)
        guard let id = TrueNASJSON.number(answer).map(Int.init) else {
            throw HomelabError(.decodingFailed, "\(call.method) did not answer a job id", component: "truenas")
        }
        return TrueNAS.JobHandle(id: id, method: call.method, backend: backend)
    }
}
