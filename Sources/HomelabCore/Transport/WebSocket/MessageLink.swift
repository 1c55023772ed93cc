/// An open connection carrying whole text messages both ways: a ``WebSocketConnection``, or an in-memory fake in tests.
public protocol MessageLink: Sendable {
    /// Messages from the server, in order. Finishes when the link is closed by us; throws a ``HomelabError`` when the
    /// server closes it or the connection is lost.
    var messages: AsyncThrowingStream<String, any Error> { get }
    /// Sends one text message.
    /// - Throws: ``HomelabError/Code/connectionFailed`` when the link is closed or the write fails.
    func send(_ text: String) async throws
    /// Closes the link (a WebSocket close handshake) and waits until it is closed. Never throws.
    func close() async
}

/// Settings of a WebSocket connection beyond its ``Endpoint``.
public struct WebSocketOptions: Sendable, Hashable {
    /// How long the TCP connect, TLS handshake and HTTP upgrade may take together.
    public var connectTimeout: Duration
    /// The largest message accepted or sent, in bytes (TrueNAS allows 64 KiB after login, 2 MiB for file methods).
    public var maxMessageSize: Int
    /// Send a WebSocket ping this often and close the connection when the pong has not come by the next one;
    /// nil for no pings.
    public var pingInterval: Duration?
    /// How long to wait for the server's answer to our close frame.
    public var closeTimeout: Duration
    /// Extra headers for the upgrade request. Their values are never logged.
    public var headers: [String: String]

    /// Options with the defaults: 10 s connect timeout, 16 MiB messages, a ping every 30 s, 5 s close timeout.
    public init(
        connectTimeout: Duration = .seconds(10), maxMessageSize: Int = 16 << 20, pingInterval: Duration? = .seconds(30),
        closeTimeout: Duration = .seconds(5), headers: [String: String] = [:]
    ) {
        self.connectTimeout = connectTimeout
        self.maxMessageSize = maxMessageSize
        self.pingInterval = pingInterval
        self.closeTimeout = closeTimeout
        self.headers = headers
    }
}
