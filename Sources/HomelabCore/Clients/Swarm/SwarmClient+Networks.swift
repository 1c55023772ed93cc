import Logging

extension SwarmClient {
    /// Networks: list, inspect, create (use driver `overlay` for swarm networks), remove.
    public struct Networks: Sendable {
        let client: SwarmClient

        /// The networks (`GET /networks`); filters: `driver`, `id`, `label`, `name`, `scope`, `type`, `dangling`.
        /// - Throws: ``HomelabError`` for transport, status or decoding failures.
        public func list(filters: Swarm.Filters = Swarm.Filters(), logger: Logger? = nil) async throws -> [Swarm.Network] {
            try await client.rest.get([Swarm.Network].self, "/networks", query: filters.queryItems, logger: logger)
        }

        /// One network by ID or name (`GET /networks/{id}`).
        /// - Throws: ``HomelabError/Code/notFound`` when there is no such network; other ``HomelabError``s.
        public func inspect(_ id: String, logger: Logger? = nil) async throws -> Swarm.Network {
            try await client.rest.get(Swarm.Network.self, "/networks/\(try client.rest.pathComponent(id, what: "network"))", logger: logger)
        }

        /// Creates a network (`POST /networks/create`). For services: `driver: "overlay"`, and `attachable`
        /// if standalone containers should join too.
        /// - Throws: ``HomelabError/Code/conflict`` when the name is taken; other ``HomelabError``s.
        public func create(_ request: Swarm.NetworkCreateRequest, logger: Logger? = nil) async throws -> Swarm.NetworkCreateResponse {
            let response = try await client.rest.post("/networks/create", json: request, logger: logger)
            return try client.rest.decode(Swarm.NetworkCreateResponse.self, response.body, path: "/networks/create")
        }

        /// Removes a network (`DELETE /networks/{id}`).
        /// - Throws: ``HomelabError`` (a network still in use is refused).
        public func remove(_ id: String, logger: Logger? = nil) async throws {
            _ = try await client.rest.call(.delete, "/networks/\(try client.rest.pathComponent(id, what: "network"))", logger: logger)
        }
    }

    /// Networks.
    public var networks: Networks { Networks(client: self) }
}
