import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import WSClient
import WSCore

/// A WebSocket client connection (swift-websocket's frame handling over SwiftNIO) carrying text messages.
///
/// TLS options mean what they mean for the curl transport; the certificate and pins are checked inside the TLS
/// handshake, before the upgrade request. Fragmented messages arrive whole; pings are answered; with
/// ``WebSocketOptions/pingInterval`` a silent server is detected and the connection closed.
/// Call ``close()`` when done: an open connection lives until it is closed by either side.
public final class WebSocketConnection: MessageLink {
    /// Messages from the server, in order (see ``MessageLink/messages``).
    public let messages: AsyncThrowingStream<String, any Error>
    private let continuation: AsyncThrowingStream<String, any Error>.Continuation
    private let address: WebSocketAddress
    private let component: String
    private let tls: WebSocketTLS?
    private let state = Locked(State())
    private let certificate = ServerCertificateRecord()

    /// The server's TLS certificate (DER), once connected over TLS; nil without TLS. TrueNAS's SCRAM login binds
    /// itself to it (`tls-server-end-point`), so a man in the middle with another certificate cannot relay it.
    public var serverCertificate: [UInt8]? { certificate.value }

    private struct State {
        var opening: CheckedContinuation<Void, any Error>?
        var writer: WebSocketOutboundWriter?
        var task: Task<Void, Never>?
        var connectTimer: Task<Void, Never>?
        var closing = false
        var ended = false
    }

    private static let warnedInsecure = Locked<Set<String>>([])

    /// Opens a WebSocket to `path` under `endpoint` (`wss://host/api` + `/current`, or a unix socket).
    /// - Throws: ``HomelabError``: `.invalidConfiguration` for a bad address or TLS options, `.tlsFailure` when the
    ///   certificate or a pin is refused, `.timedOut` after ``WebSocketOptions/connectTimeout``, `.connectionFailed`
    ///   otherwise (refused connection, no upgrade), `.cancelled` when the task is cancelled.
    public static func connect(
        to endpoint: Endpoint, path: String = "", options: WebSocketOptions = WebSocketOptions(), component: String,
        logger: Logger? = nil
    ) async throws -> WebSocketConnection {
        let address = try WebSocketAddress(endpoint: endpoint, path: path)
        var tls: WebSocketTLS?
        if address.usesTLS, let host = address.host {
            if endpoint.tls.trust == .insecure, warnedInsecure.withLock({ $0.insert(address.description).inserted }) {
                logger?.warning(
                    "TLS verification is disabled for this endpoint (explicitly configured as insecure)",
                    metadata: ["endpoint": "\(address.description)"])
            }
            do {
                tls = try WebSocketTLS(options: endpoint.tls, host: host)
            } catch var error as HomelabError {
                error.component = component
                throw error
            }
        }
        let connection = WebSocketConnection(address: address, tls: tls, component: component)
        try await connection.open(options: options, logger: logger ?? Logger(label: "homelab.websocket") { _ in SwiftLogNoOpLogHandler() })
        logger?.debug("WebSocket open", metadata: ["endpoint": "\(address.description)", "component": "\(component)"])
        return connection
    }

    private init(address: WebSocketAddress, tls: WebSocketTLS?, component: String) {
        (messages, continuation) = AsyncThrowingStream.makeStream(of: String.self, throwing: (any Error).self)
        self.address = address
        self.tls = tls
        self.component = component
    }

    /// Sends one text message (in frames of at most ``WebSocketOptions/maxMessageSize``).
    /// - Throws: ``HomelabError/Code/connectionFailed`` when the connection is closed or the write fails.
    public func send(_ text: String) async throws {
        guard let writer = state.withLock({ $0.closing || $0.ended ? nil : $0.writer }) else {
            throw HomelabError(.connectionFailed, "the WebSocket to \(address.description) is closed", component: component)
        }
        do {
            try await writer.writeTextMessage(text)
        } catch {
            throw HomelabError(
                .connectionFailed, "sending to \(address.description) failed", component: component, underlying: describe(error))
        }
    }

    /// Closes with a normal-closure frame, waits for the server's answer (at most the close timeout) and the socket.
    public func close() async {
        let (writer, task) = state.withLock { state -> (WebSocketOutboundWriter?, Task<Void, Never>?) in
            let first = !state.closing
            state.closing = true
            return (first ? state.writer : nil, state.task)
        }
        if let writer {
            try? await writer.close(.normalClosure, reason: nil)
        } else {
            task?.cancel()
        }
        await task?.value
    }

    // MARK: - Running

    private func open(options: WebSocketOptions, logger: Logger) async throws {
        let maxMessageSize = options.maxMessageSize
        let channel = WebSocketUpgradeChannel(
            target: address.target, hostHeader: address.hostHeader, origin: address.origin,
            extraHeaders: options.headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) },
            tls: tls, maxMessageSize: maxMessageSize,
            autoPing: options.pingInterval.map { .enabled(timePeriod: $0) } ?? .disabled,
            closeTimeout: options.closeTimeout,
            serverCertificate: tls == nil ? nil : certificate,
            handler: { [self] inbound, outbound, _ in
                guard opened(outbound) else { return }
                for try await message in inbound.messages(maxSize: maxMessageSize) {
                    switch message {
                    case .text(let text): continuation.yield(text)
                    case .binary(let buffer): continuation.yield(String(buffer: buffer))
                    }
                }
            })
        let client = ClientConnection(channel, address: address.address, logger: logger)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (opening: CheckedContinuation<Void, any Error>) in
                let task = Task { await self.run(client) }
                state.withLock {
                    $0.opening = opening
                    $0.task = task
                }
                let timer = Task { [weak self] in
                    do { try await Task.sleep(for: options.connectTimeout) } catch { return }
                    guard let self else { return }
                    let timeout = HomelabError(
                        .timedOut, "connecting to \(address.description) timed out after \(options.connectTimeout.spoken)",
                        component: component)
                    if failOpening(timeout) { task.cancel() }
                }
                state.withLock { $0.connectTimer = timer }
            }
        } onCancel: {
            if failOpening(HomelabError(.cancelled, "connecting to \(address.description) was cancelled", component: component)) {
                state.withLock { $0.task }?.cancel()
            }
        }
    }

    /// The upgrade succeeded: keep the writer and let `connect` return. False when connecting already failed.
    private func opened(_ writer: WebSocketOutboundWriter) -> Bool {
        let (opening, timer) = state.withLock { state -> (CheckedContinuation<Void, any Error>?, Task<Void, Never>?) in
            defer { state.opening = nil }
            if state.opening != nil { state.writer = writer }
            return (state.opening, state.connectTimer)
        }
        timer?.cancel()
        opening?.resume()
        return opening != nil
    }

    /// Fails a connect still waiting. Returns whether it was waiting.
    private func failOpening(_ error: HomelabError) -> Bool {
        let opening = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            defer { state.opening = nil }
            if state.opening != nil { state.ended = true }
            return state.opening
        }
        opening?.resume(throwing: error)
        return opening != nil
    }

    private func run(_ client: ClientConnection<WebSocketUpgradeChannel>) async {
        var failure: HomelabError?
        do {
            let closeFrame = try await client.run()
            if let closeFrame, closeFrame.closeCode != .normalClosure || !state.withLock({ $0.closing }) {
                let reason = closeFrame.reason.map { Redaction.redactText($0) }.flatMap { $0.isEmpty ? nil : $0 }
                failure = HomelabError(
                    .connectionFailed,
                    "\(address.description) closed the WebSocket (code \(UInt16(webSocketErrorCode: closeFrame.closeCode))\(reason.map { ": \($0)" } ?? ""))",
                    component: component)
            } else if closeFrame == nil {
                failure = HomelabError(.connectionFailed, "the WebSocket to \(address.description) ended", component: component)
            }
        } catch {
            // Once open, any failure (a reset, NIOSSL's unclean shutdown) is a lost connection, not a TLS refusal.
            if state.withLock({ $0.writer != nil }) {
                failure = HomelabError(
                    .connectionFailed, "the WebSocket to \(address.description) was lost", component: component,
                    underlying: describe(error))
            } else {
                failure = mapped(error)
            }
        }
        if let failure, failOpening(failure) { return }
        let closing = state.withLock { state -> Bool in
            state.ended = true
            state.writer = nil
            return state.closing
        }
        if closing || failure == nil {
            continuation.finish()
        } else {
            continuation.finish(throwing: failure)
        }
    }

    private func mapped(_ error: any Error) -> HomelabError {
        if let error = error as? HomelabError { return error }
        if let reason = tls?.refusal.text {
            return HomelabError(.tlsFailure, "TLS with \(address.description) failed", component: component, underlying: WebSocketDetail(reason))
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return HomelabError(.tlsFailure, "TLS with \(address.description) failed", component: component, underlying: describe(error))
        }
        if error is CancellationError {
            return HomelabError(.cancelled, "the WebSocket to \(address.description) was cancelled", component: component)
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return HomelabError(.timedOut, "connecting to \(address.description) timed out", component: component)
        }
        return HomelabError(.connectionFailed, "could not talk to \(address.description)", component: component, underlying: describe(error))
    }

    private func describe(_ error: any Error) -> WebSocketDetail {
        WebSocketDetail(Redaction.redactText(String(describing: error)))
    }
}

/// A lower layer's explanation of a WebSocket failure, kept as the underlying error.
struct WebSocketDetail: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}
