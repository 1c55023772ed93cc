import Logging

/// Something that sends HTTP requests to an ``Endpoint``: the shared ``CurlTransport`` in production, an
/// in-memory transport in tests.
///
/// Component clients hold an ``HTTPClient`` over `any HTTPTransport` and never see what is underneath.
public protocol HTTPTransport: Sendable {
    /// Sends a request and receives the whole response, whatever its status.
    /// - Throws: ``HomelabError`` for connection, TLS, timeout and cancellation failures.
    func execute(_ request: HTTPRequest, on endpoint: Endpoint, logger: Logger?) async throws -> HTTPResponse

    /// Sends a request and returns as soon as the head arrives; the body streams.
    /// - Throws: ``HomelabError`` for failures before the head; later failures end the body stream.
    func stream(_ request: HTTPRequest, on endpoint: Endpoint, logger: Logger?) async throws -> HTTPStreamingResponse
}

extension CurlTransport: HTTPTransport {}
