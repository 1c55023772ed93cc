import Foundation
import HomelabCore

/// The simulated 1Password Connect server's vaults and items.
///
/// Vault `homelab` holds every credential the example inventory references (`truenas-api-key`,
/// `proxmox-api-token`, `authentik`, `komodo`, `forgejo`, `woodpecker`, `grafana`, `uptime-kuma`), with the simulated
/// components' real credentials put in by ``store(value:item:field:)`` as the simulation starts; vault `media`
/// holds a few more. IDs are 26 lowercase base32 characters, as Connect's are.
public actor ConnectVaults {
    /// The Connect token (a JWT in a real server; any opaque text here).
    public nonisolated let token: String
    /// The server version reported by `/health`.
    public nonisolated let version = "1.7.3"

    struct Vault: Sendable {
        let id: String
        let name: String
        let description: String
        let created: Date
        var updated: Date
        var contentVersion: Int
    }

    struct Field: Sendable {
        var id: String
        var label: String
        var type: String
        var purpose: String
        var section: String?
        var value: String
    }

    struct Item: Sendable {
        let id: String
        let vault: String
        var title: String
        var category: String
        var tags: [String]
        var version: Int
        let created: Date
        var updated: Date
        var sections: [(id: String, label: String)]
        var fields: [Field]
        var files: [(id: String, name: String, section: String?, content: [UInt8])]
    }

    var vaults: [Vault] = []
    var items: [Item] = []
    private var counter = 0
    /// Requests answered per path kind, for tests that count round trips (`items/{id}` gets, ...).
    var reads: [String: Int] = [:]

    /// The seeded server.
    public init(now: Date = Date()) {
        token = "eyJhbGciOiJFUzI1NiJ9.sim-connect-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        var seed = Seed(now: now)
        seed.build()
        vaults = seed.vaults
        items = seed.items
        counter = seed.counter
    }

    /// A fresh 26-character ID.
    func makeID() -> String {
        counter += 1
        return Self.id(counter)
    }

    static func id(_ number: Int) -> String {
        let digits = String(number, radix: 32)
        return "sim" + String(repeating: "0", count: max(0, 23 - digits.count)) + digits
    }

    static func random(_ length: Int = 40) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    /// Puts `value` in field `field` of item `item` of vault `homelab` (creating the item when missing) and returns
    /// the `op://homelab/ITEM/FIELD` reference that reads it.
    public func store(value: String, item title: String, field label: String) -> CredentialReference {
        let now = Date()
        let vault = vaults[0].id
        if let index = items.firstIndex(where: { $0.vault == vault && $0.title == title }) {
            if let field = items[index].fields.firstIndex(where: { $0.label == label }) {
                items[index].fields[field].value = value
            } else {
                items[index].fields.append(Field(id: label, label: label, type: "CONCEALED", purpose: "", section: nil, value: value))
            }
            items[index].version += 1
            items[index].updated = now
        } else {
            items.append(Item(
                id: makeID(), vault: vault, title: title, category: "API_CREDENTIAL", tags: ["homelab-sim"], version: 1, created: now, updated: now,
                sections: [], fields: [Field(id: label, label: label, type: "CONCEALED", purpose: "", section: nil, value: value)], files: []))
        }
        return .onePassword(vault: vaults[0].name, item: title, section: nil, field: label)
    }

    /// How many times `kind` (`vaults`, `items`, `item`, `files`, `content`) was read.
    public func readCount(_ kind: String) -> Int { reads[kind] ?? 0 }

    /// The seed: two vaults and their items.
    struct Seed {
        let now: Date
        var vaults: [Vault] = []
        var items: [Item] = []
        var counter = 0

        mutating func next() -> String {
            counter += 1
            return ConnectVaults.id(counter)
        }

        mutating func build() {
            let homelab = Vault(id: next(), name: "homelab", description: "Credentials of the homelab's components", created: now.addingTimeInterval(-86_400 * 200), updated: now, contentVersion: 42)
            let media = Vault(id: next(), name: "media", description: "Media apps", created: now.addingTimeInterval(-86_400 * 100), updated: now, contentVersion: 7)
            vaults = [homelab, media]
            let credentials: [(String, [String])] = [
                ("truenas-api-key", ["credential"]), ("proxmox-api-token", ["credential"]), ("authentik", ["api-token"]),
                ("komodo", ["api-key", "api-secret"]), ("forgejo", ["access-token"]), ("woodpecker", ["personal-token"]),
                ("grafana", ["service-account-token"]), ("uptime-kuma", ["metrics-api-key"]),
            ]
            for (title, labels) in credentials {
                let fields = [Field(id: "username", label: "username", type: "STRING", purpose: "USERNAME", section: nil, value: "homelab-sdk")]
                    + labels.map { Field(id: $0, label: $0, type: "CONCEALED", purpose: "", section: nil, value: ConnectVaults.random()) }
                items.append(Item(
                    id: next(), vault: homelab.id, title: title, category: "API_CREDENTIAL", tags: ["homelab"], version: 1,
                    created: now.addingTimeInterval(-86_400 * 30), updated: now.addingTimeInterval(-86_400), sections: [], fields: fields, files: []))
            }
            // A database login with a section, and a file attachment (a CA certificate).
            items.append(Item(
                id: next(), vault: homelab.id, title: "postgres", category: "DATABASE", tags: ["homelab"], version: 3,
                created: now.addingTimeInterval(-86_400 * 60), updated: now.addingTimeInterval(-3_600),
                sections: [(id: "authentik", label: "authentik"), (id: "forgejo", label: "forgejo")],
                fields: [
                    Field(id: "host", label: "host", type: "STRING", purpose: "", section: nil, value: "postgres.home.arpa"),
                    Field(id: "ak-password", label: "password", type: "CONCEALED", purpose: "PASSWORD", section: "authentik", value: ConnectVaults.random(32)),
                    Field(id: "fj-password", label: "password", type: "CONCEALED", purpose: "PASSWORD", section: "forgejo", value: ConnectVaults.random(32)),
                ],
                files: [(id: next(), name: "ca.pem", section: nil, content: Array("-----BEGIN CERTIFICATE-----\nc2ltdWxhdGVk\n-----END CERTIFICATE-----\n".utf8))]))
            for title in ["plex", "sonarr", "radarr"] {
                items.append(Item(
                    id: next(), vault: media.id, title: title, category: "API_CREDENTIAL", tags: ["media"], version: 1,
                    created: now.addingTimeInterval(-86_400 * 20), updated: now.addingTimeInterval(-86_400 * 2), sections: [],
                    fields: [Field(id: "credential", label: "credential", type: "CONCEALED", purpose: "", section: nil, value: ConnectVaults.random(32))], files: []))
            }
            // The Swarm secrets the example inventory's `secrets:` names, all but cloudflared's tunnel token (the
            // simulated homelab's `homelab check` finding of rule secrets: SimulatedFindings.missingSecret).
            for title in ["authentik-secret-key", "connect-credentials", "komodo-passkey"] {
                items.append(Item(
                    id: next(), vault: homelab.id, title: title, category: "PASSWORD", tags: ["swarm-secret"], version: 1,
                    created: now.addingTimeInterval(-86_400 * 90), updated: now.addingTimeInterval(-86_400 * 9), sections: [],
                    fields: [Field(id: "credential", label: "credential", type: "CONCEALED", purpose: "PASSWORD", section: nil, value: ConnectVaults.random(32))], files: []))
            }
        }
    }
}
