import Foundation
import Logging

/// Resolves `op://vault/item[/section]/field` references through 1Password Connect.
///
/// Vaults and items are named by ID or by name/title (names compared case-insensitively, as `op` does). Each vault
/// listing and each whole item is fetched at most once for the resolver's life (one resolution run: a process's
/// inventory, one template render), however many fields are read from it and however many callers ask at once. A
/// name that matches two vaults or two items is an error naming both; a field may also name a file attached to the
/// item (its content, as UTF-8 text). Errors name the reference, vault and item IDs and titles, never a value.
public actor OnePasswordSecretResolver: SecretResolver {
    /// Opens the Connect client on first use.
    public typealias Open = @Sendable () async throws -> OnePasswordClient

    private let open: Open
    private let logger: Logger?
    private var client: Task<OnePasswordClient, any Error>?
    private var vaults: Task<[OnePassword.Vault], any Error>?
    private var items: [String: Task<OnePassword.Item, any Error>] = [:]
    private var titles: [String: Task<[OnePassword.Item], any Error>] = [:]
    private var fetched = 0

    /// A resolver over an open client.
    public init(client: OnePasswordClient, logger: Logger? = nil) {
        self.open = { client }
        self.logger = logger
    }

    /// A resolver that opens its client on the first `op://` reference (``HomelabConnections`` hands it
    /// `components.onepassword`'s client, whose own token is an `env:` or `file:` reference).
    public init(logger: Logger? = nil, open: @escaping Open) {
        self.open = open
        self.logger = logger
    }

    /// How many whole items were fetched (each item at most once).
    public var itemFetches: Int { fetched }

    /// The secret `reference` points to.
    /// - Throws: ``HomelabError/Code/secretUnavailable`` naming the reference: not an `op://` reference, no such
    ///   vault, item, section or field, an ambiguous name, or Connect's own error (`.unauthorized` and others are
    ///   wrapped, their message kept).
    public func resolve(_ reference: CredentialReference) async throws -> Secret {
        guard case .onePassword(let vaultName, let itemName, let sectionName, let fieldName) = reference else {
            throw unavailable(reference, "is not an op:// reference")
        }
        do {
            let client = try await connect()
            let vault = try await findVault(vaultName, reference: reference, client: client)
            let item = try await findItem(itemName, in: vault, reference: reference, client: client)
            return try await value(of: item, section: sectionName, field: fieldName, vault: vault, reference: reference, client: client)
        } catch let error as HomelabError where error.code == .secretUnavailable {
            throw error
        } catch let error as HomelabError {
            throw HomelabError(
                .secretUnavailable, "\(reference): 1Password Connect: \(error.message)", component: "onepassword",
                request: error.request, status: error.status, serverMessage: error.serverMessage)
        }
    }

    private func connect() async throws -> OnePasswordClient {
        let task = client ?? Task { try await open() }
        client = task
        do {
            return try await task.value
        } catch {
            client = nil
            throw error
        }
    }

    private func findVault(_ name: String, reference: CredentialReference, client: OnePasswordClient) async throws -> OnePassword.Vault {
        let logger = self.logger
        let task = vaults ?? Task { try await client.vaults.list(logger: logger) }
        vaults = task
        let all: [OnePassword.Vault]
        do {
            all = try await task.value
        } catch {
            vaults = nil
            throw error
        }
        if let byID = all.first(where: { $0.id == name }) { return byID }
        let named = all.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        switch named.count {
        case 1: return named[0]
        case 0: throw unavailable(reference, "no vault named '\(name)' is readable with the Connect token")
        default:
            throw unavailable(
                reference, "\(named.count) vaults are named '\(name)' (\(named.map(\.id).joined(separator: ", "))); use the vault's ID")
        }
    }

    private func findItem(
        _ name: String, in vault: OnePassword.Vault, reference: CredentialReference, client: OnePasswordClient
    ) async throws -> OnePassword.Item {
        if Self.looksLikeID(name), let byID = try? await item(name, vault: vault.id, client: client) { return byID }
        let key = vault.id + "/" + name.lowercased()
        let logger = self.logger
        let task = titles[key] ?? Task { try await client.items(in: vault.id).find(title: name, logger: logger) }
        titles[key] = task
        let found: [OnePassword.Item]
        do {
            found = try await task.value.filter { $0.title.caseInsensitiveCompare(name) == .orderedSame }
        } catch {
            titles[key] = nil
            throw error
        }
        switch found.count {
        case 1: return try await item(found[0].id, vault: vault.id, client: client)
        case 0: throw unavailable(reference, "vault '\(vault.name)' has no item titled '\(name)'")
        default:
            let listed = found.map { "\($0.id)" + ($0.updatedAt.map { " updated \($0)" } ?? "") }.joined(separator: " and ")
            throw unavailable(
                reference, "\(found.count) items in vault '\(vault.name)' are titled '\(name)' (\(listed)); use the item's ID")
        }
    }

    /// The whole item, fetched once.
    private func item(_ id: String, vault: String, client: OnePasswordClient) async throws -> OnePassword.Item {
        let key = vault + "/" + id
        if let task = items[key] { return try await task.value }
        fetched += 1
        let logger = self.logger
        let task = Task { try await client.items(in: vault).get(id, logger: logger) }
        items[key] = task
        do {
            return try await task.value
        } catch {
            items[key] = nil
            throw error
        }
    }

    private func value(
        of item: OnePassword.Item, section sectionName: String?, field name: String, vault: OnePassword.Vault,
        reference: CredentialReference, client: OnePasswordClient
    ) async throws -> Secret {
        var fields = item.fields ?? []
        var files = item.files ?? []
        if let sectionName {
            let sections = (item.sections ?? []).filter {
                $0.id == sectionName || ($0.label ?? "").caseInsensitiveCompare(sectionName) == .orderedSame
            }
            guard !sections.isEmpty else {
                throw unavailable(reference, "item '\(item.title)' (\(item.id)) has no section '\(sectionName)'")
            }
            let ids = Set(sections.map(\.id))
            fields = fields.filter { $0.section.map { ids.contains($0.id) } ?? false }
            files = files.filter { $0.section.map { ids.contains($0.id) } ?? false }
        }
        var matching = fields.filter { $0.id == name }
        if matching.isEmpty { matching = fields.filter { ($0.label ?? "").caseInsensitiveCompare(name) == .orderedSame } }
        switch matching.count {
        case 1:
            guard let value = matching[0].value, !value.isEmpty else {
                throw unavailable(reference, "field '\(name)' of item '\(item.title)' (\(item.id)) is empty")
            }
            return value
        case 0:
            let file = files.first { $0.id == name || $0.name.caseInsensitiveCompare(name) == .orderedSame }
            guard let file else {
                throw unavailable(reference, "item '\(item.title)' (\(item.id)) has no field or file '\(name)'")
            }
            let bytes = try await client.files(in: vault.id, item: item.id).content(file.id, logger: logger)
            guard let text = String(bytes: bytes, encoding: .utf8), !text.isEmpty else {
                throw unavailable(reference, "file '\(file.name)' of item '\(item.title)' (\(item.id)) is empty or not UTF-8 text")
            }
            return Secret(text)
        default:
            let sections = matching.map { $0.section?.id ?? "no section" }.joined(separator: ", ")
            throw unavailable(
                reference, "item '\(item.title)' (\(item.id)) has \(matching.count) fields labelled '\(name)' (sections \(sections)); name the section")
        }
    }

    /// Whether `text` has the shape of a 1Password ID (26 lowercase base32 characters).
    static func looksLikeID(_ text: String) -> Bool {
        text.count == 26 && text.allSatisfy { ($0.isASCII && $0.isLowercase && $0.isLetter) || ($0.isASCII && $0.isNumber) }
    }

    private func unavailable(_ reference: CredentialReference, _ message: String) -> HomelabError {
        HomelabError(.secretUnavailable, "\(reference): \(message)", component: "onepassword")
    }
}
