import Logging

/// An SSH connection to one server that runs commands, built on libssh.
///
/// The actor owns one libssh session; libssh sessions are not thread-safe, so every libssh call runs on the
/// session's own serial Dispatch queue, never on Swift's cooperative thread pool. Calls made while a command
/// runs wait their turn. Host keys are checked against ``SSHConfiguration/knownHostsFile`` before
/// authenticating. Nothing is read from `~/.ssh/config` or the process environment (except `SSH_AUTH_SOCK`
/// for ``SSHConfiguration/Authentication/agent(socketPath:)`` with a `nil` path).
public actor SSHSession {
    /// Where and how this session connects.
    public let configuration: SSHConfiguration
    private let logger: Logger
    /// The libssh session and its queue; transports built on this session (``SSHDockerTunnel``) work through it.
    let handle: LibSSHHandle
    /// Whether ``close()`` was called.
    public private(set) var isClosed = false
    /// The server's host-key fingerprint (`SHA256:...`, as `ssh-keygen -lf` prints it) once a key exchange
    /// happened; also set when the key was then refused.
    public private(set) var serverFingerprint: String?

    /// A session that connects on ``connect()`` (or on the first ``run(_:stdin:timeout:)``).
    /// Log lines carry `ssh.target` (`user@host:port`); no secret is ever logged.
    public init(configuration: SSHConfiguration, logger: Logger) {
        var logger = logger
        logger[metadataKey: "ssh.target"] = "\(configuration.target)"
        self.configuration = configuration
        self.logger = logger
        self.handle = LibSSHHandle(configuration: configuration, logger: logger)
    }

    deinit { handle.shutdown() }

    /// Connects, verifies the host key and authenticates; does nothing when already connected.
    ///
    /// Takes at most ``SSHConfiguration/connectTimeout`` per step (TCP + key exchange, authentication).
    /// Cancelling the calling task stops the TCP connect and key exchange within about 20 ms; authentication,
    /// once started, runs to its end or its timeout.
    /// - Throws: ``HomelabError`` with `.invalidConfiguration`, `.connectionFailed`, `.timedOut`,
    ///   `.hostKeyMismatch`, `.hostKeyUnknown`, `.authenticationFailed` or `.cancelled` (component `ssh`).
    public func connect() async throws {
        if isClosed { throw handle.closedError() }
        try configuration.validate()
        if Task.isCancelled {
            throw HomelabError(.cancelled, "connecting to \(configuration.target) was cancelled", component: "ssh")
        }
        let abort = SSHAbortFlag()
        do {
            let key = try await withTaskCancellationHandler {
                try await handle.perform { try $0.connectIfNeeded(abort: abort) }
            } onCancel: {
                abort.raise()
            }
            serverFingerprint = key.fingerprint
        } catch {
            if let key = try? await handle.perform({ $0.presentedKey }) { serverFingerprint = key.fingerprint }
            throw error
        }
    }

    /// Runs `command` (a shell command line) on the server and returns its output and exit status.
    ///
    /// Connects first when needed. A non-zero exit status is returned, not thrown (see
    /// ``SSHCommandResult/requireSuccess()``). The timeout (default ``SSHConfiguration/commandTimeout``) counts
    /// from when the command is submitted, including any wait behind another command on this session.
    /// When it passes, or the calling task is cancelled, the server is asked to send TERM to the command and its
    /// channel is closed; the session stays usable.
    /// - Parameters:
    ///   - stdin: bytes for the command's standard input; it is closed after them (or at once when `nil`).
    /// - Throws: ``HomelabError`` with `.timedOut`, `.cancelled`, `.connectionFailed`, or any error of
    ///   ``connect()``; the error's request is `ssh exec <command>` with registered secrets redacted.
    public func run(_ command: String, stdin: [UInt8]? = nil, timeout: Duration? = nil) async throws
        -> SSHCommandResult
    {
        let errorRequest = HomelabError.Request(method: "ssh exec", redactedPath: Redaction.redactText(command))
        let limit = timeout ?? configuration.commandTimeout
        guard limit > .zero else {
            throw HomelabError(
                .invalidArgument, "the command timeout must be positive", component: "ssh", request: errorRequest)
        }
        if isClosed { throw handle.closedError(request: errorRequest) }
        try await connect()
        let request = SSHCommandRequest(
            command: command, stdin: stdin ?? [], timeout: limit, deadline: ContinuousClock.now + limit,
            errorRequest: errorRequest)
        let abort = SSHAbortFlag()
        if Task.isCancelled { abort.raise() }
        do {
            let result = try await withTaskCancellationHandler {
                try await handle.perform { try $0.execute(request, abort: abort) }
            } onCancel: {
                abort.raise()
            }
            logger.debug(
                "ssh command finished",
                metadata: [
                    "ssh.command": "\(errorRequest.path)",
                    "ssh.exitStatus": "\(result.exitStatus.map(String.init) ?? result.exitSignal ?? "none")",
                    "ssh.stdoutBytes": "\(result.stdout.count)", "ssh.stderrBytes": "\(result.stderr.count)",
                    "ssh.ms": "\(LibSSHHandle.milliseconds(result.duration))",
                ])
            return result
        } catch {
            logger.debug("ssh command failed", metadata: ["ssh.command": "\(errorRequest.path)", "error": "\(error)"])
            throw error
        }
    }

    /// Closes the connection and returns once it is closed. A running command is stopped (it fails with
    /// `.cancelled`); later calls fail too.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        await handle.shutdownAndWait()
        logger.debug("ssh session closed")
    }

    /// Runs `body` with a freshly opened session channel on the session's queue, and closes the channel after.
    ///
    /// The primitive later channel kinds (an exec'd byte stream such as `docker system dial-stdio`) build on.
    func withChannel<T: Sendable>(
        timeout: Duration, _ body: @escaping @Sendable (SSHChannel) throws -> T
    ) async throws -> T {
        try await connect()
        return try await handle.perform { try $0.withChannel(timeout: timeout, body) }
    }
}
