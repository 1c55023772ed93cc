import Logging

extension SwarmClient {
    /// The swarm itself: inspect, init, join, leave, update, join tokens and the unlock key.
    public struct SwarmCalls: Sendable {
        let client: SwarmClient

        /// The swarm (`GET /swarm`), with its join tokens. Managers only.
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm.
        public func inspect(logger: Logger? = nil) async throws -> Swarm.Cluster {
            try await client.rest.get(Swarm.Cluster.self, "/swarm", logger: logger)
        }

        /// Makes this engine the first manager of a new swarm (`POST /swarm/init`); returns the node ID.
        /// - Throws: ``HomelabError/Code/unavailable`` when the engine is already in a swarm (Docker answers 503).
        @discardableResult
        public func initialize(_ request: Swarm.SwarmInitRequest, logger: Logger? = nil) async throws -> String {
            let response = try await client.rest.post("/swarm/init", json: request, logger: logger)
            return try client.rest.decode(String.self, response.body, path: "/swarm/init")
        }

        /// Joins an existing swarm (`POST /swarm/join`) with a worker or manager token.
        /// - Throws: ``HomelabError/Code/unavailable`` when already in a swarm; other ``HomelabError``s.
        public func join(_ request: Swarm.SwarmJoinRequest, logger: Logger? = nil) async throws {
            _ = try await client.rest.post("/swarm/join", json: request, logger: logger)
        }

        /// Leaves the swarm (`POST /swarm/leave`). A manager needs `force` (and may break quorum).
        /// - Throws: ``HomelabError/Code/notSwarmManager`` when not in a swarm; other ``HomelabError``s.
        public func leave(force: Bool = false, logger: Logger? = nil) async throws {
            _ = try await client.rest.call(.post, "/swarm/leave", query: [("force", force ? "true" : "false")], logger: logger)
        }

        /// Replaces the swarm spec (`POST /swarm/update?version=`), optionally rotating tokens or the unlock key.
        /// - Throws: ``HomelabError/Code/outOfSequence`` when `version` is stale; other ``HomelabError``s.
        public func update(
            spec: Swarm.SwarmSpec, version: Swarm.ObjectVersion, rotateWorkerToken: Bool = false, rotateManagerToken: Bool = false,
            rotateManagerUnlockKey: Bool = false, logger: Logger? = nil
        ) async throws {
            _ = try await client.rest.post(
                "/swarm/update",
                query: [
                    ("version", String(version.index)),
                    ("rotateWorkerToken", rotateWorkerToken ? "true" : "false"),
                    ("rotateManagerToken", rotateManagerToken ? "true" : "false"),
                    ("rotateManagerUnlockKey", rotateManagerUnlockKey ? "true" : "false"),
                ], json: spec, logger: logger)
        }

        /// The worker and manager join tokens (``Secret``s).
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm.
        public func joinTokens(logger: Logger? = nil) async throws -> Swarm.JoinTokens {
            guard let tokens = try await inspect(logger: logger).joinTokens else {
                throw HomelabError(.decodingFailed, "the swarm answer carries no join tokens", component: "docker")
            }
            return tokens
        }

        /// Which join token to rotate.
        public enum TokenRole: Sendable, Hashable {
            /// The token workers join with.
            case worker
            /// The token managers join with.
            case manager
        }

        /// Replaces a join token with a new one (the old one stops working) and returns both tokens.
        /// Retries when the swarm changes in between.
        /// - Throws: ``HomelabError/Code/outOfSequence`` after repeated conflicts; other ``HomelabError``s.
        public func rotateJoinToken(_ role: TokenRole, logger: Logger? = nil) async throws -> Swarm.JoinTokens {
            try await OptimisticUpdate.docker().run("swarm", component: "docker", logger: logger) {
                let swarm = try await inspect(logger: logger)
                guard let spec = swarm.spec, let version = swarm.version else {
                    throw HomelabError(.decodingFailed, "the swarm answer carries no spec or version", component: "docker")
                }
                try await update(
                    spec: spec, version: version, rotateWorkerToken: role == .worker, rotateManagerToken: role == .manager,
                    logger: logger)
            }
            return try await joinTokens(logger: logger)
        }

        /// The key that unlocks an autolocked manager (`GET /swarm/unlockkey`).
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm.
        public func unlockKey(logger: Logger? = nil) async throws -> Swarm.SwarmUnlockKey {
            try await client.rest.get(Swarm.SwarmUnlockKey.self, "/swarm/unlockkey", logger: logger)
        }
    }

    /// The swarm itself: inspect, init, join, leave, update, join tokens.
    public var swarm: SwarmCalls { SwarmCalls(client: self) }
}
