import Foundation
import Logging

extension WoodpeckerClient {
    /// Repositories: the user's, one by name or ID, activating one.
    public var repos: Repos { Repos(client: self) }
    /// Agents (admin).
    public var agents: Agents { Agents(client: self) }
    /// The scheduler's queue (admin).
    public var queue: Queue { Queue(client: self) }

    /// `client.repos`.
    public struct Repos: Sendable {
        let client: WoodpeckerClient

        /// The forge repositories the user may see, each with its newest pipeline (`GET /api/user/repos`); with
        /// `all`, the inactive ones too. Not paged by the server.
        public func mine(all: Bool = false, logger: Logger? = nil) async throws -> [Woodpecker.Repo] {
            try await client.rest.get([Woodpecker.Repo].self, "/user/repos", query: all ? [("all", "true")] : [], logger: logger)
        }

        /// Every repository Woodpecker knows (`GET /api/repos`, admin), only active ones with `active: true`.
        public func list(active: Bool? = nil, logger: Logger? = nil) -> PagedSequence<Woodpecker.Repo> {
            client.paged(Woodpecker.Repo.self, "/repos", query: active.map { [("active", $0 ? "true" : "false")] } ?? [], logger: logger)
        }

        /// The repository named `owner/name` (`GET /api/repos/lookup/{owner}/{name}`).
        /// - Throws: ``HomelabError/Code/notFound``; `.invalidArgument` for a name that is not `owner/name`.
        public func lookup(_ fullName: String, logger: Logger? = nil) async throws -> Woodpecker.Repo {
            let parts = fullName.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else {
                throw HomelabError(.invalidArgument, "'\(fullName)' is not a repository's OWNER/NAME", component: "woodpecker")
            }
            let path = try parts.map { try client.rest.pathComponent($0, what: "repository") }.joined(separator: "/")
            return try await client.rest.get(Woodpecker.Repo.self, "/repos/lookup/" + path, logger: logger)
        }

        /// The repository with Woodpecker ID `id` (`GET /api/repos/{id}`).
        /// - Throws: ``HomelabError/Code/notFound``.
        public func get(_ id: Int64, logger: Logger? = nil) async throws -> Woodpecker.Repo {
            try await client.rest.get(Woodpecker.Repo.self, "/repos/\(id)", logger: logger)
        }

        /// Activates the forge repository `forgeRemoteID` (`POST /api/repos?forge_remote_id=`): Woodpecker creates
        /// the forge's webhook and starts building on push.
        /// - Throws: ``HomelabError/Code/conflict`` when it is active already; `.notFound`.
        public func activate(forgeRemoteID: String, logger: Logger? = nil) async throws -> Woodpecker.Repo {
            let response = try await client.rest.call(.post, "/repos", query: [("forge_remote_id", forgeRemoteID)], logger: logger)
            return try client.rest.decode(Woodpecker.Repo.self, response.body, path: "/repos")
        }

        /// The repository a name or a numeric ID names: digits are an ID, anything else `owner/name`.
        /// - Throws: as ``lookup(_:logger:)`` and ``get(_:logger:)``.
        public func resolve(_ reference: String, logger: Logger? = nil) async throws -> Woodpecker.Repo {
            if let id = Int64(reference) { return try await get(id, logger: logger) }
            return try await lookup(reference, logger: logger)
        }
    }

    /// `client.agents`.
    public struct Agents: Sendable {
        let client: WoodpeckerClient

        /// Every agent (`GET /api/agents`, admin).
        public func list(logger: Logger? = nil) -> PagedSequence<Woodpecker.Agent> {
            client.paged(Woodpecker.Agent.self, "/agents", logger: logger)
        }
    }

    /// `client.queue`.
    public struct Queue: Sendable {
        let client: WoodpeckerClient

        /// What waits and what runs (`GET /api/queue/info`, admin).
        public func info(logger: Logger? = nil) async throws -> Woodpecker.QueueInfo {
            try await client.rest.get(Woodpecker.QueueInfo.self, "/queue/info", logger: logger)
        }
    }
}
