import Foundation
import HomelabCore
import Logging

/// An ``HTTPTransport`` with no sockets: every request is recorded and answered by a handler, or by the next
/// canned answer queued with ``enqueue(_:)``. Clients under test are built on it exactly as on ``CurlTransport``.
public final class InMemoryTransport: HTTPTransport {
    /// Answers one request.
    public typealias Handler = @Sendable (HTTPRequest, Endpoint) async throws -> HTTPResponse

    /// A request as it reached the transport.
    public struct Exchange: Sendable {
        /// The request, after every middleware.
        public var request: HTTPRequest
        /// Where it was sent.
        public var endpoint: Endpoint
    }

    private let handler: Locked<Handler>
    private let queue = Locked<[Result<HTTPResponse, HomelabError>]>([])
    private let log = Locked<[Exchange]>([])

    /// A transport answering with `handler` (404 for everything by default) once the queue is empty.
    public init(_ handler: @escaping Handler = { _, _ in HTTPResponse(status: 404) }) {
        self.handler = Locked(handler)
    }

    /// Replaces the handler.
    public func answer(_ handler: @escaping Handler) { self.handler.withLock { $0 = handler } }

    /// Queues canned answers, used in order before the handler.
    public func enqueue(_ answers: [Result<HTTPResponse, HomelabError>]) { queue.withLock { $0 += answers } }

    /// Every exchange so far, in order.
    public var exchanges: [Exchange] { log.withLock { $0 } }

    /// Every request so far, in order.
    public var requests: [HTTPRequest] { exchanges.map(\.request) }

    public func execute(_ request: HTTPRequest, on endpoint: Endpoint, logger: Logger?) async throws -> HTTPResponse {
        log.withLock { $0.append(Exchange(request: request, endpoint: endpoint)) }
        if Task.isCancelled { throw HomelabError(.cancelled, "request cancelled") }
        let canned = queue.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        if let canned { return try canned.get() }
        return try await handler.withLock { $0 }(request, endpoint)
    }

    public func stream(_ request: HTTPRequest, on endpoint: Endpoint, logger: Logger?) async throws -> HTTPStreamingResponse {
        let response = try await execute(request, on: endpoint, logger: logger)
        return HTTPStreamingResponse(status: response.status, headers: response.headers, body: HTTPBody(chunks: [response.body]))
    }

    /// A JSON answer encoded with sorted keys.
    public static func json(_ value: some Encodable, status: Int = 200, headers: HTTPHeaders = [:]) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var all = headers
        all.replaceOrAdd(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: all, body: Array((try? encoder.encode(value)) ?? Data()))
    }

    /// A JSON answer from text.
    public static func json(_ status: Int = 200, text: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var all = headers
        all.replaceOrAdd(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: all, body: Array(text.utf8))
    }
}
