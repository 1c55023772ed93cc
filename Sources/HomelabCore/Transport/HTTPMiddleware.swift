import Logging

/// What every response shape offers a middleware: a status and headers.
public protocol HTTPResponseHead: Sendable {
    /// The status code.
    var status: Int { get }
    /// Response header fields.
    var headers: HTTPHeaders { get }
    /// The whole body when it has been read (buffered responses); `nil` while it streams.
    var bufferedBody: [UInt8]? { get }
}

extension HTTPResponse {
    /// The body (always read).
    public var bufferedBody: [UInt8]? { body }
}

extension HTTPStreamingResponse {
    /// `nil`: the body has not been read.
    public var bufferedBody: [UInt8]? { nil }
}

extension HTTPResponse: HTTPResponseHead {}
extension HTTPStreamingResponse: HTTPResponseHead {}

/// Per-request facts a middleware may use.
public struct HTTPRequestContext: Sendable {
    /// The endpoint the request goes to.
    public var endpoint: Endpoint
    /// The component name used in errors and logs (`docker`, `proxmox`, ...).
    public var component: String
    /// Where to log; `nil` when the caller does not log.
    public var logger: Logger?

    public init(endpoint: Endpoint, component: String, logger: Logger?) {
        self.endpoint = endpoint
        self.component = component
        self.logger = logger
    }
}

/// A step around every request: authentication, retries, logging. Composed once per client.
///
/// The same middleware serves buffered and streaming requests: it is generic over the response shape.
public protocol HTTPMiddleware: Sendable {
    /// Handles `request`, calling `next` zero or more times.
    func intercept<Response: HTTPResponseHead>(
        _ request: HTTPRequest, context: HTTPRequestContext,
        next: @Sendable (HTTPRequest, HTTPRequestContext) async throws -> Response
    ) async throws -> Response
}

/// Adds a header to every request, with a value taken from a ``Secret`` (API tokens, `Authorization`).
public struct HeaderAuthMiddleware: HTTPMiddleware {
    /// The header name, e.g. `Authorization` or `X-Api-Key`.
    public var name: String
    /// Builds the value from the secret, e.g. `{ "Bearer " + $0 }`.
    private let value: @Sendable (String) -> String
    private let secret: Secret

    /// Sends `name: value(secret)` on every request.
    public init(name: String, secret: Secret, value: @escaping @Sendable (String) -> String = { $0 }) {
        self.name = name
        self.secret = secret
        self.value = value
    }

    /// `Authorization: Bearer <token>`.
    public static func bearer(_ token: Secret) -> HeaderAuthMiddleware {
        HeaderAuthMiddleware(name: "Authorization", secret: token) { "Bearer " + $0 }
    }

    public func intercept<Response: HTTPResponseHead>(
        _ request: HTTPRequest, context: HTTPRequestContext,
        next: @Sendable (HTTPRequest, HTTPRequestContext) async throws -> Response
    ) async throws -> Response {
        var request = request
        request.headers.replaceOrAdd(name: name, value: value(secret.reveal()))
        return try await next(request, context)
    }
}

/// Logs each request and its outcome at debug level, with credentials and secret query values redacted.
public struct LoggingMiddleware: HTTPMiddleware {
    public init() {}

    public func intercept<Response: HTTPResponseHead>(
        _ request: HTTPRequest, context: HTTPRequestContext,
        next: @Sendable (HTTPRequest, HTTPRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let logger = context.logger else { return try await next(request, context) }
        let summary = request.redactedSummary
        let start = ContinuousClock.now
        logger.debug(
            "request", metadata: [
                "component": "\(context.component)", "method": "\(summary.method)", "path": "\(summary.path)",
                "headers": "\(request.headers.redacted.map { "\($0.name): \($0.value)" }.joined(separator: ", "))",
            ])
        do {
            let response = try await next(request, context)
            logger.debug(
                "response", metadata: [
                    "component": "\(context.component)", "method": "\(summary.method)", "path": "\(summary.path)",
                    "status": "\(response.status)", "ms": "\(Self.milliseconds(since: start))",
                ])
            return response
        } catch {
            logger.debug(
                "request failed", metadata: [
                    "component": "\(context.component)", "method": "\(summary.method)", "path": "\(summary.path)",
                    "error": "\(Redaction.redactText(String(describing: error)))", "ms": "\(Self.milliseconds(since: start))",
                ])
            throw error
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> String {
        let ms = (ContinuousClock.now - start).seconds * 1000
        return String(Int(ms * 10) / 10) + "." + String(Int(ms * 10) % 10)
    }
}
