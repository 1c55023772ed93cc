import Logging

extension SwarmClient {
    /// Swarm configs: create, list, inspect (data included), remove.
    public struct Configs: Sendable {
        let client: SwarmClient

        /// Creates a config (`POST /configs/create`) and returns its ID. Build the spec with
        /// ``ConfigSpec/init(name:labels:content:)`` to have the content base64-encoded.
        /// - Throws: ``HomelabError/Code/conflict`` when the name is taken; other ``HomelabError``s.
        public func create(_ spec: ConfigSpec, logger: Logger? = nil) async throws -> String {
            let response = try await client.post("/configs/create", json: spec, logger: logger)
            return try client.createdID(response, path: "/configs/create")
        }

        /// The configs (`GET /configs`); filters: `id`, `label`, `name`, `names`.
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm; other ``HomelabError``s.
        public func list(filters: DockerFilters = DockerFilters(), logger: Logger? = nil) async throws -> [SwarmConfig] {
            try await client.get([SwarmConfig].self, "/configs", query: filters.queryItems, logger: logger)
        }

        /// One config by ID or name (`GET /configs/{id}`), with its data (see ``ConfigSpec/content``).
        /// - Throws: ``HomelabError/Code/notFound`` when there is no such config; other ``HomelabError``s.
        public func inspect(_ id: String, logger: Logger? = nil) async throws -> SwarmConfig {
            try await client.get(SwarmConfig.self, "/configs/\(try SwarmClient.pathComponent(id, what: "config"))", logger: logger)
        }

        /// Removes a config (`DELETE /configs/{id}`).
        /// - Throws: ``HomelabError`` (a config still used by a service is refused).
        public func remove(_ id: String, logger: Logger? = nil) async throws {
            _ = try await client.call(.delete, "/configs/\(try SwarmClient.pathComponent(id, what: "config"))", logger: logger)
        }
    }

    /// Swarm configs.
    public var configs: Configs { Configs(client: self) }
}
