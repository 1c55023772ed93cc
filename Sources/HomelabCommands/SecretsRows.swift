import Foundation
import HomelabCore

/// One vault in `homelab secrets vaults -o json`.
struct SecretsVaultRow: Encodable, Sendable {
    var id: String
    var name: String
    var items: Int?
    var type: String?
    var updated: Date?

    init(_ vault: OnePassword.Vault) {
        id = vault.id
        name = vault.name
        items = vault.items
        type = vault.type
        updated = ISOTimestamp.date(vault.updatedAt)
    }

    static let table = Table<SecretsVaultRow>([
        .init("NAME") { .text($0.name) },
        .init("ITEMS") { .text($0.items.map(String.init) ?? "-") },
        .init("UPDATED") { .time($0.updated) },
        .init("TYPE", wide: true) { .text($0.type ?? "-") },
        .init("ID", wide: true) { .text($0.id) },
    ])
}

/// One item summary in `homelab secrets items -o json` (never a field value).
struct SecretsItemRow: Encodable, Sendable {
    var id: String
    var title: String
    var vault: String
    var category: String
    var tags: [String]
    var updated: Date?

    init(_ item: OnePassword.Item, vault: String) {
        id = item.id
        title = item.title
        self.vault = vault
        category = item.category
        tags = item.tags ?? []
        updated = ISOTimestamp.date(item.updatedAt)
    }

    static let table = Table<SecretsItemRow>([
        .init("VAULT") { .text($0.vault) },
        .init("TITLE") { .text($0.title) },
        .init("CATEGORY") { .text($0.category) },
        .init("UPDATED") { .time($0.updated) },
        .init("TAGS", wide: true) { .text($0.tags.joined(separator: ", ")) },
        .init("ID", wide: true) { .text($0.id) },
    ])
}

/// `homelab secrets get REF -o json`: the reference and whether it resolved; the value only with `--reveal`.
struct SecretsValueDocument: Encodable, Sendable {
    var reference: String
    var resolved: Bool
    var length: Int
    var value: String?
}
