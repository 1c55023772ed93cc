import Foundation
import Logging

/// Every component of a ``Homelab`` opened from its inventory entry, lazily, on one shared transport.
///
/// ``swarm()`` and ``http(for:)`` turn a ``ComponentEndpoint`` into a client: its URL or socket with its TLS
/// options, an authentication middleware built from its credential references (see ``ComponentCredentials``,
/// resolved through the ``SecretResolver``), and, with `ssh_tunnel: NODE`, an ``SSHTunnel`` through that node's SSH
/// login: `docker system dial-stdio` for Docker's socket, a `direct-tcpip` forward to the URL's host and port for
/// every TCP component (the URL keeps naming the server, so TLS still checks the real host name). What is opened
/// is kept and shared: one client per component, one tunnel (one SSH session) per node carrying every target
/// through it, however many callers ask at once.
///
/// ``close()`` shuts every tunnel down once (later calls do nothing), including tunnels still starting and those
/// left from an opening that failed halfway; nothing opens after it.
public actor HomelabConnections {
    /// The inventory.
    public nonisolated let homelab: Homelab
    /// The transport every client shares.
    public nonisolated let transport: any HTTPTransport
    /// How errors name the inventory (its path), as in `homelab.yaml: components.caddy.ssh_tunnel ...`.
    public nonisolated let source: String
    private let secrets: any SecretResolver
    let sshLogin: SSHNodeShell?
    /// Where opening and requests log, when the frontend asked for it.
    public nonisolated let logger: Logger?
    private var clients: [ComponentKind: Task<HTTPClient, any Error>] = [:]
    private var swarmClient: Task<SwarmClient, any Error>?
    /// TrueNAS's JSON-RPC session (see `HomelabConnections+TrueNAS.swift`).
    var trueNASClient: Task<TrueNASClient, any Error>?
    var trueNASOpen: TrueNASClient?
    private var tunnels: [String: Task<SSHTunnel, any Error>] = [:]
    private var routes: [TunnelKey: Task<String, any Error>] = [:]
    private var isClosed = false

    private struct TunnelKey: Hashable {
        var node: String
        var target: SSHTunnel.Target
    }

    /// Connections for `homelab`; nothing is opened before it is asked for.
    /// - Parameters:
    ///   - secrets: resolves credential references (a ``CompositeSecretResolver`` resolves each once).
    ///   - sshLogin: how to log in to the nodes for `ssh_tunnel` (known_hosts, home directory for `~/` keys);
    ///     without it a component behind a tunnel cannot be opened.
    ///   - source: how errors name the inventory (its path).
    public init(
        homelab: Homelab, transport: any HTTPTransport, secrets: any SecretResolver, sshLogin: SSHNodeShell?,
        source: String = "homelab.yaml", logger: Logger? = nil
    ) {
        self.homelab = homelab
        self.transport = transport
        self.secrets = secrets
        self.sshLogin = sshLogin
        self.source = source
        self.logger = logger
        Self.joinOnePassword(homelab: homelab, secrets: secrets, connections: WeakConnections(self), logger: logger)
    }

    /// The swarm's client (`components.docker`: a socket, a URL, or `ssh_tunnel: NODE` through dial-stdio).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` (located) without a usable docker entry; the tunnel's
    ///   errors (host key, authentication, docker missing on the node); `.cancelled` after ``close()``.
    public func swarm() async throws -> SwarmClient {
        let task: Task<SwarmClient, any Error>
        if let running = swarmClient {
            task = running
        } else {
            task = Task { try await SwarmClient(transport: self.transport, endpoint: self.endpoint(for: .docker)) }
            swarmClient = task
        }
        return try await settle(task) { if self.swarmClient == task { self.swarmClient = nil } }
    }

    /// An ``HTTPClient`` for component `kind`: its endpoint (through its SSH tunnel, if any), retries, its
    /// authentication and logging.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` (located) when the component is not in the inventory,
    ///   has no API endpoint or a tunnel it cannot take; `.secretUnavailable` for credentials; tunnel errors;
    ///   `.cancelled` after ``close()``.
    public func http(for kind: ComponentKind) async throws -> HTTPClient {
        let task = clients[kind] ?? Task { try await self.makeClient(kind) }
        clients[kind] = task
        return try await settle(task) { if self.clients[kind] == task { self.clients[kind] = nil } }
    }

    /// Where component `kind` is reached, for displays: `http://localhost:2019 via ssh barbary`, a socket, or `-`.
    public nonisolated func place(of kind: ComponentKind) -> String {
        guard let component = homelab.components[kind] else { return "-" }
        let base = component.endpoint?.description
            ?? [component.node, component.configPath].compactMap { $0 }.joined(separator: ":")
        let shown = base.isEmpty ? (kind == .docker ? "docker" : "-") : base
        return component.sshTunnel.map { "\(shown) via ssh \($0)" } ?? shown
    }

    /// Shuts every tunnel down (waiting for those still starting) and refuses to open anything afterwards.
    /// Requests in flight through a tunnel fail. Later calls do nothing.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        let starting = Array(tunnels.values)
        tunnels.removeAll()
        routes.removeAll()
        clients.removeAll()
        swarmClient = nil
        if let open = trueNASOpen {
            trueNASOpen = nil
            trueNASClient = nil
            await open.close()
        } else if let trueNAS = trueNASClient {
            // An opening still under way (a SCRAM login) is not waited for: its session closes as soon as it is made.
            trueNASClient = nil
            Task { if let client = try? await trueNAS.value { await client.close() } }
        }
        for task in starting {
            if let tunnel = try? await task.value { await tunnel.shutdown() }
        }
    }

    /// Whether ``close()`` has run.
    public var closed: Bool { isClosed }

    // MARK: Opening

    /// Waits for an opening; a failed one is forgotten so that the next call tries again.
    func settle<T: Sendable>(_ task: Task<T, any Error>, forget: () -> Void) async throws -> T {
        guard !isClosed else { throw closedError() }
        do {
            return try await task.value
        } catch {
            if !isClosed { forget() }
            throw error
        }
    }

    private func makeClient(_ kind: ComponentKind) async throws -> HTTPClient {
        let location = "\(source): components.\(kind.rawValue)"
        guard let component = homelab.components[kind] else {
            throw HomelabError(.invalidConfiguration, "\(location) is not in the inventory", component: kind.rawValue)
        }
        var endpoint = try await endpoint(for: kind)
        // Caddy's admin API on a unix socket accepts only an empty Host header.
        if kind == .caddy, case .unixSocket = endpoint.address, endpoint.unixSocketHost == nil { endpoint.unixSocketHost = "" }
        let auth = try await ComponentCredentials.middleware(for: component, secrets: secrets, location: location)
        return HTTPClient(
            transport: transport, endpoint: endpoint, component: kind.rawValue,
            middleware: [RetryMiddleware()] + auth + [LoggingMiddleware()])
    }

    /// The endpoint requests to `kind` go to: the inventory's, with the client key's passphrase resolved, carried
    /// through the node's tunnel when the component names one.
    func endpoint(for kind: ComponentKind) async throws -> Endpoint {
        let location = "\(source): components.\(kind.rawValue)"
        func invalid(_ message: String) -> HomelabError {
            HomelabError(.invalidConfiguration, "\(location)\(message)", component: kind.rawValue)
        }
        guard let component = homelab.components[kind] else {
            if kind == .docker { throw invalid(" is missing: the homelab needs its swarm's API") }
            throw invalid(" is not in the inventory")
        }
        var endpoint = component.endpoint
        if let passphrase = try await ComponentCredentials.clientKeyPassphrase(
            for: component, secrets: secrets, location: location)
        {
            endpoint?.tls.clientCertificate?.keyPassphrase = passphrase
        }
        guard let nodeName = component.sshTunnel else {
            guard let endpoint else { throw invalid(" needs a url or a socket (it has no API endpoint)") }
            return endpoint
        }
        guard let node = homelab.node(named: nodeName) else {
            throw invalid(".ssh_tunnel names no node '\(nodeName)'")
        }
        switch endpoint?.address {
        case nil where kind == .docker:
            let socket = try await route(through: node, .command(SSHDockerAddress.defaultRemoteCommand), location: location)
            return .unixSocket(socket, host: "docker")
        case .unixSocket(let path)? where kind == .docker:
            let address = SSHDockerAddress(user: node.ssh.user, host: node.address, port: node.ssh.port, socketPath: path)
            let socket = try await route(through: node, .command(address.remoteCommand), location: location)
            return .unixSocket(socket, host: "docker")
        case .url(let url)?:
            guard var endpoint, let (host, port) = Self.hostAndPort(of: url) else {
                throw invalid(".url has no host to forward to through ssh_tunnel")
            }
            endpoint.connectionSocket = try await route(through: node, .forward(host: host, port: port), location: location)
            return endpoint
        case .unixSocket?:
            throw invalid(": through ssh_tunnel, give a url (a host and port as \(nodeName) sees them), not a socket")
        case nil:
            throw invalid(": ssh_tunnel needs a url to forward to (a host and port as \(nodeName) sees them)")
        }
    }

    /// The local socket carrying `target` through `node`'s tunnel, opened on first use and shared afterwards.
    private func route(through node: Homelab.Node, _ target: SSHTunnel.Target, location: String) async throws -> String {
        let key = TunnelKey(node: node.name, target: target)
        let task =
            routes[key]
            ?? Task<String, any Error> {
                let tunnel = try await self.tunnel(to: node, first: target, location: location)
                return try await tunnel.socketPath(carrying: target)
            }
        routes[key] = task
        return try await settle(task) { if self.routes[key] == task { self.routes[key] = nil } }
    }

    /// The running tunnel to `node` (its own target is `first`, the one it was opened for), started on first use.
    private func tunnel(to node: Homelab.Node, first target: SSHTunnel.Target, location: String) async throws -> SSHTunnel {
        guard !isClosed else { throw closedError() }
        let key = node.name
        if let task = tunnels[key] {
            return try await settle(task) { if self.tunnels[key] == task { self.tunnels[key] = nil } }
        }
        guard let sshLogin else {
            throw HomelabError(
                .invalidConfiguration,
                "\(location).ssh_tunnel: SSH to node \(node.name) needs a known_hosts file (set HOMELAB_KNOWN_HOSTS or HOME)",
                component: "ssh")
        }
        let configuration = try sshLogin.configuration(for: node, timeout: .seconds(120))
        let sshLogger = logger ?? Logger(label: "homelab.connections")
        let task = Task<SSHTunnel, any Error> {
            let tunnel = SSHTunnel(configuration: configuration, target: target, logger: sshLogger)
            do {
                try await tunnel.start()
            } catch {
                await tunnel.shutdown()
                throw error
            }
            return tunnel
        }
        tunnels[key] = task
        return try await settle(task) { if self.tunnels[key] == task { self.tunnels[key] = nil } }
    }

    /// Resolves a credential reference through the connections' resolver.
    func resolveSecret(_ reference: CredentialReference) async throws -> Secret {
        try await secrets.resolve(reference)
    }

    private func closedError() -> HomelabError {
        HomelabError(.cancelled, "the homelab's connections were closed", component: "connections")
    }

    /// The host and port of an http(s) URL (port 80 or 443 when it names none); `nil` without a host.
    static func hostAndPort(of url: String) -> (String, Int)? {
        guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else { return nil }
        let port = parts.port ?? (parts.scheme?.lowercased() == "https" ? 443 : 80)
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return (bare, port)
    }
}
