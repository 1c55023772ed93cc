import Foundation
import Logging

/// A component's view of the shared transport: one endpoint, a component name and a middleware stack.
///
/// Cheap to copy. Component clients (Swarm, Proxmox, ...) hold one and never see libcurl.
public struct HTTPClient: Sendable {
    /// The shared transport.
    public let transport: any HTTPTransport
    /// Where requests go.
    public var endpoint: Endpoint
    /// The component name used in errors and logs.
    public var component: String
    /// Applied outermost first.
    public var middleware: [any HTTPMiddleware]

    /// A client with logging and the standard retry policy, plus any extra middleware (auth goes here).
    public init(
        transport: any HTTPTransport, endpoint: Endpoint, component: String,
        middleware: [any HTTPMiddleware] = [RetryMiddleware(), LoggingMiddleware()]
    ) {
        self.transport = transport
        self.endpoint = endpoint
        self.component = component
        self.middleware = middleware
    }

    /// Sends a request through the middleware and returns the whole response, whatever its status.
    /// - Throws: ``HomelabError`` for transport failures, tagged with this client's component.
    public func send(_ request: HTTPRequest, logger: Logger? = nil) async throws -> HTTPResponse {
        let transport = self.transport
        return try await run(request, logger: logger) { request, context in
            try await transport.execute(request, on: context.endpoint, logger: context.logger)
        }
    }

    /// Sends a request through the middleware and returns when the head arrives; the body streams.
    public func stream(_ request: HTTPRequest, logger: Logger? = nil) async throws -> HTTPStreamingResponse {
        let transport = self.transport
        return try await run(request, logger: logger) { request, context in
            try await transport.stream(request, on: context.endpoint, logger: context.logger)
        }
    }

    private func run<Response: HTTPResponseHead>(
        _ request: HTTPRequest, logger: Logger?,
        terminal: @escaping @Sendable (HTTPRequest, HTTPRequestContext) async throws -> Response
    ) async throws -> Response {
        let context = HTTPRequestContext(endpoint: endpoint, component: component, logger: logger)
        var next = terminal
        for layer in middleware.reversed() {
            let inner = next
            next = { request, context in try await layer.intercept(request, context: context, next: inner) }
        }
        do {
            return try await next(request, context)
        } catch var error as HomelabError {
            if error.component == nil { error.component = component }
            throw error
        } catch is CancellationError {
            throw HomelabError(.cancelled, "request cancelled", component: component, request: request.redactedSummary)
        }
    }

    /// Sends a request and decodes a 2xx JSON answer.
    /// - Throws: ``HomelabError`` with the server's message for non-2xx, `.decodingFailed` naming the field for bad JSON.
    public func json<T: Decodable>(
        _ type: T.Type, _ request: HTTPRequest, decoder: JSONDecoder = JSONDecoder(), logger: Logger? = nil
    ) async throws -> T {
        let response = try await send(request, logger: logger)
        try ensureSuccess(response, for: request)
        return try decode(type, from: response, for: request, decoder: decoder)
    }

    /// Throws a ``HomelabError`` carrying the status and the server's message unless the status is 2xx (the kit's
    /// standard ``ErrorMapping``; component clients use ``RESTClient`` and their own mapping).
    public func ensureSuccess(_ response: HTTPResponse, for request: HTTPRequest) throws {
        guard !response.isSuccess else { return }
        throw ErrorMapping().error(
            status: response.status, body: response.body, request: request, endpoint: endpoint.description, component: component)
    }

    /// Decodes JSON, turning a `DecodingError` into a `.decodingFailed` error that names the field.
    public func decode<T: Decodable>(
        _ type: T.Type, from response: HTTPResponse, for request: HTTPRequest, decoder: JSONDecoder = JSONDecoder()
    ) throws -> T {
        do {
            return try JSONAnswer.decode(type, response.body, what: "the answer", component: component, decoder: decoder)
        } catch var error as HomelabError {
            error.request = request.redactedSummary
            error.status = response.status
            throw error
        }
    }
}

/// JSON answers decoded in one place, for ``RESTClient`` and ``HTTPClient``.
enum JSONAnswer {
    /// Decodes `body`, naming the field that did not fit; with `tape`, through ``TapeDecoder`` instead of `decoder`.
    /// - Throws: ``HomelabError/Code/decodingFailed`` with `what` ("the answer to /services") and the place.
    static func decode<T: Decodable>(
        _ type: T.Type, _ body: [UInt8], what: String, component: String?, decoder: JSONDecoder = JSONDecoder(),
        tape: Bool = false
    ) throws -> T {
        do {
            if tape { return try TapeDecoder.decode(type, from: body) }
            return try decoder.decode(type, from: Data(body))
        } catch let error as DecodingError {
            throw HomelabError(
                .decodingFailed, "\(what) is not a valid \(T.self): \(DecodingErrorText.describe(error))", component: component)
        } catch {
            throw HomelabError(.decodingFailed, "\(what) is not valid JSON", component: component)
        }
    }
}

/// Finds the human message in an error body: `{"message"}`, `{"error"}`, `{"errors"}`, `{"detail"}` or plain text.
enum ServerMessage {
    static func extract(from body: [UInt8], limit: Int = 300) -> String? {
        guard !body.isEmpty else { return nil }
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            for key in ["message", "error", "detail", "errors", "reason"] {
                if let text = object[key] as? String { return clip(text, limit) }
                if let nested = object[key] as? [String: Any], let text = nested["message"] as? String { return clip(text, limit) }
                if let value = object[key], !(value is NSNull) {
                    if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) {
                        return clip(String(decoding: data, as: UTF8.self), limit)
                    }
                }
            }
        }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : clip(text, limit)
    }

    private static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

/// Describes a `DecodingError` as `at Spec.Mode.Replicated: expected Int, found a string`.
enum DecodingErrorText {
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop(while: { $0 == "." }))
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "at \(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "at \(path(context.codingPath)): missing \(type) value"
        case .keyNotFound(let key, let context):
            return "at \(path(context.codingPath + [key])): required key is missing"
        case .dataCorrupted(let context):
            return "at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
