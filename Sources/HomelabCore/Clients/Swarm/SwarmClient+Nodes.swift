import Foundation
import Logging

extension SwarmClient {
    /// Swarm nodes: list, inspect, update (availability, labels, role), modify with retries, remove.
    public struct Nodes: Sendable {
        let client: SwarmClient

        /// The nodes (`GET /nodes`); filters: `id`, `label`, `membership`, `name`, `node.label`, `role`.
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm; other ``HomelabError``s.
        public func list(filters: Swarm.Filters = Swarm.Filters(), logger: Logger? = nil) async throws -> [Swarm.Node] {
            try await client.rest.get([Swarm.Node].self, "/nodes", query: filters.queryItems, logger: logger)
        }

        /// One node by ID or name (`GET /nodes/{id}`).
        /// - Throws: ``HomelabError/Code/notFound`` when there is no such node; other ``HomelabError``s.
        public func inspect(_ id: String, logger: Logger? = nil) async throws -> Swarm.Node {
            try await inspectWithRaw(id, logger: logger).node
        }

        /// Replaces a node's spec whole (`POST /nodes/{id}/update?version=`).
        /// Prefer ``modify(_:maxAttempts:logger:_:)`` or the helpers below, which read and retry for you.
        /// - Throws: ``HomelabError/Code/outOfSequence`` when `version` is stale; other ``HomelabError``s.
        public func update(_ id: String, version: Swarm.ObjectVersion, spec: Swarm.NodeSpec, logger: Logger? = nil) async throws {
            let path = "/nodes/\(try client.rest.pathComponent(id, what: "node"))/update"
            try await submit(path, version: version, body: try client.rest.encode(spec, path: path), logger: logger)
        }

        /// Reads the node, lets `change` edit its spec, and submits it, re-reading and re-applying when the engine
        /// answers "update out of sequence" (at most `maxAttempts` times in all). Unknown spec fields are kept.
        /// Nothing is submitted when `change` leaves the spec as it was.
        /// - Throws: ``HomelabError/Code/outOfSequence`` when every attempt conflicted; whatever `change` throws;
        ///   other ``HomelabError``s.
        public func modify(
            _ id: String, maxAttempts: Int = 5, logger: Logger? = nil, _ change: (inout Swarm.NodeSpec) async throws -> Void
        ) async throws {
            let path = "/nodes/\(try client.rest.pathComponent(id, what: "node"))/update"
            try await OptimisticUpdate.docker(maxAttempts: maxAttempts).run("node \(id)", component: "docker", logger: logger) {
                let (node, rawSpec) = try await inspectWithRaw(id, logger: logger)
                guard let version = node.version else {
                    throw HomelabError(.decodingFailed, "node \(id) was returned without a version", component: "docker")
                }
                let original = node.spec ?? Swarm.NodeSpec()
                var spec = original
                try await change(&spec)
                if spec == original { return }
                try await submit(path, version: version, body: try UnknownFields.preserving(spec, raw: rawSpec, path: path, component: "docker"), logger: logger)
            }
        }

        /// Sets whether the scheduler may use the node: `.drain` moves its tasks away, `.pause` keeps them but
        /// places no new ones, `.active` returns it to service.
        /// - Throws: ``HomelabError`` as ``modify(_:maxAttempts:logger:_:)`` does.
        public func setAvailability(_ id: String, _ availability: Swarm.NodeAvailability, logger: Logger? = nil) async throws {
            try await modify(id, logger: logger) { $0.availability = availability }
        }

        /// Sets (or, with `nil`, removes) node labels, keeping the others.
        /// - Throws: ``HomelabError`` as ``modify(_:maxAttempts:logger:_:)`` does.
        public func setLabels(_ id: String, _ labels: [String: String?], logger: Logger? = nil) async throws {
            try await modify(id, logger: logger) { spec in
                var current = spec.labels ?? [:]
                for (key, value) in labels { current[key] = value }
                spec.labels = current
            }
        }

        /// Makes the node a manager.
        /// - Throws: ``HomelabError`` as ``modify(_:maxAttempts:logger:_:)`` does.
        public func promote(_ id: String, logger: Logger? = nil) async throws {
            try await modify(id, logger: logger) { $0.role = .manager }
        }

        /// Makes the node a worker. Demoting managers can cost the swarm its Raft quorum.
        /// - Throws: ``HomelabError`` as ``modify(_:maxAttempts:logger:_:)`` does.
        public func demote(_ id: String, logger: Logger? = nil) async throws {
            try await modify(id, logger: logger) { $0.role = .worker }
        }

        /// Removes a node from the swarm (`DELETE /nodes/{id}`); `force` removes one that is still up.
        /// - Throws: ``HomelabError`` (a live node without `force` is refused).
        public func remove(_ id: String, force: Bool = false, logger: Logger? = nil) async throws {
            _ = try await client.rest.call(
                .delete, "/nodes/\(try client.rest.pathComponent(id, what: "node"))",
                query: [("force", force ? "true" : "false")], logger: logger)
        }

        func inspectWithRaw(_ id: String, logger: Logger?) async throws -> (node: Swarm.Node, rawSpec: Any?) {
            let path = "/nodes/\(try client.rest.pathComponent(id, what: "node"))"
            let response = try await client.rest.call(.get, path, logger: logger)
            let node = try client.rest.decode(Swarm.Node.self, response.body, path: path)
            let raw = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
            return (node, raw?["Spec"])
        }

        private func submit(_ path: String, version: Swarm.ObjectVersion, body: [UInt8], logger: Logger?) async throws {
            _ = try await client.rest.call(
                .post, path, query: [("version", String(version.index))], body: body,
                headers: ["Content-Type": "application/json"], logger: logger)
        }
    }

    /// Swarm nodes.
    public var nodes: Nodes { Nodes(client: self) }
}
