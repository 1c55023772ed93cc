import Foundation
import HomelabCore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOSSL

/// One HTTP server of the simulation, listening on 127.0.0.1 or a unix socket until stopped, over TLS when
/// given a configuration, upgrading WebSocket routes when given some.
final class Listener: Sendable {
    /// Where it listens.
    enum Address: Sendable, Hashable, CustomStringConvertible {
        /// 127.0.0.1 on `port` (0: an ephemeral port).
        case loopback(port: Int)
        /// A unix domain socket at `path` (a stale socket file there is replaced).
        case unixSocket(path: String)

        var description: String {
            switch self {
            case .loopback(let port): return "127.0.0.1:\(port)"
            case .unixSocket(let path): return "unix://\(path)"
            }
        }
    }

    /// The port it listens on (loopback addresses), known once it is up.
    let port: Int?
    private let task: Task<Void, any Error>

    private init(port: Int?, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    /// Starts serving `responder` (and `webSocketRoutes`, over `tls` when given) and returns once the socket
    /// is listening.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the address cannot be bound (port in use,
    ///   socket path not writable or too long) or the TLS configuration is refused.
    static func start<Responder: HTTPResponder>(
        _ responder: Responder, at address: Address, name: String, logger: Logger, tls: TLSConfiguration? = nil,
        webSocketRoutes: [WebSocketRoute] = [], webSocketGate: FaultMiddleware? = nil
    ) async throws -> Listener where Responder.Context == SimulatorRequestContext {
        let bind: BindAddress
        switch address {
        case .loopback(let port): bind = .hostname("127.0.0.1", port: port)
        case .unixSocket(let path):
            guard path.utf8.count < 104 else {
                throw HomelabError(
                    .invalidConfiguration, "unix socket path \(Redaction.redactText(path)) is too long (at most 103 bytes)",
                    component: "simulator")
            }
            try? FileManager.default.removeItem(atPath: path)
            bind = .unixDomainSocket(path: path)
        }
        let server: HTTPServerBuilder
        do {
            server = try serverBuilder(tls: tls, webSocketRoutes: webSocketRoutes, gate: webSocketGate)
        } catch {
            throw HomelabError(.invalidConfiguration, "cannot serve TLS on \(address) for \(name): \(error)", component: "simulator")
        }
        let signal = StartSignal()
        let application = Application(
            responder: responder, server: server, configuration: ApplicationConfiguration(address: bind, serverName: nil),
            onServerRunning: { channel in signal.finish(.success(channel.localAddress?.port)) },
            logger: logger)
        let task = Task {
            do {
                try await application.run()
                signal.finish(.failure(HomelabError(.internalFailure, "the \(name) server stopped before listening", component: "simulator")))
            } catch {
                signal.finish(.failure(error))
                throw error
            }
        }
        do {
            let port = try await signal.wait()
            return Listener(port: port, task: task)
        } catch {
            task.cancel()
            throw HomelabError(
                .invalidConfiguration, "cannot listen on \(address) for \(name): \(error)", component: "simulator")
        }
    }

    /// HTTP/1.1, with a WebSocket upgrade for `webSocketRoutes` when there are any (each upgrade decided by the
    /// fault `gate`), wrapped in TLS when asked.
    private static func serverBuilder(
        tls: TLSConfiguration?, webSocketRoutes: [WebSocketRoute], gate: FaultMiddleware?
    ) throws -> HTTPServerBuilder {
        var server = HTTPServerBuilder.http1()
        if !webSocketRoutes.isEmpty {
            let router = Router(context: SimulatorWebSocketContext.self)
            for route in webSocketRoutes {
                router.ws(
                    RouterPath(route.path),
                    shouldUpgrade: { request, context in try await gate?.shouldUpgrade(request, context) ?? .upgrade([:]) },
                    onUpgrade: route.handler)
            }
            server = .http1WebSocketUpgrade(webSocketRouter: router)
        }
        if let tls { server = try .tls(server, tlsConfiguration: tls) }
        return server
    }

    /// Stops listening and waits until the server has shut down.
    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// A one-shot hand-over of "listening on port N" (or the failure) from the server task to its starter.
private final class StartSignal: Sendable {
    private let state = Locked<(result: Result<Int?, any Error>?, waiter: CheckedContinuation<Int?, any Error>?)>((nil, nil))

    func finish(_ result: Result<Int?, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Int?, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(with: result)
    }

    func wait() async throws -> Int? {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Int?, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
