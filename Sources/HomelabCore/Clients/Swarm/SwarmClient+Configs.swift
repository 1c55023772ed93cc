import Logging

extension SwarmClient {
    /// Swarm configs: create, list, inspect (data included), remove.
    public struct Configs: Sendable {
        let client: SwarmClient

        /// Creates a config (`POST /configs/create`) and returns its ID. Build the spec with
        /// ``ConfigSpec/init(name:labels:content:)`` to have the content base64-encoded.
        /// - Throws: ``HomelabError/Code/conflict`` when the name is taken; other ``HomelabError``s.
        public func create(_ spec: Swarm.ConfigSpec, logger: Logger? = nil) async throws -> String {
            let response = try await client.rest.post("/configs/create", json: spec, logger: logger)
            return try client.createdID(response, path: "/configs/create")
        }

        /// The configs (`GET /configs`); filters: `id`, `label`, `name`, `names`.
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm; other ``HomelabError``s.
        public func list(filters: Swarm.Filters = Swarm.Filters(), logger: Logger? = nil) async throws -> [Swarm.Config] {
            try await client.rest.get([Swarm.Config].self, "/configs", query: filters.queryItems, logger: logger)
        }

        /// One config by ID or name (`GET /configs/{id}`), with its data (see ``ConfigSpec/content``).
        /// - Throws: ``HomelabError/Code/notFound`` when there is no such config; other ``HomelabError``s.
        public func inspect(_ id: String, logger: Logger? = nil) async throws -> Swarm.Config {
            try await client.rest.get(Swarm.Config.self, "/configs/\(try client.rest.pathComponent(id, what: "config"))", logger: logger)
        }

        /// Removes a config (`DELETE /configs/{id}`).
        /// - Throws: ``HomelabError`` (a config still used by a service is refused).
        public func remove(_ id: String, logger: Logger? = nil) async throws {
            _ = try await client.rest.call(.delete, "/configs/\(try client.rest.pathComponent(id, what: "config"))", logger: logger)
        }
    }

    /// Swarm configs.
    public var configs: Configs { Configs(client: self) }
}
