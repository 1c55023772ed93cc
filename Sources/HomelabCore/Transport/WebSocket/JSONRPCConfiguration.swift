/// Settings of a ``JSONRPCClient``.
public struct JSONRPCConfiguration: Sendable, Hashable {
    /// How long a call may wait for its answer, including waiting for a (re)connection; nil for no limit.
    /// TrueNAS's own client waits 60 s.
    public var callTimeout: Duration?
    /// When to reconnect and how often to log in.
    public var reconnect: JSONRPCReconnectPolicy
    /// A call made periodically to prove the session alive; nil for none (WebSocket pings still run).
    public var keepalive: JSONRPCKeepalive?

    /// A configuration; by default 60 s call timeout, the default reconnect policy, no keepalive call.
    public init(
        callTimeout: Duration? = .seconds(60), reconnect: JSONRPCReconnectPolicy = JSONRPCReconnectPolicy(),
        keepalive: JSONRPCKeepalive? = nil
    ) {
        self.callTimeout = callTimeout
        self.reconnect = reconnect
        self.keepalive = keepalive
    }
}

/// A periodic call that proves the session alive (TrueNAS: `core.ping`, answered `"pong"`). When it gets no answer
/// within ``timeout`` the connection is dropped and the client reconnects. An error answer counts as alive.
public struct JSONRPCKeepalive: Sendable, Hashable {
    /// The method called.
    public var method: String
    /// Its params.
    public var params: JSONValue?
    /// The time between calls.
    public var interval: Duration
    /// How long the answer may take.
    public var timeout: Duration

    /// A keepalive; by default every 30 s with a 10 s timeout.
    public init(method: String, params: JSONValue? = nil, interval: Duration = .seconds(30), timeout: Duration = .seconds(10)) {
        self.method = method
        self.params = params
        self.interval = interval
        self.timeout = timeout
    }
}
