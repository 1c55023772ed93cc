import Hummingbird
import HummingbirdWebSocket
import Logging

/// The request context of every simulated API: Hummingbird's core storage, a way to drop the connection
/// (fault injection), and the Engine API version the path asked for.
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Closes the client's connection without an answer.
    let dropConnection: @Sendable () -> Void
    /// The API version of a versioned path (`/v1.44/...`), once the version middleware has read it.
    var apiVersion: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let channel = source.channel
        dropConnection = { channel.close(promise: nil) }
        apiVersion = nil
    }
}

/// The context of a WebSocket upgrade request: what HummingbirdWebSocket needs, and a way to drop the
/// connection (fault injection).
struct SimulatorWebSocketContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    /// Closes the client's connection without an answer.
    let dropConnection: @Sendable () -> Void

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        let channel = source.channel
        dropConnection = { channel.close(promise: nil) }
    }
}
