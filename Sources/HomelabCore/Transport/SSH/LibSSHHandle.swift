import CLibSSH
import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owns one libssh session and the serial queue every libssh call for it runs on.
///
/// libssh sessions are not thread-safe and their calls block. All work goes through ``perform(_:)``,
/// which runs it on `queue` (a Dispatch thread, never Swift's cooperative pool) and resumes the
/// awaiting task when it is done. Work submitted while other work runs waits its turn.
///
/// `@unchecked Sendable`: `session` and `fingerprint` are read and written only on `queue`, and in
/// `deinit`, when no work can be queued any more (queued work holds a strong reference).
final class LibSSHHandle: @unchecked Sendable {
    let configuration: SSHConfiguration
    let logger: Logger
    /// Raised by ``shutdown()``: running work stops at its next check and later work is refused.
    let closing = SSHAbortFlag()
    private let queue: DispatchQueue
    /// The libssh session while connected (or connecting). Queue-only.
    private(set) var session: OpaquePointer?
    /// The host key the server presented in the last key exchange. Queue-only.
    private(set) var presentedKey: SSHHostKey?
    /// Runs on the queue just before the session is disconnected and freed, so owners of channels that outlive
    /// one queued work item (``SSHTunnelPump``) free them first. Queue-only.
    var willRelease: (@Sendable () -> Void)?

    init(configuration: SSHConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.queue = DispatchQueue(label: "homelab.ssh.\(configuration.target)")
    }

    deinit { release() }

    /// Runs `work` on the session's queue and returns its result.
    func perform<T: Sendable>(_ work: @escaping @Sendable (LibSSHHandle) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work(self) })
            }
        }
    }

    /// Stops running work at its next check, refuses new work, and disconnects once the queue is free.
    func shutdown() {
        closing.raise()
        queue.async { self.release() }
    }

    /// ``shutdown()``, returning once the session is disconnected and freed: nothing of it runs afterwards (a
    /// process that exits right after must not have libssh using libcrypto while its exit handlers clean up).
    func shutdownAndWait() async {
        closing.raise()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.release()
                continuation.resume()
            }
        }
    }

    // MARK: Queue-only from here on.

    /// Connects, checks the host key and authenticates, unless already connected. Queue-only.
    /// - Returns: the server's host key.
    /// - Parameter abort: stops the handshake at its next step when raised (the calling task was cancelled).
    func connectIfNeeded(abort: SSHAbortFlag? = nil) throws -> SSHHostKey {
        if let session, ssh_is_connected(session) != 0, let presentedKey { return presentedKey }
        release()
        if closing.isRaised { throw closedError() }
        // libssh is opened on first use (CLibSSH's trampolines), not when the process starts.
        guard clibssh_load() == 0 else {
            throw HomelabError(
                .internalFailure,
                "libssh could not be loaded (\(String(cString: clibssh_load_error()))); install libssh-4 (apt-get install libssh-4)",
                component: "ssh")
        }
        guard let s = ssh_new() else {
            throw HomelabError(.internalFailure, "libssh could not allocate a session", component: "ssh")
        }
        session = s
        let started = ContinuousClock.now
        logger.debug("ssh connecting")
        do {
            try applyOptions(s)
            try handshake(s, abort: abort)
            enableKeepalive(s)
            let key = try serverHostKey(s)
            presentedKey = key
            try verifyHostKey(s, presented: key)
            try authenticate(s)
            logger.debug(
                "ssh connected",
                metadata: [
                    "ssh.fingerprint": "\(key.fingerprint)",
                    "ssh.ms": "\(Self.milliseconds(ContinuousClock.now - started))",
                ])
            return key
        } catch {
            release()
            logger.debug("ssh connect failed", metadata: ["error": "\(error)"])
            throw error
        }
    }

    /// Opens a session channel, hands it to `body`, and closes it afterwards, whatever happens. Queue-only.
    ///
    /// The primitive every channel use builds on: `run` execs a command on it; a byte stream
    /// (`docker system dial-stdio`) can exec and then pump it the same way.
    /// - Throws: ``HomelabError/Code/connectionFailed`` when not connected or the server refuses the channel.
    func withChannel<T>(timeout: Duration, _ body: (SSHChannel) throws -> T) throws -> T {
        if closing.isRaised { throw closedError() }
        guard let s = session, ssh_is_connected(s) != 0 else {
            throw HomelabError(
                .connectionFailed, "SSH session to \(configuration.target) is not connected", component: "ssh")
        }
        setSessionTimeout(min(timeout, configuration.connectTimeout))
        defer { setSessionTimeout(configuration.connectTimeout) }
        let channel = try SSHChannel.openSession(on: s, handle: self)
        defer { channel.close() }
        return try body(channel)
    }

    /// Disconnects and frees the libssh session, if any. Queue-only (or deinit).
    func release() {
        guard let s = session else { return }
        willRelease?()
        session = nil
        ssh_disconnect(s)
        ssh_free(s)
    }

    /// Sets the limit libssh applies to each blocking call on this session. Queue-only.
    func setSessionTimeout(_ limit: Duration) {
        guard let s = session else { return }
        // 0 s and 0 µs would mean "no limit" to libssh: keep at least 1 ms.
        let ms = max(1, Self.milliseconds(limit))
        var seconds = ms / 1000
        var microseconds = (ms % 1000) * 1000
        ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &seconds)
        ssh_options_set(s, SSH_OPTIONS_TIMEOUT_USEC, &microseconds)
    }

    /// libssh's last error message for this session, redacted. Queue-only.
    func errorText() -> String {
        guard let s = session, let text = ssh_get_error(UnsafeMutableRawPointer(s)) else { return "" }
        return Redaction.redactText(String(cString: text))
    }

    /// The error for work refused or stopped because ``shutdown()`` was called.
    func closedError(request: HomelabError.Request? = nil) -> HomelabError {
        HomelabError(
            .cancelled, "SSH session to \(configuration.target) was closed", component: "ssh", request: request)
    }

    private func applyOptions(_ s: OpaquePointer) throws {
        let c = configuration
        func set(_ option: ssh_options_e, _ value: String, _ name: String) throws {
            guard ssh_options_set(s, option, value) == SSH_OK else {
                throw HomelabError(
                    .invalidConfiguration, "libssh rejected the \(name) '\(value)' for \(c.target): \(errorText())",
                    component: "ssh")
            }
        }
        try set(SSH_OPTIONS_HOST, c.host, "host")
        try set(SSH_OPTIONS_USER, c.user, "user")
        var port = UInt32(c.port)
        ssh_options_set(s, SSH_OPTIONS_PORT, &port)
        // Never read ~/.ssh/config or /etc/ssh: the configuration says everything.
        var processConfig = false
        ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &processConfig)
        // Small protocol messages (channel open, exec, EOF) must not wait for Nagle + delayed ACK (~40 ms each).
        var noDelay: Int32 = 1
        ssh_options_set(s, SSH_OPTIONS_NODELAY, &noDelay)
        try set(SSH_OPTIONS_KNOWNHOSTS, c.knownHostsFile, "known_hosts file")
        try set(SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null", "global known_hosts file")
        if case .agent(let socket?) = c.authentication {
            try set(SSH_OPTIONS_IDENTITY_AGENT, socket, "ssh-agent socket")
        }
        setSessionTimeout(c.connectTimeout)
    }

    /// TCP keepalive on the session's socket (see ``SSHConfiguration/keepalive``); a failure only costs the probes.
    private func enableKeepalive(_ s: OpaquePointer) {
        guard let idle = configuration.keepalive else { return }
        let fd = ssh_get_fd(s)
        guard fd >= 0 else { return }
        func set(_ level: Int32, _ name: Int32, _ value: Int32) -> Bool {
            var value = value
            return setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0
        }
        let tcp = Int32(IPPROTO_TCP)
        let ok =
            set(SOL_SOCKET, SO_KEEPALIVE, 1)
            && set(tcp, TCP_KEEPIDLE, Int32(max(1, Self.milliseconds(idle) / 1000)))
            && set(tcp, TCP_KEEPINTVL, 10) && set(tcp, TCP_KEEPCNT, 3)
        if !ok { logger.debug("ssh could not enable TCP keepalive", metadata: ["errno": "\(errno)"]) }
    }

    /// TCP connect and key exchange, without blocking: libssh is driven in non-blocking mode and the socket
    /// polled in short slices, so cancellation (`abort`, ``shutdown()``) and the connect timeout are noticed
    /// within 20 ms even against a server that never speaks.
    private func handshake(_ s: OpaquePointer, abort: SSHAbortFlag?) throws {
        let started = ContinuousClock.now
        let deadline = started + configuration.connectTimeout
        ssh_set_blocking(s, 0)
        defer { ssh_set_blocking(s, 1) }
        while true {
            let rc = ssh_connect(s)
            if rc == SSH_OK { return }
            guard rc == SSH_AGAIN else { break }
            if abort?.isRaised == true || closing.isRaised {
                throw HomelabError(.cancelled, "connecting to \(configuration.target) was cancelled", component: "ssh")
            }
            if ContinuousClock.now >= deadline { break }
            let fd = ssh_get_fd(s)
            if fd >= 0 {
                var wait = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&wait, 1, 20)
            } else {
                usleep(20_000)
            }
        }
        let text = errorText()
        let elapsed = ContinuousClock.now - started
        if text.lowercased().contains("timeout") || text.lowercased().contains("timed out")
            || elapsed >= configuration.connectTimeout
        {
            throw HomelabError(
                .timedOut,
                "SSH connection to \(configuration.target) did not complete within "
                    + "\(configuration.connectTimeout.spoken) (connectTimeout)",
                component: "ssh", serverMessage: text)
        }
        throw HomelabError(
            .connectionFailed, "could not connect to SSH server \(configuration.target)", component: "ssh",
            serverMessage: text)
    }

    /// Whole milliseconds in `duration` (negative durations give 0).
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let total = seconds.multipliedReportingOverflow(by: 1000)
        if total.overflow { return Int(Int32.max) }
        return Int(min(total.partialValue + attoseconds / 1_000_000_000_000_000, Int64(Int32.max)))
    }
}

/// A one-way "stop now" signal for work running on a session's queue (task cancellation, close).
final class SSHAbortFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Asks the work to stop; safe from any thread.
    func raise() { raised.store(true, ordering: .relaxed) }

    /// Whether ``raise()`` was called.
    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
