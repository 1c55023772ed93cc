import Foundation
import Logging

/// An Authentik client (`https://auth.home.arpa/api/v3`, `Authorization: Bearer <API token>`) on the kit's
/// ``RESTClient``.
///
/// Cheap to copy. Operations are grouped in namespaces: `client.applications`, `client.providers`,
/// `client.outposts`, `client.users`, `client.groups`, `client.flows`, `client.events`, plus ``version(logger:)``
/// and ``system(logger:)``. Listings are ``PagedSequence``s over Authentik's `page`/`page_size` envelope
/// (`pagination.next` is 0 on the last page); models decode leniently. A rejected token is a 403 (Authentik's
/// token authenticator sends no challenge), mapped to ``HomelabError/Code/unauthorized``.
public struct AuthentikClient: Sendable {
    /// The request core: paths under the endpoint's `/api/v3`, Authentik's error shapes.
    let rest: RESTClient
    /// Items asked for per page.
    public var pageSize: Int

    /// A client over `http` (from ``HomelabConnections``, or built by hand), whose endpoint is the API root
    /// (`.../api/v3`).
    public init(http: HTTPClient, pageSize: Int = 100) {
        var http = http
        http.component = "authentik"
        rest = RESTClient(http: http, errors: .authentik)
        self.pageSize = max(1, pageSize)
    }

    /// A client for `endpoint` (the API root, `https://auth.home.arpa/api/v3`) with a Bearer `token`.
    public init(transport: any HTTPTransport, endpoint: Endpoint, token: Secret, pageSize: Int = 100) {
        self.init(
            http: HTTPClient(
                transport: transport, endpoint: endpoint, component: "authentik",
                middleware: [RetryMiddleware(), HeaderAuthMiddleware.bearer(token), LoggingMiddleware()]),
            pageSize: pageSize)
    }

    /// Where requests go, for messages.
    public var endpointDescription: String { rest.endpointDescription }

    /// The server's version (`GET /admin/version/`), the cheapest authenticated request.
    /// - Throws: ``HomelabError`` (`.unauthorized` for a rejected token).
    public func version(logger: Logger? = nil) async throws -> Authentik.Version {
        try await rest.get(Authentik.Version.self, "/admin/version/", logger: logger)
    }

    /// What the server says about itself (`GET /admin/system/`).
    /// - Throws: ``HomelabError``.
    public func system(logger: Logger? = nil) async throws -> Authentik.SystemInfo {
        try await rest.get(Authentik.SystemInfo.self, "/admin/system/", logger: logger)
    }

    // MARK: Request helpers

    /// Every item of the listing at `path`, page by page.
    func list<Element: Decodable & Sendable>(
        _ type: Element.Type, _ path: String, query: [(String, String)] = [], logger: Logger?
    ) -> PagedSequence<Element> {
        let rest = self.rest
        return PagedSequence.nextField(pageSize: pageSize, component: "authentik") { page, size in
            let answer = try await rest.get(
                Authentik.Paginated<Element>.self, path,
                query: query + [("page", String(page)), ("page_size", String(size))], logger: logger)
            return (answer.results, answer.pagination.next)
        }
    }

    /// `id` checked and encoded as one path segment.
    func segment(_ id: String, what: String) throws -> String {
        try rest.pathComponent(id, what: what)
    }
}

extension ErrorMapping {
    /// Authentik's errors: `{"detail": "...", "code": "..."}` (403, 404) and `{"field": ["why"], "non_field_errors":
    /// [...]}` (400). A rejected or missing token is a 403, not a 401.
    public static let authentik = ErrorMapping(
        message: { body in AuthentikErrorMessage.extract(body) },
        classify: { answer in
            switch answer.status {
            case 401, 403:
                let text = answer.message?.lowercased() ?? ""
                if text.contains("permission") && !text.contains("credentials") && !text.contains("token") {
                    return (.unauthorized, "the token's user lacks the permission for this request")
                }
                return (.unauthorized, "Authentik refused the token (check components.authentik.credentials.token: an API token with intent api that has not expired)")
            case 400:
                return (.invalidArgument, "Authentik refused the request's fields")
            case 404:
                return (.notFound, "no such object")
            default:
                return nil
            }
        })
}

/// Where Authentik puts the reason of an error.
enum AuthentikErrorMessage {
    /// `detail`, or the field errors as `field: why; other: why`.
    static func extract(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return ErrorMapping.standardMessage(body)
        }
        if let detail = object["detail"] as? String { return String(detail.prefix(300)) }
        let fields = object.keys.sorted().filter { $0 != "code" }.compactMap { key -> String? in
            if let list = object[key] as? [String] { return "\(key): \(list.joined(separator: " "))" }
            if let text = object[key] as? String { return "\(key): \(text)" }
            return nil
        }
        return fields.isEmpty ? ErrorMapping.standardMessage(body) : String(fields.joined(separator: "; ").prefix(300))
    }
}

extension HomelabConnections {
    /// The Authentik client of `components.authentik` (its URL names the API root, `.../api/v3`), with its token,
    /// TLS options and SSH tunnel.
    /// - Throws: what ``http(for:)`` throws.
    public func authentik() async throws -> AuthentikClient {
        AuthentikClient(http: try await http(for: .authentik))
    }
}
