import Logging

extension JSONRPCClient {
    /// Closes the client: calls in flight fail with ``HomelabError/Code/cancelled``, notification sequences finish,
    /// the link is closed. A closed client stays closed.
    public func close() async {
        if case .closed = phase { return }
        phase = .closed
        supervisor?.cancel()
        failAll(HomelabError(.cancelled, "the JSON-RPC client was closed", component: component), finishListeners: nil)
        let open = link
        link = nil
        await open?.close()
    }

    /// Whether the client has logged in and sends calls now.
    public var isReady: Bool {
        if case .ready = phase { return true }
        return false
    }

    /// Throws when the client can never connect again; wakes a client that gave up on an unreachable server.
    func reviveOrThrow() throws {
        switch phase {
        case .closed:
            throw HomelabError(.cancelled, "the JSON-RPC client is closed", component: component)
        case .stopped(let error, let permanent):
            if permanent { throw error }
            phase = .idle
            schedule.connected()
        default:
            break
        }
    }

    func startIfIdle() {
        guard case .idle = phase else { return }
        phase = .connecting
        supervisor = Task { await self.supervise() }
    }

    private var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    private func isAlive(_ source: Int) -> Bool { source == generation && link != nil }

    /// Connects, logs in, replays subscriptions, serves until the link is lost; again, until stopped or closed.
    private func supervise() async {
        while !isClosed {
            phase = .connecting
            let opened: any MessageLink
            do {
                opened = try await connect()
            } catch {
                if isClosed { return }
                let failure = homelab(error)
                if [.tlsFailure, .invalidConfiguration, .unauthorized, .authenticationFailed].contains(failure.code) {
                    stop(failure, permanent: true)
                    return
                }
                logger?.warning("JSON-RPC connect failed", metadata: ["component": "\(component)", "error": "\(failure)"])
                guard await backOff(after: failure) else { return }
                continue
            }
            if isClosed {
                await opened.close()
                return
            }
            generation += 1
            let current = generation
            link = opened
            let reader = Task { await self.read(opened, generation: current) }
            if let authenticate {
                let wait = schedule.loginDelay(now: elapsed())
                if wait > .zero {
                    logger?.notice("waiting before logging in again (login budget)", metadata: ["seconds": "\(wait.spoken)"])
                    try? await sleep(wait)
                    if isClosed { return }
                }
                schedule.loginStarted(now: elapsed())
                phase = .authenticating(current)
                do {
                    try await authenticate(JSONRPCSession(client: self, generation: current))
                } catch {
                    let failure = homelab(error)
                    await opened.close()
                    await reader.value
                    if isClosed { return }
                    if !failure.isTransient {
                        stop(loginRefused(failure), permanent: true)
                        return
                    }
                    guard await backOff(after: failure) else { return }
                    continue
                }
            }
            await replaySubscriptions(on: current)
            guard isAlive(current), !isClosed else {
                await reader.value
                if isClosed { return }
                guard await backOff(after: lostError("the subscriptions")) else { return }
                continue
            }
            phase = .ready(current)
            schedule.connected()
            logger?.debug("JSON-RPC session ready", metadata: ["component": "\(component)"])
            let waiters = readyWaiters
            readyWaiters = []
            for waiter in waiters { waiter.resume() }
            for id in pending.keys { dispatch(id) }
            let keepalive = configuration.keepalive.map { settings in Task { await self.keepalive(settings, on: current) } }
            await reader.value
            keepalive?.cancel()
            if isClosed { return }
            logger?.warning("JSON-RPC connection lost; reconnecting", metadata: ["component": "\(component)"])
            guard await backOff(after: HomelabError(.connectionFailed, "the connection was lost", component: component)) else { return }
        }
    }

    /// Waits before the next attempt; false (and the client stopped) when the attempts are used up or it was closed.
    private func backOff(after failure: HomelabError) async -> Bool {
        phase = .connecting
        guard let delay = schedule.failed(random: random()) else {
            let attempts = configuration.reconnect.maximumAttempts ?? 0
            stop(
                HomelabError(
                    .connectionFailed, "could not connect after \(attempts) attempt(s); giving up until the next call",
                    component: component, underlying: failure),
                permanent: false)
            return false
        }
        logger?.info("reconnecting", metadata: ["component": "\(component)", "in": "\(delay.spoken)"])
        do {
            try await sleep(delay)
        } catch {
            return false
        }
        return !isClosed
    }

    private func loginRefused(_ failure: HomelabError) -> HomelabError {
        let rejected = [.unauthorized, .authenticationFailed].contains(failure.code)
        return HomelabError(
            rejected ? .unauthorized : failure.code,
            (rejected ? "the server refused the login" : "logging in failed")
                + "; the client stops instead of retrying (TrueNAS locks a client out after 20 failed logins in 60 s)",
            component: component, underlying: failure)
    }

    private func read(_ source: any MessageLink, generation current: Int) async {
        var failure: (any Error)?
        do {
            for try await text in source.messages { receive(text, from: current) }
        } catch {
            failure = error
        }
        linkLost(current, failure)
    }

    private func linkLost(_ lost: Int, _ failure: (any Error)?) {
        guard lost == generation, link != nil else { return }
        link = nil
        if let failure { logger?.debug("JSON-RPC link ended", metadata: ["error": "\(failure)"]) }
        for (id, entry) in pending where entry.sentOn == lost || entry.session == lost {
            finish(id, .failure(lostError(entry.method)))
        }
    }

    /// Fails every call and waiter; finishes the notification sequences (throwing `finishListeners` if given).
    private func failAll(_ error: HomelabError, finishListeners: HomelabError?) {
        for id in pending.keys { finish(id, .failure(error)) }
        let waiters = readyWaiters
        readyWaiters = []
        for waiter in waiters { waiter.resume(throwing: error) }
        let ending = listeners.values
        listeners = [:]
        subscriptions = [:]
        for listener in ending { listener.continuation.finish(throwing: finishListeners) }
    }

    private func stop(_ error: HomelabError, permanent: Bool) {
        phase = .stopped(error, permanent: permanent)
        logger?.error("JSON-RPC client stopped", metadata: ["component": "\(component)", "error": "\(error)"])
        let open = link
        link = nil
        failAll(error, finishListeners: error)
        if let open { Task { await open.close() } }
    }

    private func keepalive(_ settings: JSONRPCKeepalive, on current: Int) async {
        while !Task.isCancelled {
            do { try await sleep(settings.interval) } catch { return }
            guard isAlive(current) else { return }
            do {
                _ = try await perform(settings.method, settings.params, timeout: settings.timeout, session: current)
            } catch let error as HomelabError where error.underlying is JSONRPCError {
                continue  // an error answer is still an answer
            } catch {
                guard isAlive(current), let open = link else { return }
                logger?.warning("keepalive got no answer; dropping the connection", metadata: ["error": "\(error)"])
                await open.close()
                return
            }
        }
    }

    func homelab(_ error: any Error) -> HomelabError {
        if let error = error as? HomelabError { return error }
        return HomelabError(.connectionFailed, "the connection failed", component: component, underlying: WebSocketDetail("\(error)"))
    }
}
