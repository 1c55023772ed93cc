import Logging

extension SwarmClient {
    /// Swarm secrets: create, list, inspect, remove. The engine never returns a secret's data.
    public struct Secrets: Sendable {
        let client: SwarmClient

        /// Creates a secret (`POST /secrets/create`) and returns its ID. Build the spec with
        /// ``SecretSpec/init(name:labels:content:)`` so the content stays a ``Secret``.
        /// - Throws: ``HomelabError/Code/conflict`` when the name is taken; other ``HomelabError``s.
        public func create(_ spec: Swarm.SecretSpec, logger: Logger? = nil) async throws -> String {
            let response = try await client.rest.post("/secrets/create", json: spec, logger: logger)
            return try client.createdID(response, path: "/secrets/create")
        }

        /// The secrets (`GET /secrets`); filters: `id`, `label`, `name`, `names`.
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm; other ``HomelabError``s.
        public func list(filters: Swarm.Filters = Swarm.Filters(), logger: Logger? = nil) async throws -> [Swarm.Secret] {
            try await client.rest.get([Swarm.Secret].self, "/secrets", query: filters.queryItems, logger: logger)
        }

        /// One secret by ID or name (`GET /secrets/{id}`), without its data.
        /// - Throws: ``HomelabError/Code/notFound`` when there is no such secret; other ``HomelabError``s.
        public func inspect(_ id: String, logger: Logger? = nil) async throws -> Swarm.Secret {
            try await client.rest.get(Swarm.Secret.self, "/secrets/\(try client.rest.pathComponent(id, what: "secret"))", logger: logger)
        }

        /// Removes a secret (`DELETE /secrets/{id}`).
        /// - Throws: ``HomelabError`` (a secret still used by a service is refused).
        public func remove(_ id: String, logger: Logger? = nil) async throws {
            _ = try await client.rest.call(.delete, "/secrets/\(try client.rest.pathComponent(id, what: "secret"))", logger: logger)
        }
    }

    /// Swarm secrets.
    public var secrets: Secrets { Secrets(client: self) }

    /// The `ID` of a create answer (`{"ID": "..."}`).
    func createdID(_ response: HTTPResponse, path: String) throws -> String {
        guard let id = try rest.decode(Swarm.CreatedObjectID.self, response.body, path: path).id, !id.isEmpty else {
            throw HomelabError(.decodingFailed, "the answer to \(path) carries no ID", component: "docker")
        }
        return id
    }
}
