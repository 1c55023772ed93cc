import Logging

extension TrueNASClient {
    /// ZFS datasets: `pool.dataset.*`.
    public var datasets: Datasets { Datasets(client: self) }

    /// The datasets' calls.
    public struct Datasets: Sendable {
        let client: TrueNASClient

        /// The datasets matching `query` (used, available, quota), children flattened as the server lists them.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func list(_ query: TrueNASQuery = TrueNASQuery(), logger: Logger? = nil) async throws -> [TrueNAS.Dataset] {
            try await client.perform(TrueNASCall("pool.dataset.query", query.params(), reads: true), as: [TrueNAS.Dataset].self, logger: logger)
        }

        /// Creates filesystem dataset `name` (`tank/apps/new`) with `changes`.
        /// - Throws: ``HomelabError/Code/conflict`` when it exists, `.invalidArgument` for refused settings.
        public func create(_ name: String, _ changes: TrueNAS.DatasetChanges = .init(), logger: Logger? = nil) async throws -> TrueNAS.Dataset {
            guard case .object(var body) = try TrueNASJSON.value(changes) else {
                throw HomelabError(.internalFailure, "dataset settings are not an object", component: "truenas")
            }
            body["name"] = .string(name)
            body["type"] = .string("FILESYSTEM")
            return try await client.perform(TrueNASCall("pool.dataset.create", [.object(body)]), as: TrueNAS.Dataset.self, logger: logger)
        }

        /// Changes dataset `id`.
        /// - Throws: ``HomelabError/Code/notFound`` when there is none.
        public func update(_ id: String, _ changes: TrueNAS.DatasetChanges, logger: Logger? = nil) async throws -> TrueNAS.Dataset {
            try await client.perform(
                TrueNASCall("pool.dataset.update", [.string(id), try TrueNASJSON.value(changes)], names: ["id", "data"]),
                as: TrueNAS.Dataset.self, logger: logger)
        }

        /// Deletes dataset `id` (and its children when `recursive`).
        /// - Throws: ``HomelabError/Code/notFound`` when there is none.
        public func delete(_ id: String, recursive: Bool = false, logger: Logger? = nil) async throws {
            _ = try await client.backend.perform(
                TrueNASCall("pool.dataset.delete", [.string(id), .object(["recursive": .bool(recursive)])], names: ["id", "options"]),
                logger: logger)
        }
    }
}
