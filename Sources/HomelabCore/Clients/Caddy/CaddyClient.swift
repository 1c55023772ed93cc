import Foundation
import Logging

/// A client for Caddy's admin API on the client kit's ``RESTClient``.
///
/// The admin API has no authentication on its local endpoint; it checks the `Host` header instead. Reach it at
/// `http://localhost:2019` on the node (through the inventory's `ssh_tunnel`, which keeps `Host: localhost:2019`),
/// or on a unix socket (`admin.listen: unix//path`), where Caddy wants an empty `Host` (set by
/// ``HomelabConnections/caddy()`` and ``init(transport:endpoint:)``).
///
/// Reads return the `Etag` Caddy sends (`"<path> <hash>"`); writes can send it back as `If-Match`, and
/// ``modify(_:at:maxAttempts:logger:_:)`` does the whole read-modify-write, retrying on 412 through the kit's
/// ``OptimisticUpdate``. Cheap to copy; every call is `async throws` with an optional `logger`.
public struct CaddyClient: Sendable {
    /// The request core: admin API paths, Caddy's `{"error": ...}` shape.
    let rest: RESTClient

    /// A client over `http` (from ``HomelabConnections``, or built by hand).
    public init(http: HTTPClient) {
        var http = http
        http.component = "caddy"
        rest = RESTClient(http: http, errors: .caddy)
    }

    /// A client for `endpoint` (`http://localhost:2019`, or `.unixSocket(path)`: an empty `Host` is sent unless
    /// the endpoint names one).
    public init(transport: any HTTPTransport, endpoint: Endpoint) {
        var endpoint = endpoint
        if case .unixSocket = endpoint.address, endpoint.unixSocketHost == nil { endpoint.unixSocketHost = "" }
        self.init(http: HTTPClient(transport: transport, endpoint: endpoint, component: "caddy"))
    }

    /// Where requests go, for messages.
    public var endpointDescription: String { rest.endpointDescription }
}

extension ErrorMapping {
    /// Caddy's admin API: `{"error": "..."}`; 412 is a stale `If-Match`, 403 a refused `Host` or `Origin`.
    public static let caddy = ErrorMapping(classify: { answer in
        switch answer.status {
        case 412:
            return (.outOfSequence, "the configuration changed since it was read (If-Match did not match its ETag)")
        case 403 where answer.message?.contains("host not allowed") ?? false:
            return (
                .unauthorized,
                "Caddy's admin API refused the Host header: it must be localhost:2019 (or 127.0.0.1:PORT) over TCP and empty on a unix socket"
            )
        case 403 where answer.message?.contains("origin") ?? false:
            return (.unauthorized, "Caddy's admin API refused the request's Origin (send none, or one in admin.origins)")
        case 409:
            return (.conflict, "that key already exists (PUT creates; PATCH replaces)")
        default:
            return nil
        }
    })
}

extension HomelabConnections {
    /// The Caddy admin client of `components.caddy`: its URL (through `ssh_tunnel` when given) or unix socket
    /// (sent with the empty `Host` Caddy wants there).
    /// - Throws: what ``http(for:)`` throws.
    public func caddy() async throws -> CaddyClient {
        var http = try await http(for: .caddy)
        if case .unixSocket = http.endpoint.address, http.endpoint.unixSocketHost == nil { http.endpoint.unixSocketHost = "" }
        return CaddyClient(http: http)
    }
}
