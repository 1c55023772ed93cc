import Foundation
import Logging

/// A 1Password Connect client (`https://connect.home.arpa/v1`, `Authorization: Bearer <Connect token>`) on the
/// kit's ``RESTClient``.
///
/// Cheap to copy. `client.vaults`, `client.items(in:)`, `client.files(in:item:)`, plus ``health(logger:)`` and
/// ``heartbeat(logger:)`` at the server's root. Lists are unpaginated and return summaries; ``Items/get(_:logger:)``
/// returns a whole item with its fields. A title is not unique: ``Items/find(title:logger:)`` may return several.
/// A missing or bad token is a 401 and a vault the token may not read a 403, both ``HomelabError/Code/unauthorized``.
public struct OnePasswordClient: Sendable {
    /// The request core for `/v1` paths.
    let rest: RESTClient
    /// The request core for the server's root (`/health`, `/heartbeat`).
    let root: RESTClient

    /// A client over `http`, whose endpoint is the API (`.../v1`) or the server's root (then `/v1` is added).
    public init(http: HTTPClient) {
        var http = http
        http.component = "onepassword"
        var rootHTTP = http
        var prefix: RESTClient.PathPrefix?
        if case .url(let url) = http.endpoint.address {
            let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
            if trimmed.hasSuffix("/v1") {
                rootHTTP.endpoint.address = .url(String(trimmed.dropLast(3)))
            } else {
                prefix = { _ in "/v1" }
            }
        } else {
            prefix = { _ in "/v1" }
        }
        rest = RESTClient(http: http, errors: .onePassword, pathPrefix: prefix)
        root = RESTClient(http: rootHTTP, errors: .onePassword)
    }

    /// A client for `endpoint` (`https://connect.home.arpa/v1`) with the Connect `token`.
    public init(transport: any HTTPTransport, endpoint: Endpoint, token: Secret) {
        self.init(
            http: HTTPClient(
                transport: transport, endpoint: endpoint, component: "onepassword",
                middleware: [RetryMiddleware(), HeaderAuthMiddleware.bearer(token), LoggingMiddleware()]))
    }

    /// Where requests go, for messages.
    public var endpointDescription: String { rest.endpointDescription }

    /// The server's health (`GET /health`, no token needed): its version and the sync's state.
    /// - Throws: ``HomelabError``.
    public func health(logger: Logger? = nil) async throws -> OnePassword.Health {
        try await root.get(OnePassword.Health.self, "/health", logger: logger)
    }

    /// Whether the server answers (`GET /heartbeat`, no token needed).
    /// - Throws: ``HomelabError`` when it does not answer 2xx.
    public func heartbeat(logger: Logger? = nil) async throws {
        _ = try await root.call(.get, "/heartbeat", logger: logger)
    }

    /// `id` checked and encoded as one path segment.
    func segment(_ id: String, what: String) throws -> String {
        try rest.pathComponent(id, what: what)
    }

    /// A SCIM `eq` filter on `attribute` (`title eq "My Item"`), the value's quotes and backslashes escaped.
    static func equalsFilter(_ attribute: String, _ value: String) -> (String, String) {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return ("filter", "\(attribute) eq \"\(escaped)\"")
    }
}

extension ErrorMapping {
    /// 1Password Connect's errors: `{"status": 401, "message": "..."}`. 401 is a bad token, 403 a vault the token
    /// may not read, 500 "failed to initiate" a server whose sync has not finished its first run.
    public static let onePassword = ErrorMapping(
        classify: { answer in
            let text = answer.message?.lowercased() ?? ""
            switch answer.status {
            case 401:
                return (.unauthorized, "1Password Connect refused the token (check components.onepassword.credentials.token)")
            case 403:
                return (.unauthorized, "the Connect token may not read this vault (grant it with op connect token create --vault)")
            case 404:
                return (.notFound, "no such vault, item or file")
            case 413:
                return (.invalidArgument, "the file is too large to return inline")
            case 500 where text.contains("initiate"):
                return (.unavailable, "1Password Connect has not finished its first sync (connect-sync); retry shortly")
            default:
                return nil
            }
        })
}

extension HomelabConnections {
    /// The 1Password Connect client of `components.onepassword` (its URL names `.../v1` or the server's root), with
    /// its token (an `env:` or `file:` reference: the token cannot come from Connect itself), TLS options and tunnel.
    /// - Throws: what ``http(for:)`` throws.
    public func onePassword() async throws -> OnePasswordClient {
        OnePasswordClient(http: try await http(for: .onepassword))
    }
}
