import Foundation
import Logging

extension ForgejoClient {
    /// A repository's webhooks.
    public var hooks: Hooks { Hooks(client: self) }
    /// The package registries (the container registry included).
    public var packages: Packages { Packages(client: self) }
    /// Organisations.
    public var organizations: Organizations { Organizations(client: self) }
    /// Site administration (an admin's token).
    public var admin: Admin { Admin(client: self) }
    /// The token user's OAuth2 applications.
    public var oauth2: OAuth2Applications { OAuth2Applications(client: self) }

    /// `client.hooks`.
    public struct Hooks: Sendable {
        let client: ForgejoClient

        /// Every webhook of `repository` (`GET /repos/{owner}/{repo}/hooks`; needs admin rights on it).
        public func list(_ repository: Forgejo.RepositoryName, logger: Logger? = nil) throws -> PagedSequence<Forgejo.Hook> {
            client.paged(Forgejo.Hook.self, try client.repoPath(repository) + "/hooks", logger: logger)
        }

        /// Creates a webhook (`POST /repos/{owner}/{repo}/hooks`); ``Forgejo/CreateHook/woodpecker(server:accessToken:secret:)``
        /// is the one Woodpecker makes.
        /// - Throws: ``HomelabError/Code/invalidArgument`` for a refused hook; `.notFound`.
        public func create(_ hook: Forgejo.CreateHook, in repository: Forgejo.RepositoryName, logger: Logger? = nil) async throws -> Forgejo.Hook {
            try await client.rest.send(.post, try client.repoPath(repository) + "/hooks", json: hook, decoding: Forgejo.Hook.self, logger: logger)
        }

        /// Deletes webhook `id`.
        /// - Throws: ``HomelabError/Code/notFound``.
        public func delete(_ id: Int64, in repository: Forgejo.RepositoryName, logger: Logger? = nil) async throws {
            _ = try await client.rest.call(.delete, try client.repoPath(repository) + "/hooks/\(id)", logger: logger)
        }
    }

    /// `client.packages`.
    public struct Packages: Sendable {
        let client: ForgejoClient

        /// Every package version `owner` (a user or organisation) has, of `type` (`container` for images) and
        /// matching `query` when given (`GET /packages/{owner}?type=&q=`).
        public func list(owner: String, type: String? = nil, query: String? = nil, logger: Logger? = nil) throws -> PagedSequence<Forgejo.Package> {
            var parameters: [(String, String)] = []
            if let type { parameters.append(("type", type)) }
            if let query { parameters.append(("q", query)) }
            return client.paged(
                Forgejo.Package.self, "/packages/" + (try client.rest.pathComponent(owner, what: "package owner")), query: parameters,
                logger: logger)
        }
    }

    /// `client.organizations`.
    public struct Organizations: Sendable {
        let client: ForgejoClient

        /// Every organisation visible to the token (`GET /orgs`).
        public func list(logger: Logger? = nil) -> PagedSequence<Forgejo.Organization> {
            client.paged(Forgejo.Organization.self, "/orgs", logger: logger)
        }

        /// The organisations the token's user belongs to (`GET /user/orgs`).
        public func mine(logger: Logger? = nil) -> PagedSequence<Forgejo.Organization> {
            client.paged(Forgejo.Organization.self, "/user/orgs", logger: logger)
        }

        /// One organisation (`GET /orgs/{org}`).
        /// - Throws: ``HomelabError/Code/notFound``.
        public func get(_ name: String, logger: Logger? = nil) async throws -> Forgejo.Organization {
            try await client.rest.get(Forgejo.Organization.self, "/orgs/" + (try client.rest.pathComponent(name, what: "organisation")), logger: logger)
        }
    }

    /// `client.admin`: needs a site administrator's token.
    public struct Admin: Sendable {
        let client: ForgejoClient

        /// Every user account (`GET /admin/users`).
        /// - Throws (while iterating): ``HomelabError/Code/unauthorized`` (403) for a token that is not an admin's.
        public func users(logger: Logger? = nil) -> PagedSequence<Forgejo.User> {
            client.paged(Forgejo.User.self, "/admin/users", logger: logger)
        }

        /// Creates a user (`POST /admin/users`).
        /// - Throws: ``HomelabError/Code/invalidArgument`` (422) when the name or email is taken or refused.
        public func createUser(_ user: Forgejo.CreateUser, logger: Logger? = nil) async throws -> Forgejo.User {
            try await client.rest.send(.post, "/admin/users", json: user, decoding: Forgejo.User.self, logger: logger)
        }
    }

    /// `client.oauth2`.
    public struct OAuth2Applications: Sendable {
        let client: ForgejoClient

        /// The token user's OAuth2 applications, without secrets (`GET /user/applications/oauth2`).
        public func list(logger: Logger? = nil) -> PagedSequence<Forgejo.OAuth2Application> {
            client.paged(Forgejo.OAuth2Application.self, "/user/applications/oauth2", logger: logger)
        }

        /// Creates an application; its answer is the only one carrying the client secret
        /// (`POST /user/applications/oauth2`). For Woodpecker the redirect URI is `https://WOODPECKER/authorize`.
        /// - Throws: ``HomelabError/Code/invalidArgument`` for refused values.
        public func create(
            name: String, redirectURIs: [String], confidential: Bool = true, logger: Logger? = nil
        ) async throws -> Forgejo.OAuth2Application {
            struct Body: Encodable {
                let name: String
                let redirect_uris: [String]
                let confidential_client: Bool
            }
            return try await client.rest.send(
                .post, "/user/applications/oauth2", json: Body(name: name, redirect_uris: redirectURIs, confidential_client: confidential),
                decoding: Forgejo.OAuth2Application.self, logger: logger)
        }

        /// Deletes application `id`.
        /// - Throws: ``HomelabError/Code/notFound``.
        public func delete(_ id: Int64, logger: Logger? = nil) async throws {
            _ = try await client.rest.call(.delete, "/user/applications/oauth2/\(id)", logger: logger)
        }
    }
}

extension HomelabConnections {
    /// The Forgejo client of `components.forgejo` (its URL names `.../api/v1`), with its token (or password),
    /// TLS options and SSH tunnel.
    /// - Throws: what ``http(for:)`` throws.
    public func forgejo() async throws -> ForgejoClient {
        ForgejoClient(http: try await http(for: .forgejo))
    }
}
