import Foundation
import Logging

extension KomodoClient {
    /// Resource syncs: their state, pending changes, and running them.
    public var syncs: Syncs { Syncs(client: self) }

    /// Every resource as one resource file (`ExportAllResourcesToToml`): what a sync's repository would hold.
    /// - Throws: ``HomelabError``.
    public func exportResources(logger: Logger? = nil) async throws -> String {
        struct Answer: Decodable { var toml: String }
        return try await read("ExportAllResourcesToToml", ["include_resources": .bool(true)], as: Answer.self, logger: logger).toml
    }

    /// `client.syncs`.
    public struct Syncs: Sendable {
        let client: KomodoClient

        /// Every resource sync, every page read (`ListResourceSyncs`).
        /// - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [Komodo.SyncListItem] {
            try await client.list("ListResourceSyncs", as: Komodo.SyncListItem.self, logger: logger).collect()
        }

        /// One sync, whole (`GetResourceSync`).
        /// - Throws: ``HomelabError`` (`.notFound` for an unknown name).
        public func get(_ sync: String, logger: Logger? = nil) async throws -> Komodo.Resource {
            try await client.read("GetResourceSync", ["sync": try client.name(sync, "resource sync")], as: Komodo.Resource.self, logger: logger)
        }

        /// The changes running `sync` would make, as Komodo computed them (`GetResourceSync`'s info);
        /// `refresh` first asks Komodo to recompute them from the repository (`RefreshResourceSyncPending`).
        /// - Throws: ``HomelabError``; ``HomelabError/Code/decodingFailed`` when the info is not a sync's.
        public func pending(_ sync: String, refresh: Bool = false, logger: Logger? = nil) async throws -> Komodo.SyncPending {
            let resource: Komodo.Resource
            if refresh {
                resource = try await client.call(
                    .write, "RefreshResourceSyncPending", ["sync": try client.name(sync, "resource sync")], as: Komodo.Resource.self,
                    logger: logger)
            } else {
                resource = try await get(sync, logger: logger)
            }
            let data = try JSONEncoder().encode(JSONValue.object(resource.info ?? [:]))
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try JSONAnswer.decode(
                Komodo.SyncPending.self, [UInt8](data), what: "resource sync \(sync)'s info", component: "komodo", decoder: decoder)
        }

        /// Runs `sync` (`RunSync`), optionally only for some resources of one type; returns the update at once.
        /// - Throws: ``HomelabError``.
        public func run(
            _ sync: String, resourceType: String? = nil, resources: [String] = [], logger: Logger? = nil
        ) async throws -> Komodo.Update {
            var params: [String: JSONValue] = ["sync": try client.name(sync, "resource sync")]
            if let resourceType { params["resource_type"] = .string(resourceType) }
            if !resources.isEmpty { params["resources"] = .array(resources.map(JSONValue.string)) }
            return try await client.execute("RunSync", params, logger: logger)
        }
    }
}
