import Logging

extension SwarmClient {
    /// Networks: list, inspect, create (use driver `overlay` for swarm networks), remove.
    public struct Networks: Sendable {
        let client: SwarmClient

        /// The networks (`GET /networks`); filters: `driver`, `id`, `label`, `name`, `scope`, `type`, `dangling`.
        /// - Throws: ``HomelabError`` for transport, status or decoding failures.
        public func list(filters: DockerFilters = DockerFilters(), logger: Logger? = nil) async throws -> [SwarmNetwork] {
            try await client.get([SwarmNetwork].self, "/networks", query: filters.queryItems, logger: logger)
        }

        /// One network by ID or name (`GET /networks/{id}`).
        /// - Throws: ``HomelabError/Code/notFound`` when there is no such network; other ``HomelabError``s.
        public func inspect(_ id: String, logger: Logger? = nil) async throws -> SwarmNetwork {
            try await client.get(SwarmNetwork.self, "/networks/\(try SwarmClient.pathComponent(id, what: "network"))", logger: logger)
        }

        /// Creates a network (`POST /networks/create`). For services: `driver: "overlay"`, and `attachable`
        /// if standalone containers should join too.
        /// - Throws: ``HomelabError/Code/conflict`` when the name is taken; other ``HomelabError``s.
        public func create(_ request: NetworkCreateRequest, logger: Logger? = nil) async throws -> NetworkCreateResponse {
            let response = try await client.post("/networks/create", json: request, logger: logger)
            return try client.decode(NetworkCreateResponse.self, response.body, path: "/networks/create")
        }

        /// Removes a network (`DELETE /networks/{id}`).
        /// - Throws: ``HomelabError`` (a network still in use is refused).
        public func remove(_ id: String, logger: Logger? = nil) async throws {
            _ = try await client.call(.delete, "/networks/\(try SwarmClient.pathComponent(id, what: "network"))", logger: logger)
        }
    }

    /// Networks.
    public var networks: Networks { Networks(client: self) }
}
