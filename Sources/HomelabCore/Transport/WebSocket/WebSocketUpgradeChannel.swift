import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOWebSocket
import WSClient
@_spi(WSInternal) import WSCore

/// One WebSocket client connection's pipeline for swift-websocket's `ClientConnection`: our TLS handler (whose
/// verification callback checks the certificate and pins during the handshake), the HTTP/1.1 upgrade, then
/// swift-websocket's frame handling (fragments, ping/pong, close handshake, auto-ping) around `handler`.
///
/// swift-websocket's own `WebSocketClient` builds its TLS handler from a `TLSConfiguration` only, which cannot carry
/// a verification callback; this channel is its `WebSocketClientChannel` with that one difference.
struct WebSocketUpgradeChannel: ClientConnectionChannel {
    enum Upgrade: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case refused
    }

    typealias Value = EventLoopFuture<Upgrade>
    typealias Result = WebSocketCloseFrame?

    struct Context: WebSocketContext {
        let logger: Logger
    }

    /// The request target (path and query).
    let target: String
    /// The `Host` header value.
    let hostHeader: String
    /// The `Origin` header value.
    let origin: String
    let extraHeaders: [(name: String, value: String)]
    let tls: WebSocketTLS?
    let maxMessageSize: Int
    let autoPing: AutoPingSetup
    let closeTimeout: Duration
    /// Where the server's certificate is left once the upgrade succeeds (for channel binding).
    let serverCertificate: ServerCertificateRecord?
    let handler: WebSocketDataHandler<Context>

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(
                maxFrameSize: maxMessageSize,
                upgradePipelineHandler: { [serverCertificate] channel, _ in
                    channel.eventLoop.makeCompletedFuture { () throws -> Upgrade in
                        if let serverCertificate, let certificate = try? channel.pipeline.syncOperations.nioSSL_peerCertificate() {
                            serverCertificate.record((try? certificate.toDERBytes()) ?? [])
                        }
                        return .websocket(try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel))
                    }
                })
            var headers = NIOHTTP1.HTTPHeaders()
            headers.replaceOrAdd(name: "Host", value: hostHeader)
            headers.replaceOrAdd(name: "Origin", value: origin)
            for header in extraHeaders { headers.add(name: header.name, value: header.value) }
            let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: headers)
            let upgradeConfiguration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
                upgradeRequestHead: head, upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(.refused) })
            var pipeline = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: upgradeConfiguration)
            pipeline.leftOverBytesStrategy = .forwardBytes
            if let tls {
                try channel.pipeline.syncOperations.addHandler(try tls.makeHandler(), position: .first)
            }
            return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: pipeline)
        }
    }

    func handle(value: Value, logger: Logger) async throws -> WebSocketCloseFrame? {
        switch try await value.get() {
        case .websocket(let channel):
            return try await WebSocketHandler.handle(
                type: .client,
                configuration: .init(
                    extensions: [], autoPing: autoPing, closeTimeout: closeTimeout, validateUTF8: true,
                    maxFrameSize: maxMessageSize),
                asyncChannel: channel, context: Context(logger: logger), handler: handler)
        case .refused:
            throw WebSocketUpgradeRefused()
        }
    }
}

/// The server's leaf certificate (DER) of one TLS connection, recorded on the event loop when the upgrade succeeds.
final class ServerCertificateRecord: Sendable {
    private let der = Locked<[UInt8]?>(nil)
    func record(_ bytes: [UInt8]) { der.withLock { $0 = bytes.isEmpty ? nil : bytes } }
    var value: [UInt8]? { der.withLock { $0 } }
}

/// The server answered the upgrade request with something other than `101 Switching Protocols`.
struct WebSocketUpgradeRefused: Error, Sendable, CustomStringConvertible {
    var description: String { "the server did not switch to the WebSocket protocol" }
}
