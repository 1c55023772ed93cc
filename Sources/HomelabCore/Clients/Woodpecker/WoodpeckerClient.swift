import Foundation
import Logging

/// A Woodpecker CI client (`https://HOST/api`) on the client kit's ``RESTClient``.
///
/// Cheap to copy. Operations are grouped in value-type namespaces: `client.repos`, `client.pipelines`,
/// `client.logs`, `client.agents`, `client.queue`, plus ``version(logger:)``, ``health(logger:)`` (both at the
/// server's root, not under `/api`) and ``currentUser(logger:)``. Repositories are addressed by Woodpecker's own
/// numeric ID (since 2.0); ``Repos/lookup(_:logger:)`` turns `owner/name` into one.
///
/// Authentication is `Authorization: Bearer <personal token>` (the HTTP client's middleware). Listings page with
/// `page`/`perPage` and no total: a short or empty page is the last. Errors are plain text.
public struct WoodpeckerClient: Sendable {
    /// `/api` paths.
    let rest: RESTClient
    /// The server's root, for `/healthz` and `/version`.
    let root: RESTClient
    /// Items per page (1-50; Woodpecker's maximum is 50).
    public var pageSize: Int {
        get { storedPageSize }
        set { storedPageSize = Swift.min(50, Swift.max(1, newValue)) }
    }
    private var storedPageSize = 50

    /// A client over `http`, whose URL names `.../api`.
    public init(http: HTTPClient) {
        var http = http
        http.component = "woodpecker"
        rest = RESTClient(http: http, errors: .woodpecker)
        var rootHTTP = http
        rootHTTP.endpoint = Self.rootEndpoint(of: http.endpoint)
        root = RESTClient(http: rootHTTP, errors: .woodpecker)
    }

    /// A client for `endpoint` (`https://ci.home.arpa/api`) with a personal token.
    public init(transport: any HTTPTransport, endpoint: Endpoint, token: Secret) {
        self.init(http: HTTPClient(
            transport: transport, endpoint: endpoint, component: "woodpecker",
            middleware: [RetryMiddleware(), HeaderAuthMiddleware.bearer(token), LoggingMiddleware()]))
    }

    /// The server root of an `.../api` URL: the URL without its final `/api` (a Woodpecker under a sub-path keeps
    /// it), else the scheme and host.
    public static func rootEndpoint(of endpoint: Endpoint) -> Endpoint {
        guard case .url(let url) = endpoint.address else { return endpoint }
        var trimmed = url
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard trimmed.hasSuffix("/api") else { return ComponentProbe.rootOf(endpoint) }
        var root = endpoint
        root.address = .url(String(trimmed.dropLast("/api".count)))
        return root
    }

    /// Where requests go, for messages.
    public var endpointDescription: String { rest.endpointDescription }

    /// The server's version (`GET /version` at the root).
    /// - Throws: ``HomelabError``.
    public func version(logger: Logger? = nil) async throws -> Woodpecker.ServerVersion {
        try await root.get(Woodpecker.ServerVersion.self, "/version", logger: logger)
    }

    /// Whether the server is healthy (`GET /healthz` at the root: 204, or 500 with the reason).
    /// - Throws: ``HomelabError/Code/httpStatus`` (with the server's reason) when it says it is not; transport errors.
    public func health(logger: Logger? = nil) async throws {
        _ = try await root.call(.get, "/healthz", logger: logger)
    }

    /// The token's user (`GET /api/user`): the check that the credentials work.
    /// - Throws: ``HomelabError/Code/unauthorized`` when the token is refused.
    public func currentUser(logger: Logger? = nil) async throws -> Woodpecker.User {
        try await rest.get(Woodpecker.User.self, "/user", logger: logger)
    }

    // MARK: Request helpers

    /// Every item of a `page`/`perPage` listing at `path`.
    func paged<T: Decodable & Sendable>(
        _ type: T.Type, _ path: String, query: [(String, String)] = [], logger: Logger?
    ) -> PagedSequence<T> {
        let rest = self.rest
        let pairs = query.map { ForgejoClient.Pair($0.0, $0.1) }
        return .pageNumbers(perPage: pageSize, component: "woodpecker") { page, perPage in
            let all = pairs.map { ($0.name, $0.value) } + [("page", String(page)), ("perPage", String(perPage))]
            let response = try await rest.call(.get, path, query: all, logger: logger)
            if response.body.isEmpty || response.body == Array("null".utf8) { return [] }
            return try rest.decode([T].self, response.body, path: path)
        }
    }

    /// `/repos/ID/pipelines/NUMBER`.
    func pipelinePath(_ repo: Int64, _ number: Int64) -> String { "/repos/\(repo)/pipelines/\(number)" }
}

extension ErrorMapping {
    /// Woodpecker's errors: plain-text bodies (`c.String`) or none. 401 and 403 say what to check; 404 a missing
    /// record; 400, 409 and 422 a refused state change ("Cannot cancel a non-running or non-pending or non-blocked
    /// pipeline", "Repository is already active.") as `.conflict`.
    public static let woodpecker = ErrorMapping(classify: { answer in
        switch answer.status {
        case 401:
            return (.unauthorized, "the token was refused (a personal token from the user settings, sent as Bearer)")
        case 403:
            return (.unauthorized, "this user may not do that (admin calls need an admin; pipelines need push access)")
        case 404:
            return (.notFound, "no such repository, pipeline, step or agent (or not visible to this user)")
        case 400, 409, 422:
            return (.conflict, "the server refused the change in this state (or the request's values)")
        default:
            return nil
        }
    })
}

extension HomelabConnections {
    /// The Woodpecker client of `components.woodpecker` (its URL names `.../api`), with its token, TLS options and
    /// SSH tunnel.
    /// - Throws: what ``http(for:)`` throws.
    public func woodpecker() async throws -> WoodpeckerClient {
        WoodpeckerClient(http: try await http(for: .woodpecker))
    }
}
