import Logging

extension AuthentikClient {
    /// Core applications (`/core/applications/`).
    public var applications: Applications { Applications(client: self) }

    /// Core applications.
    public struct Applications: Sendable {
        let client: AuthentikClient

        /// Every application, optionally matching `search`.
        public func list(search: String? = nil, logger: Logger? = nil) -> PagedSequence<Authentik.Application> {
            client.list(Authentik.Application.self, "/core/applications/", query: search.map { [("search", $0)] } ?? [], logger: logger)
        }

        /// The application with `slug`.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func get(_ slug: String, logger: Logger? = nil) async throws -> Authentik.Application {
            let id = try client.segment(slug, what: "Authentik application slug")
            return try await client.rest.get(Authentik.Application.self, "/core/applications/\(id)/", logger: logger)
        }

        /// Creates an application.
        /// - Throws: ``HomelabError/Code/invalidArgument`` with the server's field errors (a slug in use, ...).
        public func create(_ request: Authentik.ApplicationRequest, logger: Logger? = nil) async throws -> Authentik.Application {
            try await client.rest.send(.post, "/core/applications/", json: request, decoding: Authentik.Application.self, logger: logger)
        }

        /// Deletes the application with `slug`.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func delete(_ slug: String, logger: Logger? = nil) async throws {
            let id = try client.segment(slug, what: "Authentik application slug")
            _ = try await client.rest.call(.delete, "/core/applications/\(id)/", logger: logger)
        }
    }

    /// Users (`/core/users/`).
    public var users: Users { Users(client: self) }

    /// Users: list, create, deactivate.
    public struct Users: Sendable {
        let client: AuthentikClient

        /// Every user, optionally only active (or inactive) ones, or those matching `search`.
        public func list(isActive: Bool? = nil, search: String? = nil, logger: Logger? = nil) -> PagedSequence<Authentik.User> {
            var query: [(String, String)] = []
            if let isActive { query.append(("is_active", isActive ? "true" : "false")) }
            if let search { query.append(("search", search)) }
            return client.list(Authentik.User.self, "/core/users/", query: query, logger: logger)
        }

        /// The user with primary key `pk`.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func get(_ pk: Int, logger: Logger? = nil) async throws -> Authentik.User {
            try await client.rest.get(Authentik.User.self, "/core/users/\(pk)/", logger: logger)
        }

        /// The user whose login name is `username` (an exact match), if any.
        /// - Throws: ``HomelabError``.
        public func find(username: String, logger: Logger? = nil) async throws -> Authentik.User? {
            let users = try await client.list(Authentik.User.self, "/core/users/", query: [("username", username)], logger: logger).collect()
            return users.first { $0.username == username }
        }

        /// Creates a user.
        /// - Throws: ``HomelabError/Code/invalidArgument`` with the server's field errors (a username in use, ...).
        public func create(_ request: Authentik.UserRequest, logger: Logger? = nil) async throws -> Authentik.User {
            try await client.rest.send(.post, "/core/users/", json: request, decoding: Authentik.User.self, logger: logger)
        }

        /// Deactivates the user (`PATCH {is_active: false}`): it can no longer log in, and its history is kept.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func deactivate(_ pk: Int, logger: Logger? = nil) async throws -> Authentik.User {
            struct Patch: Encodable {
                let is_active: Bool
            }
            return try await client.rest.send(.patch, "/core/users/\(pk)/", json: Patch(is_active: false), decoding: Authentik.User.self, logger: logger)
        }
    }

    /// Groups (`/core/groups/`).
    public var groups: Groups { Groups(client: self) }

    /// Groups and their membership.
    public struct Groups: Sendable {
        let client: AuthentikClient

        /// Every group, optionally matching `search`.
        public func list(search: String? = nil, logger: Logger? = nil) -> PagedSequence<Authentik.Group> {
            client.list(Authentik.Group.self, "/core/groups/", query: search.map { [("search", $0)] } ?? [], logger: logger)
        }

        /// The group with UUID `pk`.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func get(_ pk: String, logger: Logger? = nil) async throws -> Authentik.Group {
            let id = try client.segment(pk, what: "Authentik group UUID")
            return try await client.rest.get(Authentik.Group.self, "/core/groups/\(id)/", logger: logger)
        }

        /// Creates a group named `name`.
        /// - Throws: ``HomelabError/Code/invalidArgument`` with the server's field errors.
        public func create(name: String, isSuperuser: Bool = false, logger: Logger? = nil) async throws -> Authentik.Group {
            struct Body: Encodable {
                let name: String
                let is_superuser: Bool
            }
            return try await client.rest.send(
                .post, "/core/groups/", json: Body(name: name, is_superuser: isSuperuser), decoding: Authentik.Group.self, logger: logger)
        }

        /// Adds user `userPK` to group `groupPK` (`POST .../add_user/`).
        /// - Throws: ``HomelabError/Code/notFound`` for a missing group or user.
        public func add(user userPK: Int, to groupPK: String, logger: Logger? = nil) async throws {
            try await membership("add_user", user: userPK, group: groupPK, logger: logger)
        }

        /// Removes user `userPK` from group `groupPK` (`POST .../remove_user/`).
        /// - Throws: ``HomelabError/Code/notFound`` for a missing group or user.
        public func remove(user userPK: Int, from groupPK: String, logger: Logger? = nil) async throws {
            try await membership("remove_user", user: userPK, group: groupPK, logger: logger)
        }

        private func membership(_ action: String, user: Int, group: String, logger: Logger?) async throws {
            struct Body: Encodable { let pk: Int }
            let id = try client.segment(group, what: "Authentik group UUID")
            _ = try await client.rest.send(.post, "/core/groups/\(id)/\(action)/", json: Body(pk: user), logger: logger)
        }
    }
}
