import Logging

extension TrueNASClient {
    /// NFS shares: `sharing.nfs.*`.
    public var nfsShares: NFSShares { NFSShares(client: self) }

    /// The NFS shares' calls.
    public struct NFSShares: Sendable {
        let client: TrueNASClient

        /// The shares matching `query`.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func list(_ query: TrueNASQuery = TrueNASQuery(), logger: Logger? = nil) async throws -> [TrueNAS.NFSShare] {
            try await client.perform(TrueNASCall("sharing.nfs.query", query.params(), reads: true), as: [TrueNAS.NFSShare].self, logger: logger)
        }

        /// Exports `path` to `networks`.
        /// - Throws: ``HomelabError/Code/invalidArgument`` for a path outside a pool or one already shared.
        public func create(path: String, networks: [String] = [], readOnly: Bool = false, comment: String = "", logger: Logger? = nil) async throws -> TrueNAS.NFSShare {
            try await client.perform(
                TrueNASCall(
                    "sharing.nfs.create",
                    [.object([
                        "path": .string(path), "networks": .array(networks.map { .string($0) }), "ro": .bool(readOnly),
                        "comment": .string(comment),
                    ])]),
                as: TrueNAS.NFSShare.self, logger: logger)
        }

        /// Removes share `id`.
        /// - Throws: ``HomelabError/Code/notFound`` when there is none.
        public func delete(_ id: Int, logger: Logger? = nil) async throws {
            _ = try await client.backend.perform(TrueNASCall("sharing.nfs.delete", [.integer(Int64(id))], names: ["id"]), logger: logger)
        }
    }
}
