import CLibSSH
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Carries every connection accepted on the tunnel's sockets over its own channel of one SSH session. Each socket
/// is a route with its own target: an exec channel running a command, or a `direct-tcpip` channel to a host and
/// port. Routes can be added while the pump runs (``add(_:)``, on the session's queue).
///
/// Everything runs on the session's queue, one round at a time: wait in `poll()` on the wake pipe, the
/// listener, the SSH socket and the local sockets; let libssh read what arrived (`ssh_event_dopoll`, which
/// answers the server's own messages as well); accept and open channels; then move bytes on every link without
/// blocking. Between rounds the queue is free for other work on the session.
///
/// `@unchecked Sendable`: the mutable state is touched only on the session's queue (inside rounds, the
/// release hook and ``finish()``); ``stop()`` only raises an atomic flag and writes to the wake pipe.
final class SSHTunnelPump: @unchecked Sendable {
    let handle: LibSSHHandle
    /// A local socket and what its connections' channels carry.
    struct Route: Sendable {
        let listener: UnixSocketListener
        let target: SSHTunnel.Target
    }

    let maxChannels: Int
    let counters: SSHTunnelCounters
    let logger: Logger
    private let wake: WakePipe
    private let stopping = Atomic<Bool>(false)
    /// How long an idle round waits in `poll()`; any event ends the wait earlier.
    private static let idleWaitMilliseconds: Int32 = 1000
    private static let busyWaitMilliseconds: Int32 = 250
    /// How often a round runs while a finished link waits for its command's exit status, and for how long.
    private static let lingerWaitMilliseconds: Int32 = 20
    private static let exitReportWait: Duration = .seconds(1)

    // Queue-only.
    private var links: [SSHTunnelLink] = []
    private var routes: [Route]
    private var finished = false
    private var event: OpaquePointer?
    private var attached: OpaquePointer?
    private var nextID = 0

    init(
        handle: LibSSHHandle, route: Route, maxChannels: Int,
        counters: SSHTunnelCounters, logger: Logger
    ) throws {
        self.handle = handle
        self.routes = [route]
        self.maxChannels = maxChannels
        self.counters = counters
        self.logger = logger
        self.wake = try WakePipe()
    }

    /// Starts accepting on another route and returns true, or returns false when the pump has finished (the
    /// caller then removes the listener). Queue-only (call it inside ``LibSSHHandle/perform(_:)``); the next round
    /// polls it.
    func add(_ route: Route) -> Bool {
        guard !finished else { return false }
        routes.append(route)
        return true
    }

    /// Makes a round that waits in `poll()` end now, so that work queued for the session runs; safe from any thread.
    func nudge() { wake.wake() }

    /// Asks the running loop to end; safe from any thread.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        wake.wake()
    }

    /// Runs rounds on the session's queue until stopped or the session is shut down, then closes every link,
    /// the listener (removing the socket file and its directory) and the libssh event.
    func run() async {
        do {
            try await handle.perform { [self] _ in
                handle.willRelease = { [weak self] in self?.sessionWillEnd() }
            }
            while !stopping.load(ordering: .relaxed) {
                try await handle.perform { [self] _ in round() }
            }
        } catch {
            logger.error("ssh tunnel stopped", metadata: ["error": "\(error)"])
        }
        _ = try? await handle.perform { [self] _ in finish() }
    }

    // MARK: Queue-only from here on.

    private func round() {
        if handle.closing.isRaised {
            stopping.store(true, ordering: .relaxed)
            return
        }
        attachIfNeeded()
        let sessionSocket: Int32 = attached.map { ssh_get_fd($0) } ?? -1
        let accepting = links.count < maxChannels
        var fds = [
            pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0),
            pollfd(fd: sessionSocket, events: Int16(POLLIN), revents: 0),
        ]
        fds.append(contentsOf: routes.map { pollfd(fd: accepting ? $0.listener.descriptor : -1, events: Int16(POLLIN), revents: 0) })
        fds.append(contentsOf: links.map(\.pollRequest))
        let timeout: Int32 =
            links.contains(where: \.canMoveNow)
            ? 0
            : links.isEmpty
                ? Self.idleWaitMilliseconds
                : links.contains(where: { $0.lingeringSince != nil }) ? Self.lingerWaitMilliseconds : Self.busyWaitMilliseconds
        _ = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeout) }
        if fds[0].revents != 0 { wake.drain() }
        if stopping.load(ordering: .relaxed) { return }
        if fds[1].revents != 0, let event { _ = ssh_event_dopoll(event, 0) }
        if let session = attached, ssh_is_connected(session) == 0 {
            closeLinks(reason: "the SSH connection to \(handle.configuration.target) was lost")
            detach()
        }
        for link in links { link.service() }
        retireFinishedLinks()
        for (index, route) in routes.enumerated() where fds[2 + index].revents != 0 {
            while links.count < maxChannels, let socket = route.listener.accept() { open(socket, route.target) }
        }
    }

    /// What errors about a channel to `target` name as their request.
    private func request(_ target: SSHTunnel.Target) -> HomelabError.Request {
        switch target {
        case .command(let command): return HomelabError.Request(method: "ssh exec", redactedPath: Redaction.redactText(command))
        case .forward(let host, let port): return HomelabError.Request(method: "ssh direct-tcpip", redactedPath: "\(host):\(port)")
        }
    }

    /// Opens a channel for a new local connection (reconnecting once when the session was lost) and starts a
    /// link, or closes the connection and records why.
    private func open(_ socket: Int32, _ target: SSHTunnel.Target) {
        counters.update { $0.connectionsAccepted += 1 }
        let request = self.request(target)
        do {
            let channel = try openChannel(target, request: request)
            nextID += 1
            links.append(SSHTunnelLink(id: nextID, socket: socket, channel: channel, target: target))
            counters.update {
                $0.channelsOpened += 1
                $0.openChannels += 1
            }
            logger.trace("ssh tunnel channel opened", metadata: ["ssh.link": "\(nextID)", "ssh.links": "\(links.count)"])
        } catch {
            close(socket)
            let failure = (error as? HomelabError) ?? HomelabError(
                .connectionFailed, "could not open a tunnel channel", component: "ssh", request: request)
            counters.update {
                $0.failedConnections += 1
                $0.lastFailure = failure
            }
            logger.warning("ssh tunnel could not carry a connection", metadata: ["error": "\(failure)"])
        }
    }

    /// A channel carrying the target on the session, reconnecting first when the session is gone. When the
    /// session cannot open a channel for another reason than the server saying no (a dead connection makes the
    /// open time out), it is dropped and one fresh connection is tried.
    private func openChannel(_ target: SSHTunnel.Target, request: HomelabError.Request) throws -> SSHChannel {
        var attempt = 0
        while true {
            attempt += 1
            if handle.session.map({ ssh_is_connected($0) == 0 }) ?? true {
                let started = ContinuousClock.now
                _ = try handle.connectIfNeeded()
                counters.update { $0.sshConnections += 1 }
                logger.info(
                    "ssh tunnel reconnected",
                    metadata: ["ssh.ms": "\(LibSSHHandle.milliseconds(ContinuousClock.now - started))"])
                attachIfNeeded()
            }
            guard let session = handle.session else {
                throw HomelabError(.connectionFailed, "SSH session is not connected", component: "ssh")
            }
            do {
                switch target {
                case .command(let command):
                    let channel = try SSHChannel.openSession(on: session, handle: handle)
                    do {
                        try channel.exec(command, request: request)
                    } catch {
                        channel.close()
                        throw error
                    }
                    return channel
                case .forward(let host, let port):
                    return try SSHChannel.openForward(on: session, handle: handle, host: host, port: port)
                }
            } catch {
                let refused = ssh_get_error_code(UnsafeMutableRawPointer(session)) == Int32(SSH_REQUEST_DENIED.rawValue)
                guard attempt == 1, !refused || ssh_is_connected(session) == 0 else { throw error }
                logger.info(
                    "ssh tunnel drops a session that could not open a channel", metadata: ["error": "\(error)"])
                handle.release()
            }
        }
    }

    /// Closes and forgets links that are done, logging commands that ended without a byte of output. A link
    /// that ended before the server reported its command's exit status lingers (local side closed) until the
    /// status arrives or ``exitReportWait`` passes, so the failure it records says how the command ended.
    private func retireFinishedLinks() {
        let now = ContinuousClock.now
        var kept: [SSHTunnelLink] = []
        for link in links {
            if link.isFinished {
                if case .command = link.target, link.awaitsExitReport, now - (link.lingeringSince ?? now) < Self.exitReportWait {
                    link.startLingering(at: now)
                    link.serviceLingering()
                    if link.awaitsExitReport {
                        kept.append(link)
                        continue
                    }
                }
                retire(link)
            } else {
                kept.append(link)
            }
        }
        links = kept
    }

    private func retire(_ link: SSHTunnelLink) {
        link.close()
        if let failure = link.failure {
            logger.debug("ssh tunnel link stopped", metadata: ["ssh.link": "\(link.id)", "reason": "\(failure)"])
        }
        if case .command(let command) = link.target, link.endedWithoutOutput {
            let failure = SSHTunnel.commandFailure(
                command: command, target: handle.configuration.target, exitStatus: link.channel.events.exitStatus,
                exitSignal: link.channel.events.exitSignal, stderr: link.stderrTail)
            counters.update {
                $0.failedConnections += 1
                $0.lastFailure = failure
            }
            logger.warning("ssh tunnel command ended without output", metadata: ["error": "\(failure)"])
        }
        counters.update {
            $0.openChannels -= 1
            $0.bytesToRemote += link.bytesToRemote
            $0.bytesFromRemote += link.bytesFromRemote
        }
        logger.trace("ssh tunnel channel closed", metadata: ["ssh.link": "\(link.id)"])
    }

    private func closeLinks(reason: String) {
        for link in links {
            link.fail(reason)
            retire(link)
        }
        links = []
    }

    /// The release hook: channels must be freed while their session still exists.
    private func sessionWillEnd() {
        closeLinks(reason: "the SSH session to \(handle.configuration.target) is closing")
        detach()
    }

    /// Puts the connected session into this pump's libssh event, so `ssh_event_dopoll` can read for it.
    private func attachIfNeeded() {
        guard let session = handle.session, ssh_is_connected(session) != 0, attached != session else { return }
        detach()
        if event == nil { event = ssh_event_new() }
        guard let event, ssh_event_add_session(event, session) == SSH_OK else {
            logger.debug("ssh tunnel could not add the session to a libssh event")
            return
        }
        attached = session
    }

    private func detach() {
        guard let session = attached, let event else { return }
        _ = ssh_event_remove_session(event, session)
        attached = nil
    }

    /// Closes every link, the listeners and the event; the last thing the pump does.
    private func finish() {
        closeLinks(reason: "the tunnel is shutting down")
        detach()
        if let event { ssh_event_free(event) }
        event = nil
        handle.willRelease = nil
        for route in routes { route.listener.remove() }
        routes = []
        finished = true
    }
}

/// Counters a tunnel and its pump share: written on the session's queue, read from anywhere.
final class SSHTunnelCounters: Sendable {
    private let value = Locked(SSHDockerTunnel.Statistics())

    func update(_ change: (inout SSHDockerTunnel.Statistics) -> Void) {
        value.withLock { change(&$0) }
    }

    var current: SSHDockerTunnel.Statistics { value.withLock { $0 } }
}
