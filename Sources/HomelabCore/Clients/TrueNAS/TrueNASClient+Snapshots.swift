import Logging

extension TrueNASClient {
    /// ZFS snapshots: `zfs.snapshot.*` up to 25.04 (and REST), `pool.snapshot.*` from 25.10, by the session's version.
    public var snapshots: Snapshots { Snapshots(client: self) }

    /// The snapshots' calls.
    public struct Snapshots: Sendable {
        let client: TrueNASClient

        var namespace: String { client.version.snapshotNamespace }

        /// The snapshots matching `query` (with their `creation` property).
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func list(_ query: TrueNASQuery = TrueNASQuery(), logger: Logger? = nil) async throws -> [TrueNAS.Snapshot] {
            try await client.perform(TrueNASCall("\(namespace).query", query.params(), reads: true), as: [TrueNAS.Snapshot].self, logger: logger)
        }

        /// The snapshots of `dataset`.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func list(dataset: String, logger: Logger? = nil) async throws -> [TrueNAS.Snapshot] {
            try await list(.whereEqual("dataset", dataset), logger: logger)
        }

        /// Takes snapshot `dataset@name`.
        /// - Throws: ``HomelabError/Code/conflict`` when it exists, `.notFound` without the dataset.
        public func create(dataset: String, name: String, recursive: Bool = false, logger: Logger? = nil) async throws -> TrueNAS.Snapshot {
            try await client.perform(
                TrueNASCall("\(namespace).create", [.object(["dataset": .string(dataset), "name": .string(name), "recursive": .bool(recursive)])]),
                as: TrueNAS.Snapshot.self, logger: logger)
        }

        /// Deletes snapshot `id` (`dataset@name`).
        /// - Throws: ``HomelabError/Code/notFound`` when there is none.
        public func delete(_ id: String, logger: Logger? = nil) async throws {
            _ = try await client.backend.perform(TrueNASCall("\(namespace).delete", [.string(id)], names: ["id"]), logger: logger)
        }

        /// Rolls the dataset back to snapshot `id`; `force` destroys newer snapshots (ZFS's `rollback -r`).
        /// - Throws: ``HomelabError/Code/notFound`` when there is none; the server's refusal when newer snapshots
        ///   exist without `force`.
        public func rollback(_ id: String, force: Bool = false, logger: Logger? = nil) async throws {
            _ = try await client.backend.perform(
                TrueNASCall(
                    "\(namespace).rollback", [.string(id), .object(["recursive": .bool(force), "force": .bool(force)])],
                    names: ["id", "options"]),
                logger: logger)
        }
    }

    /// Periodic snapshot tasks: `pool.snapshottask.*`.
    public var snapshotTasks: SnapshotTasks { SnapshotTasks(client: self) }

    /// The periodic snapshot tasks' calls.
    public struct SnapshotTasks: Sendable {
        let client: TrueNASClient

        /// The tasks matching `query`.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func list(_ query: TrueNASQuery = TrueNASQuery(), logger: Logger? = nil) async throws -> [TrueNAS.SnapshotTask] {
            try await client.perform(TrueNASCall("pool.snapshottask.query", query.params(), reads: true), as: [TrueNAS.SnapshotTask].self, logger: logger)
        }
    }
}
