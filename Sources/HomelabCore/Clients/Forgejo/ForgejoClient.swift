import Foundation
import Logging

/// A Forgejo client (`https://HOST/api/v1`) on the client kit's ``RESTClient``.
///
/// Cheap to copy. Operations are grouped in value-type namespaces: `client.repositories`, `client.contents`,
/// `client.commits`, `client.branches`, `client.hooks`, `client.releases`, `client.packages`,
/// `client.organizations`, `client.admin`, `client.oauth2`, plus ``version(logger:)`` and
/// ``currentUser(logger:)``. Every call is `async throws` and takes an optional `logger`.
///
/// Authentication is the HTTP client's middleware: `Authorization: token <PAT>` (``tokenAuth(_:)``; the word
/// `token` lowercase, as Forgejo documents it), or Basic with a password (see ``ComponentCredentials``).
/// Listings are ``PagedSequence``s over `page`/`limit` with `Link` and `X-Total-Count`; every page is read.
public struct ForgejoClient: Sendable {
    /// The request core: `/api/v1` paths under the endpoint, Forgejo's `{message, url}` errors.
    let rest: RESTClient
    /// Items asked for per page: at most 50, Forgejo's default `MAX_RESPONSE_ITEMS` (a larger `limit` is
    /// clamped by the server, and the total would then be misjudged).
    public var pageSize: Int {
        get { storedPageSize }
        set { storedPageSize = Swift.min(Self.maxPageSize, Swift.max(1, newValue)) }
    }
    private var storedPageSize = ForgejoClient.maxPageSize

    /// Forgejo's default `[api] MAX_RESPONSE_ITEMS`.
    public static let maxPageSize = 50

    /// A client over `http` (from ``HomelabConnections``, or built by hand), whose URL names `.../api/v1`.
    public init(http: HTTPClient) {
        var http = http
        http.component = "forgejo"
        rest = RESTClient(http: http, errors: .forgejo)
    }

    /// A client for `endpoint` (`https://git.home.arpa/api/v1`) with a personal access token.
    public init(transport: any HTTPTransport, endpoint: Endpoint, token: Secret) {
        self.init(http: HTTPClient(
            transport: transport, endpoint: endpoint, component: "forgejo",
            middleware: [RetryMiddleware(), Self.tokenAuth(token), LoggingMiddleware()]))
    }

    /// `Authorization: token <PAT>`.
    public static func tokenAuth(_ token: Secret) -> HeaderAuthMiddleware {
        HeaderAuthMiddleware(name: "Authorization", secret: token) { "token " + $0 }
    }

    /// Where requests go, for messages.
    public var endpointDescription: String { rest.endpointDescription }

    /// The server's version (`GET /version`), read leniently: `11.0.1+gitea-1.22.0`, `12.0.0-dev+abc`.
    /// - Throws: ``HomelabError``.
    public func version(logger: Logger? = nil) async throws -> ForgejoVersion {
        struct Answer: Decodable { let version: String }
        return ForgejoVersion(try await rest.get(Answer.self, "/version", logger: logger).version)
    }

    /// The token's owner (`GET /user`): the check that the credentials work.
    /// - Throws: ``HomelabError/Code/unauthorized`` when the token is refused.
    public func currentUser(logger: Logger? = nil) async throws -> Forgejo.User {
        try await rest.get(Forgejo.User.self, "/user", logger: logger)
    }

    // MARK: Request helpers

    /// Every item of a `page`/`limit` listing at `path`.
    func paged<T: Decodable & Sendable>(
        _ type: T.Type, _ path: String, query: [(String, String)] = [], logger: Logger?
    ) -> PagedSequence<T> {
        let rest = self.rest
        let query = query.map { Pair($0.0, $0.1) }
        return .linkHeader(limit: pageSize, component: "forgejo") { page, limit in
            let all = query.map { ($0.name, $0.value) } + [("page", String(page)), ("limit", String(limit))]
            let response = try await rest.call(.get, path, query: all, logger: logger)
            return (try rest.decode([T].self, response.body, path: path), response.headers)
        }
    }

    /// A query pair that can be captured by a `@Sendable` closure.
    struct Pair: Sendable {
        let name: String
        let value: String
        init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `/repos/OWNER/NAME`, each part checked and encoded.
    func repoPath(_ repository: Forgejo.RepositoryName) throws -> String {
        "/repos/" + (try rest.pathComponent(repository.owner, what: "repository owner")) + "/"
            + (try rest.pathComponent(repository.name, what: "repository"))
    }

    /// A file path inside a repository, each segment encoded and the slashes kept.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for an empty path or `.`/`..` segments.
    func filePath(_ path: String) throws -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !segments.isEmpty, !segments.contains("."), !segments.contains("..") else {
            throw HomelabError(.invalidArgument, "'\(path)' is not a file path inside a repository", component: "forgejo")
        }
        return segments.map(\.percentEncodedQueryComponent).joined(separator: "/")
    }
}

extension Forgejo {
    /// A repository's `owner/name`.
    public struct RepositoryName: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
        public var owner: String
        public var name: String

        /// `owner` and `name`.
        public init(owner: String, name: String) {
            self.owner = owner
            self.name = name
        }

        /// Parses `owner/name`.
        /// - Throws: ``HomelabError/Code/invalidArgument`` when it is not two non-empty parts.
        public init(parsing text: String) throws {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw HomelabError(.invalidArgument, "'\(text)' is not a repository's OWNER/NAME", component: "forgejo")
            }
            self.init(owner: parts[0], name: parts[1])
        }

        /// `owner/name` written in code (`"homelab/stacks"`); a literal without a slash is `owner == name`'s
        /// mistake and keeps the whole text as the name with an empty owner, which every call refuses.
        public init(stringLiteral value: String) {
            self = (try? Self(parsing: value)) ?? Self(owner: "", name: value)
        }

        public var description: String { "\(owner)/\(name)" }
    }
}

extension ErrorMapping {
    /// Forgejo's errors: `{"message": ..., "url": ...}` (404 adds `errors: []`); 401 and 403 say what to check,
    /// 409 is a conflict (the repository exists, the repository is empty), 422 refused values.
    public static let forgejo = ErrorMapping(classify: { answer in
        switch answer.status {
        case 401:
            return (.unauthorized, "the token was refused (check it, and that it is sent as 'Authorization: token ...')")
        case 403:
            return (.unauthorized, "the token lacks a scope or the user lacks a permission for this (admin calls need an admin)")
        case 404:
            return (.notFound, "no such object, or not visible to this token")
        case 409:
            return (.conflict, "it conflicts with what exists")
        case 422:
            return (.invalidArgument, "the server refused the values")
        default:
            return nil
        }
    })
}
