import Logging

extension ProxmoxClient {
    /// The cluster: status, resources, the next free VM ID.
    public var cluster: Cluster { Cluster(client: self) }
    /// The cluster's nodes.
    public var nodes: Nodes { Nodes(client: self) }

    /// The cluster as a whole (`/cluster/...`).
    public struct Cluster: Sendable {
        let client: ProxmoxClient

        /// The cluster and its nodes with quorum and online state (`GET /cluster/status`).
        /// - Throws: ``HomelabError`` (`.unauthorized` without `Sys.Audit`).
        public func status(logger: Logger? = nil) async throws -> [Proxmox.ClusterStatusEntry] {
            try await client.data([Proxmox.ClusterStatusEntry].self, "/cluster/status", logger: logger)
        }

        /// Every node, guest and storage with its load (`GET /cluster/resources`), optionally of one `type`
        /// (`vm`, `storage`, `node`, `sdn`).
        /// - Throws: ``HomelabError``.
        public func resources(type: String? = nil, logger: Logger? = nil) async throws -> [Proxmox.Resource] {
            try await client.data(
                [Proxmox.Resource].self, "/cluster/resources", query: type.map { [("type", $0)] } ?? [], logger: logger)
        }

        /// The next free VM ID (`GET /cluster/nextid`; the server answers it as a string).
        /// - Throws: ``HomelabError``; `.decodingFailed` when it is not a number.
        public func nextID(logger: Logger? = nil) async throws -> Int {
            switch try await client.data(JSONValue.self, "/cluster/nextid", logger: logger) {
            case .integer(let id): return Int(id)
            case .string(let text) where Int(text) != nil: return Int(text) ?? 0
            default: throw HomelabError(.decodingFailed, "the next free VM ID is not a number", component: "proxmox")
            }
        }
    }

    /// The cluster's nodes (`/nodes`).
    public struct Nodes: Sendable {
        let client: ProxmoxClient

        /// Every node with its load and certificate fingerprint (`GET /nodes`).
        /// - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [Proxmox.Node] {
            try await client.data([Proxmox.Node].self, "/nodes", logger: logger)
        }

        /// One node's details: CPU, memory, uptime, versions (`GET /nodes/{node}/status`).
        /// - Throws: ``HomelabError`` (`.notFound`, or an error for an offline node).
        public func status(_ node: String, logger: Logger? = nil) async throws -> Proxmox.NodeStatus {
            try await client.data(Proxmox.NodeStatus.self, try client.nodePath(node) + "/status", logger: logger)
        }
    }
}
