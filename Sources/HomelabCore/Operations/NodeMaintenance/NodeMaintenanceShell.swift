import Logging

/// Runs the maintenance command on a node; ``SSHNodeShell`` does it over SSH, tests fake it.
public protocol NodeMaintenanceShell: Sendable {
    /// Runs `command` on `node` and returns its output and how it ended (a non-zero exit is returned, not thrown).
    /// - Throws: ``HomelabError``: `.connectionFailed` when the connection fails or drops before the command's end,
    ///   `.timedOut` after `timeout`, host-key and authentication errors.
    func run(_ command: String, on node: Homelab.Node, timeout: Duration) async throws -> SSHCommandResult
}

/// Runs maintenance commands over SSH, one ``SSHSession`` per command, built from the inventory node: its
/// address, `ssh.user`, `ssh.port`, and `ssh.identity_file` (else the ssh-agent).
///
/// Host keys are checked against ``knownHostsFile`` under ``hostKeyPolicy`` (strict unless chosen otherwise).
public struct SSHNodeShell: NodeMaintenanceShell {
    /// The known_hosts file every node's host key is checked against.
    public var knownHostsFile: String
    /// Strict (the default) or accept-new.
    public var hostKeyPolicy: SSHConfiguration.HostKeyPolicy
    /// The ssh-agent socket for nodes without an identity file; `nil` uses `SSH_AUTH_SOCK`.
    public var agentSocket: String?
    /// The home directory `~/` in an identity file stands for; without it such a path is refused.
    public var homeDirectory: String?
    /// Limit for connecting and each protocol round trip.
    public var connectTimeout: Duration
    let logger: Logger

    /// A shell; nothing connects until ``run(_:on:timeout:)``.
    public init(
        knownHostsFile: String, hostKeyPolicy: SSHConfiguration.HostKeyPolicy = .strict, agentSocket: String? = nil,
        homeDirectory: String? = nil, connectTimeout: Duration = .seconds(10), logger: Logger
    ) {
        self.knownHostsFile = knownHostsFile
        self.hostKeyPolicy = hostKeyPolicy
        self.agentSocket = agentSocket
        self.homeDirectory = homeDirectory
        self.connectTimeout = connectTimeout
        self.logger = logger
    }

    /// The SSH configuration for `node`, with `timeout` as the command timeout.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for an identity file under `~/` without a home directory.
    public func configuration(for node: Homelab.Node, timeout: Duration) throws -> SSHConfiguration {
        let authentication: SSHConfiguration.Authentication
        if let file = node.ssh.identityFile {
            authentication = .keyFile(path: try expand(file, node: node.name))
        } else {
            authentication = .agent(socketPath: agentSocket)
        }
        return SSHConfiguration(
            host: node.address, port: node.ssh.port, user: node.ssh.user, authentication: authentication,
            knownHostsFile: knownHostsFile, hostKeyPolicy: hostKeyPolicy, connectTimeout: connectTimeout,
            commandTimeout: timeout)
    }

    /// Connects, runs the command, closes the session.
    /// - Throws: what ``SSHSession/run(_:stdin:timeout:)`` throws, and ``configuration(for:timeout:)``'s errors.
    public func run(_ command: String, on node: Homelab.Node, timeout: Duration) async throws -> SSHCommandResult {
        let session = SSHSession(configuration: try configuration(for: node, timeout: timeout), logger: logger)
        do {
            let result = try await session.run(command, timeout: timeout)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    private func expand(_ path: String, node: String) throws -> String {
        guard path.hasPrefix("~/") else { return path }
        guard let home = homeDirectory, !home.isEmpty else {
            throw HomelabError(
                .invalidConfiguration,
                "node \(node): identity file \(Redaction.redactText(path)) starts with ~/ but no home directory was given",
                component: "ssh")
        }
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + path.dropFirst(1)
    }
}
