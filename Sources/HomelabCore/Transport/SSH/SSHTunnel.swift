import Logging

/// A server reached over SSH, offered locally as a private unix socket: a docker daemon through
/// `docker system dial-stdio` (`DOCKER_HOST=ssh://...`), or any TCP service the node can reach through a
/// `direct-tcpip` forward (`ssh -L`), for the libcurl transport.
///
/// The tunnel keeps one SSH session (libssh). Every connection accepted on its socket gets a new channel on
/// that session, of the kind its ``Target`` says: an exec channel running a command (which connects to the remote
/// daemon's socket), or a `direct-tcpip` channel to a host and port as the node sees them. Bytes are pumped both
/// ways, half-closes included, until both sides end; the channel kind is the only difference. Use ``endpoint``
/// like a local docker socket, or ``carrying(_:)`` for an HTTP(S) endpoint: libcurl keeps connections alive, so
/// many requests ride one channel, and concurrent ones get their own channels on the same session. Streaming and
/// hijacked endpoints simply use a connection of their own.
///
/// A unix socket rather than a loopback TCP port: libcurl connects through it while the URL keeps naming the real
/// server, so the Host header, SNI and the certificate's host name check stay those of the component; and only
/// this user can reach it, where any local user could reach a loopback port.
///
/// The socket lives in a fresh 0700 directory (only this user can connect). At most ``maxChannels``
/// connections are carried at once (OpenSSH's `MaxSessions` defaults to 10 per connection); more wait in the
/// listen queue. A lost SSH session is reconnected when the next connection arrives.
public actor SSHTunnel {
    /// What each channel carries.
    public enum Target: Sendable, Hashable, CustomStringConvertible {
        /// An exec channel running this command per connection (`docker system dial-stdio`).
        case command(String)
        /// A `direct-tcpip` channel to `host:port` as the SSH server resolves and reaches them.
        case forward(host: String, port: Int)

        /// `exec COMMAND` (redacted) or `forward HOST:PORT`.
        public var description: String {
            switch self {
            case .command(let command): return "exec " + Redaction.redactText(command)
            case .forward(let host, let port): return "forward " + (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
            }
        }
    }

    /// What the tunnel has done so far.
    public struct Statistics: Sendable {
        /// SSH connections made (1 after ``start()``, more after reconnects).
        public var sshConnections = 0
        /// Local connections accepted on the socket.
        public var connectionsAccepted = 0
        /// Channels opened for them (the check in ``start()`` is not counted).
        public var channelsOpened = 0
        /// Channels open now (one per connection being carried).
        public var openChannels = 0
        /// Connections that could not be carried or whose command failed.
        public var failedConnections = 0
        /// Bytes carried to the remote command, for connections that have ended.
        public var bytesToRemote = 0
        /// Bytes carried back from the remote command, for connections that have ended.
        public var bytesFromRemote = 0
        /// The latest of those failures.
        public var lastFailure: HomelabError?

        /// All zero.
        public init() {}
    }

    private enum State {
        case idle, starting, running, stopped
    }

    /// The SSH server and login.
    public nonisolated let configuration: SSHConfiguration
    /// What each channel carries.
    public nonisolated let target: Target
    /// The local unix socket (it exists between ``start()`` and ``shutdown()``).
    public nonisolated let socketPath: String
    /// The endpoint to give a docker ``HTTPClient``: ``socketPath``, with `Host: docker` as the docker CLI sends.
    public nonisolated let endpoint: Endpoint
    /// Most connections carried at once.
    public nonisolated let maxChannels: Int
    private nonisolated let directory: String
    private let session: SSHSession
    private let logger: Logger
    private let counters = SSHTunnelCounters()
    private var state = State.idle
    private var pump: SSHTunnelPump?
    /// Sockets of the routes added after start, by target.
    private var routeSockets: [Target: String] = [:]
    private var routeCount = 0
    private var driver: Task<Void, Never>?

    /// A tunnel to the server in `configuration` that runs `remoteCommand` per connection; nothing happens
    /// before ``start()``.
    /// - Parameters:
    ///   - socketDirectory: where the private socket directory is created (short: unix socket paths are
    ///     limited to about 100 bytes).
    public init(
        configuration: SSHConfiguration, remoteCommand: String = SSHDockerAddress.defaultRemoteCommand,
        socketDirectory: String = "/tmp", maxChannels: Int = 10, logger: Logger
    ) {
        self.init(
            configuration: configuration, target: .command(remoteCommand), socketDirectory: socketDirectory,
            maxChannels: maxChannels, logger: logger)
    }

    /// A tunnel to the server in `configuration` whose channels carry `target`; nothing happens before ``start()``.
    /// - Parameters:
    ///   - socketDirectory: where the private socket directory is created (short: unix socket paths are
    ///     limited to about 100 bytes).
    public init(
        configuration: SSHConfiguration, target: Target, socketDirectory: String = "/tmp", maxChannels: Int = 10,
        logger: Logger
    ) {
        let parent = socketDirectory.hasSuffix("/") ? String(socketDirectory.dropLast()) : socketDirectory
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        self.configuration = configuration
        self.target = target
        self.maxChannels = maxChannels
        self.directory = parent + "/homelab-tunnel-" + suffix
        self.socketPath = directory + "/" + Self.socketName(for: target)
        self.endpoint = .unixSocket(socketPath, host: "docker")
        var logger = logger
        logger[metadataKey: "ssh.tunnel"] = "\(socketPath)"
        self.logger = logger
        self.session = SSHSession(configuration: configuration, logger: logger)
    }

    /// A tunnel for a docker `ssh://[user@]host[:port][/socket]` URL.
    /// - Parameters:
    ///   - defaultUser: the login when the URL names none (the docker CLI would let ssh pick the local user).
    ///   - remoteCommand: replaces the command the URL implies (tests use a stand-in for docker).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for a URL the docker CLI would refuse.
    public init(
        url: String, defaultUser: String, authentication: SSHConfiguration.Authentication, knownHostsFile: String,
        hostKeyPolicy: SSHConfiguration.HostKeyPolicy = .strict, remoteCommand: String? = nil,
        socketDirectory: String = "/tmp", maxChannels: Int = 10, logger: Logger
    ) throws {
        let address = try SSHDockerAddress.parse(url)
        self.init(
            configuration: address.configuration(
                defaultUser: defaultUser, authentication: authentication, knownHostsFile: knownHostsFile,
                hostKeyPolicy: hostKeyPolicy),
            target: .command(remoteCommand ?? address.remoteCommand), socketDirectory: socketDirectory,
            maxChannels: maxChannels, logger: logger)
    }

    deinit { pump?.stop() }

    /// The command each channel runs, for a command tunnel.
    public nonisolated var remoteCommand: String? {
        if case .command(let command) = target { return command }
        return nil
    }

    /// `endpoint` with its connections made through this tunnel's socket: the URL (Host header, TLS name check)
    /// and TLS options stay as they are.
    public nonisolated func carrying(_ endpoint: Endpoint) -> Endpoint {
        var carried = endpoint
        carried.connectionSocket = socketPath
        return carried
    }

    private static func socketName(for target: Target) -> String {
        if case .command = target { return "docker.sock" }
        return "forward.sock"
    }

    /// What the tunnel has done so far; readable at any time.
    public nonisolated var statistics: Statistics { counters.current }

    /// Creates the socket, connects, checks that the remote command starts (for a command tunnel), and begins
    /// carrying connections.
    ///
    /// The check runs the command once with its input closed: `docker system dial-stdio` then exits 0. A command
    /// that fails (docker missing, daemon socket absent or not allowed) fails here, with the end of its stderr.
    /// A forward is not checked here: a target that refuses fails each connection (and counts in ``statistics``).
    /// Does nothing when already running. After a failure the socket is gone and `start()` may be called again.
    /// - Throws: ``HomelabError`` with `.connectionFailed` when the command cannot start; any error of
    ///   ``SSHSession/connect()``; `.invalidConfiguration` when the socket cannot be created; `.cancelled` after
    ///   ``shutdown()``.
    public func start() async throws {
        switch state {
        case .running: return
        case .starting:
            throw HomelabError(
                .invalidArgument, "the SSH tunnel to \(configuration.target) is already starting", component: "ssh")
        case .stopped: throw closedError()
        case .idle: break
        }
        guard maxChannels >= 1 else {
            throw HomelabError(.invalidArgument, "maxChannels must be at least 1 (got \(maxChannels))", component: "ssh")
        }
        try configuration.validate()
        let listener = try UnixSocketListener.open(directory: directory, name: Self.socketName(for: target))
        state = .starting
        do {
            let started = ContinuousClock.now
            try await session.connect()
            counters.update { $0.sshConnections += 1 }
            if case .command(let command) = target { try await checkRemoteCommand(command) }
            // shutdown() may have run while this waited.
            guard state == .starting else { throw closedError() }
            let pump = try SSHTunnelPump(
                handle: session.handle, route: SSHTunnelPump.Route(listener: listener, target: target), maxChannels: maxChannels,
                counters: counters, logger: logger)
            self.pump = pump
            driver = Task.detached { await pump.run() }
            state = .running
            logger.info(
                "ssh tunnel ready",
                metadata: [
                    "ssh.target": "\(configuration.target)", "ssh.carries": "\(target)",
                    "ssh.ms": "\(LibSSHHandle.milliseconds(ContinuousClock.now - started))",
                ])
        } catch {
            listener.remove()
            if state == .starting { state = .idle }
            throw error
        }
    }

    /// The local socket whose connections carry `target`: the tunnel's own for its own target, else a route added
    /// to the running tunnel (its own private directory), so that many targets share this one SSH session. A
    /// command route is checked as ``start()`` checks the tunnel's own command.
    /// - Throws: `.invalidArgument` before ``start()``; `.cancelled` after ``shutdown()``; the socket's errors; a
    ///   failing command's error.
    public func socketPath(carrying target: Target) async throws -> String {
        if target == self.target { return socketPath }
        if let path = routeSockets[target] { return path }
        guard state == .running, let pump else {
            if state == .stopped { throw closedError() }
            throw HomelabError(
                .invalidArgument, "the SSH tunnel to \(configuration.target) carries other targets only once started",
                component: "ssh")
        }
        if case .command(let command) = target { try await checkRemoteCommand(command) }
        routeCount += 1
        let listener = try UnixSocketListener.open(directory: directory + "-\(routeCount)", name: Self.socketName(for: target))
        let route = SSHTunnelPump.Route(listener: listener, target: target)
        pump.nudge()
        let added = (try? await session.handle.perform { _ in pump.add(route) }) ?? false
        guard added else {
            listener.remove()
            throw closedError()
        }
        routeSockets[target] = listener.path
        logger.debug("ssh tunnel carries another target", metadata: ["ssh.carries": "\(target)", "ssh.socket": "\(listener.path)"])
        return listener.path
    }

    private func closedError() -> HomelabError {
        HomelabError(.cancelled, "the SSH tunnel to \(configuration.target) was shut down", component: "ssh")
    }

    /// Stops accepting, closes every channel and the SSH session, and removes the socket and its directory.
    /// Requests in flight through the tunnel fail. Later calls do nothing.
    public func shutdown() async {
        guard state != .stopped else { return }
        state = .stopped
        pump?.stop()
        await driver?.value
        await session.close()
        logger.debug("ssh tunnel shut down")
    }

    /// Runs the command with its input closed and throws when it fails. One still running after the wait has
    /// started, which is all this checks.
    private func checkRemoteCommand(_ remoteCommand: String) async throws {
        let wait = min(configuration.connectTimeout, .seconds(5))
        let result: SSHCommandResult
        do {
            result = try await session.run(remoteCommand, stdin: nil, timeout: wait)
        } catch let error as HomelabError where error.code == .timedOut {
            return
        }
        guard !result.succeeded else { return }
        throw Self.commandFailure(
            command: remoteCommand, target: configuration.target, exitStatus: result.exitStatus,
            exitSignal: result.exitSignal, stderr: result.stderr)
    }

    /// The error for a tunnel command that failed: its exit, the end of its stderr and a hint.
    static func commandFailure(
        command: String, target: String, exitStatus: Int32?, exitSignal: String?, stderr: [UInt8]
    ) -> HomelabError {
        let redacted = Redaction.redactText(command)
        let how: String
        switch (exitStatus, exitSignal) {
        case (127?, _): how = "could not be started: exit status 127, command not found"
        case (126?, _): how = "could not be started: exit status 126, not executable"
        case (let status?, _): how = "exited with status \(status)"
        case (nil, let signal?): how = "was killed by signal \(signal)"
        default: how = "ended without output"
        }
        let tail = String(String(decoding: stderr, as: UTF8.self).suffix(500)).trimmingSSHWhitespace()
        var hint = ""
        if exitStatus == 127, redacted.hasPrefix("docker") {
            hint = "; is the docker CLI installed on \(target) and on the PATH of a non-interactive login?"
        } else if tail.lowercased().contains("permission denied"), redacted.hasPrefix("docker") {
            hint = "; may that user use the docker socket (docker group)?"
        }
        return HomelabError(
            .connectionFailed, "the tunnel command '\(redacted)' on \(target) \(how)\(hint)", component: "ssh",
            request: HomelabError.Request(method: "ssh exec", redactedPath: redacted),
            serverMessage: tail.isEmpty ? nil : tail)
    }
}

/// The tunnel's first name, from when it carried only docker's `dial-stdio`.
public typealias SSHDockerTunnel = SSHTunnel
