import Foundation
import Logging

extension OnePasswordClient {
    /// Vaults (`/v1/vaults`).
    public var vaults: Vaults { Vaults(client: self) }

    /// Vaults: list, get, find by name.
    public struct Vaults: Sendable {
        let client: OnePasswordClient

        /// Every vault the token may read.
        /// - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [OnePassword.Vault] {
            try await client.rest.get([OnePassword.Vault].self, "/vaults", logger: logger)
        }

        /// The vault with ID `id`.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func get(_ id: String, logger: Logger? = nil) async throws -> OnePassword.Vault {
            try await client.rest.get(OnePassword.Vault.self, "/vaults/" + client.segment(id, what: "vault ID"), logger: logger)
        }

        /// The vaults named `name` (a `name eq` filter; names are not unique).
        /// - Throws: ``HomelabError``.
        public func find(name: String, logger: Logger? = nil) async throws -> [OnePassword.Vault] {
            try await client.rest.get(
                [OnePassword.Vault].self, "/vaults", query: [OnePasswordClient.equalsFilter("name", name)], logger: logger)
        }
    }

    /// The items of vault `vaultID` (`/v1/vaults/{id}/items`).
    public func items(in vaultID: String) -> Items { Items(client: self, vault: vaultID) }

    /// The items of one vault: list (summaries), find by title, get whole items, create, replace, delete.
    public struct Items: Sendable {
        let client: OnePasswordClient
        /// The vault's ID.
        public let vault: String

        private func base() throws -> String { "/vaults/" + (try client.segment(vault, what: "vault ID")) + "/items" }

        /// Every item's summary (no field values).
        /// - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [OnePassword.Item] {
            try await client.rest.get([OnePassword.Item].self, try base(), logger: logger)
        }

        /// The summaries of the items titled `title` (a `title eq` filter: none, one or several).
        /// - Throws: ``HomelabError``.
        public func find(title: String, logger: Logger? = nil) async throws -> [OnePassword.Item] {
            try await client.rest.get(
                [OnePassword.Item].self, try base(), query: [OnePasswordClient.equalsFilter("title", title)], logger: logger)
        }

        /// The whole item `id`, with its fields and their values.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func get(_ id: String, logger: Logger? = nil) async throws -> OnePassword.Item {
            try await client.rest.get(OnePassword.Item.self, try base() + "/" + client.segment(id, what: "item ID"), logger: logger)
        }

        /// Creates `item` in this vault (its `vault` is set to this one) and returns it as stored.
        /// - Throws: ``HomelabError/Code/invalidArgument`` for an item the server refuses; other ``HomelabError``s.
        public func create(_ item: OnePassword.Item, logger: Logger? = nil) async throws -> OnePassword.Item {
            var item = item
            item.vault = OnePassword.VaultReference(id: vault)
            return try await client.rest.send(.post, try base(), json: item, decoding: OnePassword.Item.self, logger: logger)
        }

        /// Replaces item `item.id` with `item` (`PUT`) and returns it as stored.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func update(_ item: OnePassword.Item, logger: Logger? = nil) async throws -> OnePassword.Item {
            let path = try base() + "/" + client.segment(item.id, what: "item ID")
            return try await client.rest.send(.put, path, json: item, decoding: OnePassword.Item.self, logger: logger)
        }

        /// Deletes item `id`.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func delete(_ id: String, logger: Logger? = nil) async throws {
            _ = try await client.rest.call(.delete, try base() + "/" + client.segment(id, what: "item ID"), logger: logger)
        }
    }

    /// The files of item `itemID` in vault `vaultID`.
    public func files(in vaultID: String, item itemID: String) -> Files { Files(client: self, vault: vaultID, item: itemID) }

    /// The files attached to one item.
    public struct Files: Sendable {
        let client: OnePasswordClient
        /// The vault's ID.
        public let vault: String
        /// The item's ID.
        public let item: String

        private func base() throws -> String {
            "/vaults/" + (try client.segment(vault, what: "vault ID")) + "/items/" + (try client.segment(item, what: "item ID")) + "/files"
        }

        /// Every file's metadata.
        /// - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [OnePassword.File] {
            try await client.rest.get([OnePassword.File].self, try base(), logger: logger)
        }

        /// The content of file `id`, as bytes.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func content(_ id: String, logger: Logger? = nil) async throws -> [UInt8] {
            try await client.rest.call(.get, try base() + "/" + client.segment(id, what: "file ID") + "/content", logger: logger).body
        }
    }
}
