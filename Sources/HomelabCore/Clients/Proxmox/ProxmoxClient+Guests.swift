import Logging

extension ProxmoxClient {
    /// The LXC containers of `node`.
    public func containers(node: String) -> Containers { Containers(client: self, node: node) }
    /// The storages as `node` sees them.
    public func storage(node: String) -> Storages { Storages(client: self, node: node) }

    /// LXC containers on one node (`/nodes/{node}/lxc`).
    public struct Containers: Sendable {
        let client: ProxmoxClient
        /// The Proxmox node they are on.
        public let node: String

        /// Every container on the node. - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [Proxmox.Container] {
            try await client.data([Proxmox.Container].self, try client.nodePath(node) + "/lxc", logger: logger)
        }

        /// One container's current state. - Throws: ``HomelabError`` (`.notFound` for an unknown container).
        public func status(_ vmid: Int, logger: Logger? = nil) async throws -> Proxmox.Container {
            try await client.data(Proxmox.Container.self, try client.nodePath(node) + "/lxc/\(vmid)/status/current", logger: logger)
        }
    }

    /// Storages on one node (`/nodes/{node}/storage`).
    public struct Storages: Sendable {
        let client: ProxmoxClient
        /// The node whose view this is.
        public let node: String

        /// Every storage with its capacity. - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [Proxmox.Storage] {
            try await client.data([Proxmox.Storage].self, try client.nodePath(node) + "/storage", logger: logger)
        }

        /// The volumes on `storage`, optionally of one content type (`images`, `iso`, `vztmpl`, `backup`).
        /// - Throws: ``HomelabError``.
        public func content(_ storage: String, content: String? = nil, logger: Logger? = nil) async throws -> [Proxmox.StorageVolume] {
            let path = try client.nodePath(node) + "/storage/" + (try client.rest.pathComponent(storage, what: "storage")) + "/content"
            return try await client.data(
                [Proxmox.StorageVolume].self, path, query: content.map { [("content", $0)] } ?? [], logger: logger)
        }
    }
}
