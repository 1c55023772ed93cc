import Logging

extension SwarmClient {
    /// Swarm tasks: list with filters, inspect, logs.
    public struct Tasks: Sendable {
        let client: SwarmClient

        /// The tasks (`GET /tasks`); filters: `desired-state`, `id`, `label`, `name`, `node`, `service`, and
        /// ``DockerFilters/upToDate`` for tasks of the current spec only.
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm; other ``HomelabError``s.
        public func list(filters: DockerFilters = DockerFilters(), logger: Logger? = nil) async throws -> [SwarmTask] {
            try await client.get([SwarmTask].self, "/tasks", query: filters.queryItems, logger: logger)
        }

        /// One task by ID (`GET /tasks/{id}`).
        /// - Throws: ``HomelabError/Code/notFound`` when there is no such task; other ``HomelabError``s.
        public func inspect(_ id: String, logger: Logger? = nil) async throws -> SwarmTask {
            try await client.get(SwarmTask.self, "/tasks/\(try SwarmClient.pathComponent(id, what: "task"))", logger: logger)
        }
    }

    /// Swarm tasks.
    public var tasks: Tasks { Tasks(client: self) }
}
