import Logging

extension SwarmClient {
    /// Swarm tasks: list with filters, inspect, logs.
    public struct Tasks: Sendable {
        let client: SwarmClient

        /// The tasks (`GET /tasks`); filters: `desired-state`, `id`, `label`, `name`, `node`, `service`, and
        /// ``Swarm/Filters/upToDate`` for tasks of the current spec only.
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm; other ``HomelabError``s.
        public func list(filters: Swarm.Filters = Swarm.Filters(), logger: Logger? = nil) async throws -> [Swarm.Task] {
            try await client.rest.get([Swarm.Task].self, "/tasks", query: filters.queryItems, logger: logger)
        }

        /// One task by ID (`GET /tasks/{id}`).
        /// - Throws: ``HomelabError/Code/notFound`` when there is no such task; other ``HomelabError``s.
        public func inspect(_ id: String, logger: Logger? = nil) async throws -> Swarm.Task {
            try await client.rest.get(Swarm.Task.self, "/tasks/\(try client.rest.pathComponent(id, what: "task"))", logger: logger)
        }
    }

    /// Swarm tasks.
    public var tasks: Tasks { Tasks(client: self) }
}
