import Logging

/// A JSON-RPC 2.0 client over one long-lived ``MessageLink`` (a ``WebSocketConnection`` for TrueNAS).
///
/// Calls run concurrently and are matched to answers by id; each has a timeout. Notifications and subscriptions are
/// `AsyncSequence`s. A lost connection fails the calls in flight (they are not resent: they may not be idempotent),
/// then the client reconnects with exponential backoff and jitter, runs the `authenticate` hook again and replays the
/// subscriptions. A hook failure that is not transient (a refused login) stops the client for good instead of
/// retrying, and logins are budgeted per window (see ``JSONRPCReconnectPolicy``) so a lock-out can never be reached.
/// Call ``close()`` when done: the client keeps its connection (and reconnects) until then.
public actor JSONRPCClient {
    /// Opens a new link; called for the first connection and for every reconnect.
    public typealias Connect = @Sendable () async throws -> any MessageLink
    /// Logs in on a fresh link before any other call is sent on it. Throw ``HomelabError/Code/unauthorized`` when the
    /// server refuses the credentials (TrueNAS's `auth.login_with_api_key` answers `false`): the client then stops.
    public typealias Authenticate = @Sendable (JSONRPCSession) async throws -> Void

    let connect: Connect
    let authenticate: Authenticate?
    /// The client's settings.
    public nonisolated let configuration: JSONRPCConfiguration
    /// The component named in errors (`truenas`).
    public nonisolated let component: String
    let logger: Logger?
    let elapsed: @Sendable () -> Duration
    let sleep: @Sendable (Duration) async throws -> Void
    let random: @Sendable () -> Double

    enum Phase {
        case idle
        case connecting
        case authenticating(Int)
        case ready(Int)
        case stopped(HomelabError, permanent: Bool)
        case closed
    }

    struct Pending {
        let method: String
        let text: String
        /// The generation of the link it was sent on, once sent.
        var sentOn: Int?
        /// For calls of the authenticate hook and the client itself: the only link they may go on.
        let session: Int?
        let continuation: CheckedContinuation<JSONValue, any Error>
        var timer: Task<Void, Never>?
    }

    struct Listener {
        let method: String?
        let matching: (@Sendable (JSONRPCNotification) -> Bool)?
        let continuation: AsyncThrowingStream<JSONRPCNotification, any Error>.Continuation
    }

    struct Subscription {
        let method: String
        let params: JSONValue?
        let unsubscribe: String?
        var lastResult: JSONValue?
    }

    var phase = Phase.idle
    var link: (any MessageLink)?
    var generation = 0
    var nextID: Int64 = 1
    var pending: [JSONRPCID: Pending] = [:]
    var listeners: [Int: Listener] = [:]
    var subscriptions: [Int: Subscription] = [:]
    var nextKey = 1
    var readyWaiters: [CheckedContinuation<Void, any Error>] = []
    var supervisor: Task<Void, Never>?
    var schedule: ReconnectSchedule

    /// A client that connects on ``open()`` or the first call.
    /// - Parameters:
    ///   - connect: opens a link, e.g. `{ try await WebSocketConnection.connect(to: endpoint, path: "/api/current", component: "truenas") }`.
    ///   - authenticate: run after every (re)connect before other calls; nil for none.
    ///   - clock: times backoff, login budget and call timeouts (a test clock in tests).
    ///   - random: uniform in 0..<1, for the backoff jitter.
    public init(
        component: String, configuration: JSONRPCConfiguration = JSONRPCConfiguration(),
        clock: any Clock<Duration> = ContinuousClock(), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger? = nil, connect: @escaping Connect, authenticate: Authenticate? = nil
    ) {
        self.component = component
        self.configuration = configuration
        self.connect = connect
        self.authenticate = authenticate
        self.logger = logger
        self.random = random
        self.schedule = ReconnectSchedule(policy: configuration.reconnect)
        (elapsed, sleep) = Self.timing(clock)
    }

    private static func timing<C: Clock<Duration>>(_ clock: C) -> (@Sendable () -> Duration, @Sendable (Duration) async throws -> Void) {
        let start = clock.now
        return ({ start.duration(to: clock.now) }, { try await clock.sleep(for: $0) })
    }

    /// Connects and logs in now, instead of on the first call.
    /// - Throws: the ``HomelabError`` that stopped the client (refused login, TLS failure, attempts used up).
    public func open() async throws {
        if case .ready = phase { return }
        try reviveOrThrow()
        startIfIdle()
        try await withCheckedThrowingContinuation { readyWaiters.append($0) }
    }

    /// Calls `method` and returns its result.
    /// - Parameter timeout: overrides ``JSONRPCConfiguration/callTimeout`` for this call.
    /// - Throws: ``HomelabError``: the server's error object as ``JSONRPCError`` underneath (code by TrueNAS errname or
    ///   JSON-RPC code), `.timedOut`, `.connectionFailed` when the connection was lost before the answer, `.cancelled`,
    ///   or the error that stopped the client. Never with the params.
    public func call(_ method: String, _ params: JSONValue? = nil, timeout: Duration? = nil) async throws -> JSONValue {
        try await perform(method, params, timeout: timeout ?? configuration.callTimeout, session: nil)
    }

    /// Sends a notification (a request without id: no answer comes).
    /// - Throws: ``HomelabError/Code/connectionFailed`` when there is no open link.
    public func notify(_ method: String, _ params: JSONValue? = nil) async throws {
        let text = try JSONRPCMessage.encodeRequest(id: nil, method: method, params: params)
        guard case .ready = phase, let link else {
            throw HomelabError(.connectionFailed, "not connected: \(method) was not sent", component: component)
        }
        try await link.send(text)
    }

    // MARK: - Calls

    func perform(_ method: String, _ params: JSONValue?, timeout: Duration?, session: Int?) async throws -> JSONValue {
        if session == nil {
            try reviveOrThrow()
            startIfIdle()
        }
        let id = JSONRPCID.number(nextID)
        nextID += 1
        let text = try JSONRPCMessage.encodeRequest(id: id, method: method, params: params)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                var entry = Pending(method: method, text: text, session: session, continuation: continuation)
                if let timeout {
                    let sleep = self.sleep
                    entry.timer = Task { [weak self] in
                        do { try await sleep(timeout) } catch { return }
                        await self?.expire(id, after: timeout)
                    }
                }
                pending[id] = entry
                logger?.trace("JSON-RPC call", metadata: ["method": "\(method)", "id": "\(id)"])
                dispatch(id)
            }
        } onCancel: {
            Task { await self.finish(id, .failure(HomelabError(.cancelled, "the call \(method) was cancelled", component: component))) }
        }
    }

    /// Sends a waiting call when its link is there.
    func dispatch(_ id: JSONRPCID) {
        guard var entry = pending[id], entry.sentOn == nil else { return }
        let target: Int
        if let session = entry.session {
            guard session == generation, link != nil else {
                finish(id, .failure(lostError(entry.method)))
                return
            }
            target = session
        } else {
            guard case .ready(let current) = phase else { return }
            target = current
        }
        guard let link else { return }
        entry.sentOn = target
        pending[id] = entry
        let text = entry.text
        Task {
            do {
                try await link.send(text)
            } catch {
                self.finish(id, .failure(error))
            }
        }
    }

    func finish(_ id: JSONRPCID, _ result: Result<JSONValue, any Error>) {
        guard let entry = pending.removeValue(forKey: id) else { return }
        entry.timer?.cancel()
        entry.continuation.resume(with: result)
    }

    private func expire(_ id: JSONRPCID, after timeout: Duration) {
        guard let method = pending[id]?.method else { return }
        finish(id, .failure(HomelabError(.timedOut, "no answer to \(method) within \(timeout.spoken)", component: component)))
    }

    func lostError(_ method: String) -> HomelabError {
        HomelabError(.connectionFailed, "the connection was lost before the answer to \(method) came", component: component)
    }

    /// One message from link `source`.
    func receive(_ text: String, from source: Int) {
        guard source == generation else { return }
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.decode(text)
        } catch {
            logger?.warning("ignored a message that is not JSON-RPC", metadata: ["bytes": "\(text.utf8.count)", "error": "\(error)"])
            return
        }
        switch message {
        case .result(let id, let value):
            finish(id, .success(value))
        case .error(let id?, let error):
            guard let method = pending[id]?.method else { return }
            finish(id, .failure(error.homelabError(method: method, component: component)))
        case .error(nil, let error):
            logger?.warning("the server reported an error about the connection", metadata: ["error": "\(error)"])
        case .notification(let notification):
            for listener in listeners.values
            where (listener.method == nil || listener.method == notification.method)
                && (listener.matching?(notification) ?? true)
            {
                listener.continuation.yield(notification)
            }
        case .request(_, let method):
            logger?.debug("ignored a request from the server", metadata: ["method": "\(method)"])
        }
    }
}
