import ArgumentParser
import Foundation
import HomelabCore
import Logging

/// What a command needs to talk to the homelab: the inventory, the shared transport, the swarm client, and the
/// ``HomelabConnections`` every component is opened through (SSH tunnels included). Open it with
/// ``with(_:environment:_:)``, which closes the connections whatever happens.
public struct HomelabContext: Sendable {
    public let homelab: Homelab
    public let transport: CurlTransport
    public let swarm: SwarmClient
    public let logger: Logger?
    /// Every component's client, opened on first use and closed with the context.
    public let connections: HomelabConnections

    /// Loads the inventory and connects to its Docker endpoint: a URL or socket directly (lazily), or through
    /// `ssh_tunnel: NODE`, an SSH session to that node (its address, ssh user and port, `identity_file` or the
    /// ssh-agent; host keys checked against `$HOMELAB_KNOWN_HOSTS`, else `~/.ssh/known_hosts`) carrying
    /// `docker system dial-stdio` (for the node's `socket:` when one is given).
    /// - Throws: the inventory's located errors; `.invalidConfiguration` without a usable docker endpoint; the
    ///   tunnel's errors (host key, authentication, docker missing on the node).
    public static func open(_ options: ConfigOptions, environment: [String: String]) async throws -> HomelabContext {
        // The inventory before the transport: `homelab` loads libcurl on a background thread meanwhile
        // (``HomelabCommand/runFromCommandLine(arguments:)``), and the transport waits for it.
        let source = try options.source(environment: environment)
        let homelab = try source.load()
        let transport = try CurlTransport()
        let connections = connections(homelab, source: source, options, environment: environment, transport: transport)
        do {
            let swarm = try await connections.swarm()
            return HomelabContext(
                homelab: connections.homelab, transport: transport, swarm: swarm,
                logger: logger(options), connections: connections)
        } catch {
            await connections.close()
            transport.shutdown()
            throw error
        }
    }

    /// Loads the inventory and makes its connections, opening nothing yet: credentials from `environment`
    /// (`env:`, `file:`), SSH logins checked against `$HOMELAB_KNOWN_HOSTS`, else `~/.ssh/known_hosts`.
    /// - Throws: the inventory's located errors.
    public static func connect(
        _ options: ConfigOptions, environment: [String: String], transport: (any HTTPTransport)? = nil
    ) throws -> HomelabConnections {
        let source = try options.source(environment: environment)
        let homelab = try source.load()
        return connections(homelab, source: source, options, environment: environment, transport: try transport ?? CurlTransport())
    }

    private static func connections(
        _ homelab: Homelab, source: ConfigSource, _ options: ConfigOptions, environment: [String: String],
        transport: any HTTPTransport
    ) -> HomelabConnections {
        let logger = logger(options)
        return HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: environment),
            sshLogin: nodeShell(knownHosts: nil, environment: environment, logger: logger ?? Logger(label: "homelab.ssh")),
            source: source.path, logger: logger)
    }

    private static func logger(_ options: ConfigOptions) -> Logger? {
        guard options.verbose else { return nil }
        var logger = Logger(label: "homelab")
        logger.logLevel = .debug
        return logger
    }

    /// Opens a context, runs `body` with it and closes it (its SSH tunnels, if any), also when `body` throws. Inside
    /// ``HomelabSession/lend(_:)`` the session's context is used and left open.
    public static func with<T: Sendable>(
        _ options: ConfigOptions, environment: [String: String] = Terminal.active.environment,
        _ body: (HomelabContext) async throws -> T
    ) async throws -> T {
        if let session = HomelabSession.lent(to: options) { return try await body(try await session.context()) }
        let context = try await open(options, environment: environment)
        do {
            let result = try await body(context)
            await context.close()
            return result
        } catch {
            await context.close()
            throw error
        }
    }

    /// Makes the inventory's connections, runs `body` with them and closes them, also when `body` throws. Unlike
    /// ``with(_:environment:_:)`` nothing is opened first: for commands that report a component down instead of
    /// failing (`homelab status`).
    public static func withConnections<T: Sendable>(
        _ options: ConfigOptions, environment: [String: String] = Terminal.active.environment,
        _ body: (HomelabConnections) async throws -> T
    ) async throws -> T {
        if let session = HomelabSession.lent(to: options) { return try await body(session.connections) }
        let transport = try CurlTransport()
        let connections = try connect(options, environment: environment, transport: transport)
        do {
            let result = try await body(connections)
            await connections.close()
            transport.shutdown()
            return result
        } catch {
            await connections.close()
            transport.shutdown()
            throw error
        }
    }

    /// Closes the connections (every SSH tunnel) and stops the transport's driver thread, so that nothing runs
    /// while the process exits; later calls do nothing.
    public func close() async {
        await connections.close()
        transport.shutdown()
    }

    /// An SSH shell on the inventory's nodes, host keys checked against `knownHosts`, else `$HOMELAB_KNOWN_HOSTS`,
    /// else `~/.ssh/known_hosts`; `nil` when no known_hosts file can be named (no HOME).
    static func nodeShell(knownHosts: String?, environment: [String: String], logger: Logger) -> SSHNodeShell? {
        let home = environment["HOME"]
        guard
            let knownHostsFile = knownHosts ?? environment["HOMELAB_KNOWN_HOSTS"]
                ?? home.map({ SSHConfiguration.knownHostsFile(homeDirectory: $0) })
        else { return nil }
        return SSHNodeShell(knownHostsFile: knownHostsFile, homeDirectory: home, logger: logger)
    }

    /// The error for SSH to the nodes without a known_hosts file to check their host keys against.
    static let knownHostsMissing = ValidationError(
        "SSH to the nodes needs a known_hosts file: give --known-hosts or set HOMELAB_KNOWN_HOSTS (HOME is not set)")
}
