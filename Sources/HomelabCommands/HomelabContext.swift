import ArgumentParser
import Foundation
import HomelabCore
import Logging

/// `--config PATH`: the inventory every command that talks to the homelab reads.
public struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Inventory file (homelab.yaml); defaults to $HOMELAB_CONFIG, then ./homelab.yaml.")
    public var config: String?

    @Flag(name: .long, help: "Log requests (redacted) to standard error.")
    public var verbose = false

    public init() {}

    /// The inventory path in force.
    public var path: String {
        config ?? ProcessInfo.processInfo.environment["HOMELAB_CONFIG"] ?? "homelab.yaml"
    }
}

/// What a command needs to talk to the homelab: the inventory, the shared transport, the swarm client (and the
/// SSH tunnel it rides on when the inventory reaches Docker through a node). Open it with ``with(_:environment:_:)``,
/// which closes the tunnel whatever happens.
public struct HomelabContext: Sendable {
    public let homelab: Homelab
    public let transport: CurlTransport
    public let swarm: SwarmClient
    public let logger: Logger?
    /// The tunnel to the Docker API, when `components.docker.ssh_tunnel` names a node.
    let tunnel: SSHDockerTunnel?

    /// Loads the inventory and connects to its Docker endpoint: a URL or socket directly (lazily), or through
    /// `ssh_tunnel: NODE`, an SSH session to that node (its address, ssh user and port, `identity_file` or the
    /// ssh-agent; host keys checked against `$HOMELAB_KNOWN_HOSTS`, else `~/.ssh/known_hosts`) carrying
    /// `docker system dial-stdio` (for the node's `socket:` when one is given).
    /// - Throws: the inventory's located errors; `.invalidConfiguration` without a usable docker endpoint; the
    ///   tunnel's errors (host key, authentication, docker missing on the node).
    public static func open(_ options: ConfigOptions, environment: [String: String]) async throws -> HomelabContext {
        let homelab = try InventoryLoader.load(path: options.path)
        var logger: Logger?
        if options.verbose {
            var l = Logger(label: "homelab")
            l.logLevel = .debug
            logger = l
        }
        guard let docker = homelab.components[.docker] else {
            throw HomelabError(.invalidConfiguration, "\(options.path): components.docker is missing: the homelab needs its swarm's API")
        }
        let transport = try CurlTransport()
        if let nodeName = docker.sshTunnel {
            guard let node = homelab.node(named: nodeName) else {
                throw HomelabError(.invalidConfiguration, "\(options.path): components.docker.ssh_tunnel names no node '\(nodeName)'")
            }
            var socketPath: String?
            if let endpoint = docker.endpoint {
                guard case .unixSocket(let path) = endpoint.address else {
                    throw HomelabError(
                        .invalidConfiguration,
                        "\(options.path): components.docker: through ssh_tunnel, give the node's docker socket (socket:), not a url")
                }
                socketPath = path
            }
            // The same login as node maintenance uses: the node's address, ssh user and port, key or agent.
            let sshLogger = logger ?? Logger(label: "homelab.docker")
            guard let shell = nodeShell(knownHosts: nil, environment: environment, logger: sshLogger) else {
                throw knownHostsMissing
            }
            let address = SSHDockerAddress(user: node.ssh.user, host: node.address, port: node.ssh.port, socketPath: socketPath)
            let tunnel = SSHDockerTunnel(
                configuration: try shell.configuration(for: node, timeout: .seconds(120)),
                remoteCommand: address.remoteCommand, logger: sshLogger)
            do {
                try await tunnel.start()
            } catch {
                await tunnel.shutdown()
                throw error
            }
            return HomelabContext(
                homelab: homelab, transport: transport, swarm: SwarmClient(transport: transport, endpoint: tunnel.endpoint),
                logger: logger, tunnel: tunnel)
        }
        guard let endpoint = docker.endpoint else {
            throw HomelabError(.invalidConfiguration, "\(options.path): components.docker needs a url, a socket or an ssh_tunnel")
        }
        return HomelabContext(
            homelab: homelab, transport: transport, swarm: SwarmClient(transport: transport, endpoint: endpoint),
            logger: logger, tunnel: nil)
    }

    /// Opens a context, runs `body` with it and closes it (its SSH tunnel, if any), also when `body` throws.
    public static func with<T: Sendable>(
        _ options: ConfigOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
        _ body: (HomelabContext) async throws -> T
    ) async throws -> T {
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

    /// Shuts the SSH tunnel down, if there is one.
    public func close() async {
        await tunnel?.shutdown()
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
