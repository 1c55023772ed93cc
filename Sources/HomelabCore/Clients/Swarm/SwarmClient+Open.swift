import Logging

/// How to log in for an `ssh://` Docker host (the URL gives host, port and optionally the user).
public struct SSHDockerLogin: Sendable {
    /// The login when the URL names none.
    public var defaultUser: String
    /// Key file or agent.
    public var authentication: SSHConfiguration.Authentication
    /// The known_hosts file checked (strictly by default).
    public var knownHostsFile: String
    /// Strict, or accept-new when explicitly chosen.
    public var hostKeyPolicy: SSHConfiguration.HostKeyPolicy

    public init(
        defaultUser: String, authentication: SSHConfiguration.Authentication, knownHostsFile: String,
        hostKeyPolicy: SSHConfiguration.HostKeyPolicy = .strict
    ) {
        self.defaultUser = defaultUser
        self.authentication = authentication
        self.knownHostsFile = knownHostsFile
        self.hostKeyPolicy = hostKeyPolicy
    }
}

/// A ``SwarmClient`` together with the SSH tunnel it rides on for `ssh://` hosts. Call ``close()`` when done.
public struct OpenSwarmClient: Sendable {
    /// The client.
    public let client: SwarmClient
    /// The tunnel, for `ssh://` hosts.
    public let tunnel: SSHDockerTunnel?

    /// Shuts the tunnel down (nothing to do for unix:// and tcp:// hosts).
    public func close() async {
        await tunnel?.shutdown()
    }
}

extension SwarmClient {
    /// Opens a client for any docker host: unix://, tcp:// (TLS) or `ssh://`, for which it starts an
    /// ``SSHDockerTunnel`` (one SSH session carrying `docker system dial-stdio` channels) first.
    /// - Parameter ssh: how to log in; required for `ssh://` hosts.
    /// - Throws: ``HomelabError``: `.invalidConfiguration` for an ssh:// host without a login; any error of
    ///   ``SSHDockerTunnel/start()`` (host key, authentication, docker missing on the remote host).
    public static func open(
        transport: CurlTransport, connection: DockerConnection, ssh: SSHDockerLogin? = nil,
        logger: Logger = Logger(label: "homelab.docker")
    ) async throws -> OpenSwarmClient {
        guard case .ssh(let address) = connection.host else {
            return OpenSwarmClient(client: try SwarmClient(transport: transport, connection: connection), tunnel: nil)
        }
        guard let ssh else {
            throw HomelabError(
                .invalidConfiguration, "\(address): an ssh:// docker host needs an SSH login (user, key or agent, known_hosts)",
                component: "docker")
        }
        let tunnel = SSHDockerTunnel(
            configuration: address.configuration(
                defaultUser: ssh.defaultUser, authentication: ssh.authentication, knownHostsFile: ssh.knownHostsFile,
                hostKeyPolicy: ssh.hostKeyPolicy),
            remoteCommand: address.remoteCommand, logger: logger)
        try await tunnel.start()
        return OpenSwarmClient(
            client: SwarmClient(transport: transport, endpoint: tunnel.endpoint, apiVersion: connection.apiVersion),
            tunnel: tunnel)
    }
}
