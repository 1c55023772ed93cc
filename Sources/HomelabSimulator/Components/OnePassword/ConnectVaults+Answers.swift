import Foundation
import HomelabCore
import Hummingbird

/// A Connect error answer: `{"status": N, "message": "..."}`.
struct ConnectAPIError: SimulatedAPIError {
    let code: Int
    let message: String
    var status: HTTPResponse.Status { HTTPResponse.Status(code: code) }
}

extension ConnectVaults {
    static let iso = Date.ISO8601FormatStyle()

    func vaultJSON(_ vault: Vault) -> JSONValue {
        .object([
            "id": .string(vault.id), "name": .string(vault.name), "description": .string(vault.description),
            "attributeVersion": .integer(1), "contentVersion": .integer(Int64(vault.contentVersion)),
            "items": .integer(Int64(items.filter { $0.vault == vault.id }.count)), "type": .string("USER_CREATED"),
            "createdAt": .string(vault.created.formatted(Self.iso)), "updatedAt": .string(vault.updated.formatted(Self.iso)),
        ])
    }

    func itemJSON(_ item: Item, full: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(item.id), "title": .string(item.title), "vault": .object(["id": .string(item.vault)]),
            "category": .string(item.category), "tags": .array(item.tags.map { .string($0) }), "version": .integer(Int64(item.version)),
            "favorite": .bool(false), "lastEditedBy": .string("SIMULATEDUSER0000000000000"),
            "createdAt": .string(item.created.formatted(Self.iso)), "updatedAt": .string(item.updated.formatted(Self.iso)),
        ]
        guard full else { return .object(object) }
        object["sections"] = .array(item.sections.map { .object(["id": .string($0.id), "label": .string($0.label)]) })
        object["fields"] = .array(item.fields.map { field in
            var entry: [String: JSONValue] = [
                "id": .string(field.id), "label": .string(field.label), "type": .string(field.type), "purpose": .string(field.purpose),
                "value": .string(field.value),
            ]
            if let section = field.section { entry["section"] = .object(["id": .string(section)]) }
            if field.type == "CONCEALED" { entry["entropy"] = .number(Double(field.value.count) * 5.95) }
            return .object(entry)
        })
        if !item.files.isEmpty { object["files"] = .array(item.files.map { fileJSON(item, $0) }) }
        return .object(object)
    }

    func fileJSON(_ item: Item, _ file: (id: String, name: String, section: String?, content: [UInt8])) -> JSONValue {
        var entry: [String: JSONValue] = [
            "id": .string(file.id), "name": .string(file.name), "size": .integer(Int64(file.content.count)),
            "content_path": .string("v1/vaults/\(item.vault)/items/\(item.id)/files/\(file.id)/content"),
        ]
        if let section = file.section { entry["section"] = .object(["id": .string(section)]) }
        return .object(entry)
    }

    func healthJSON() -> JSONValue {
        .object([
            "name": .string("1Password Connect API"), "version": .string(version),
            "dependencies": .array([
                .object(["service": .string("sync"), "status": .string("ACTIVE")]),
                .object(["service": .string("sqlite"), "status": .string("ACTIVE"), "message": .string("Connected to ./1password.sqlite")]),
            ]),
        ])
    }

    /// The value of a SCIM `ATTRIBUTE eq "VALUE"` filter, or `nil` when `filter` filters on something else.
    /// - Throws: ``ConnectAPIError`` 400 for a filter that is not of that form.
    static func equals(_ filter: String, attribute: String) throws -> String? {
        let trimmed = filter.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " ") else { throw ConnectAPIError(code: 400, message: "Invalid filter") }
        let name = String(trimmed[..<space])
        let rest = trimmed[space...].trimmingCharacters(in: .whitespaces)
        guard rest.lowercased().hasPrefix("eq "), name == attribute || name == "tag" else {
            throw ConnectAPIError(code: 400, message: "Invalid filter: only \(attribute) eq \"...\" is supported")
        }
        var value = rest.dropFirst(3).trimmingCharacters(in: .whitespaces)
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { throw ConnectAPIError(code: 400, message: "Invalid filter value") }
        value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
        return name == attribute ? value : nil
    }

    func count(_ kind: String) { reads[kind, default: 0] += 1 }

    // MARK: Operations

    func listVaults(filter: String?) throws -> JSONValue {
        count("vaults")
        var list = vaults
        if let filter, let name = try Self.equals(filter, attribute: "name") { list = list.filter { $0.name == name } }
        return .array(list.map { vaultJSON($0) })
    }

    func vault(_ id: String) throws -> Vault {
        guard let vault = vaults.first(where: { $0.id == id }) else { throw ConnectAPIError(code: 404, message: "vault \(id) not found") }
        return vault
    }

    func listItems(vault id: String, filter: String?) throws -> JSONValue {
        count("items")
        _ = try vault(id)
        var list = items.filter { $0.vault == id }
        if let filter {
            if let title = try Self.equals(filter, attribute: "title") {
                list = list.filter { $0.title == title }
            } else if filter.hasPrefix("tag") {
                let tag = filter.split(separator: "\"").dropFirst().first.map(String.init) ?? ""
                list = list.filter { $0.tags.contains(tag) }
            }
        }
        return .array(list.map { itemJSON($0, full: false) })
    }

    func item(vault: String, id: String) throws -> Item {
        _ = try self.vault(vault)
        guard let item = items.first(where: { $0.vault == vault && $0.id == id }) else {
            throw ConnectAPIError(code: 404, message: "item \(id) not found")
        }
        return item
    }

    func getItem(vault: String, id: String) throws -> JSONValue {
        count("item")
        return itemJSON(try item(vault: vault, id: id), full: true)
    }

    /// Creates (`id` nil) or replaces an item from a request body.
    func saveItem(vault vaultID: String, id: String?, body: JSONValue) throws -> JSONValue {
        _ = try vault(vaultID)
        guard case .object(let object) = body else { throw ConnectAPIError(code: 400, message: "Invalid item") }
        guard case .object(let vaultRef)? = object["vault"], case .string(let bodyVault)? = vaultRef["id"], bodyVault == vaultID else {
            throw ConnectAPIError(code: 400, message: "The item's vault does not match the path's")
        }
        let categories = ["LOGIN", "PASSWORD", "API_CREDENTIAL", "SERVER", "DATABASE", "SECURE_NOTE", "SSH_KEY", "CUSTOM", "DOCUMENT"]
        guard case .string(let category)? = object["category"], categories.contains(category) else {
            throw ConnectAPIError(code: 400, message: "Invalid item category")
        }
        var title = ""
        if case .string(let value)? = object["title"] { title = value }
        var tags: [String] = []
        if case .array(let list)? = object["tags"] { tags = list.compactMap { if case .string(let tag) = $0 { return tag } else { return nil } } }
        var sections: [(id: String, label: String)] = []
        if case .array(let list)? = object["sections"] {
            for case .object(let section) in list {
                guard case .string(let sectionID)? = section["id"] else { continue }
                var label = sectionID
                if case .string(let text)? = section["label"] { label = text }
                sections.append((id: sectionID, label: label))
            }
        }
        var fields: [Field] = []
        if case .array(let list)? = object["fields"] {
            for case .object(let entry) in list {
                func text(_ key: String) -> String? { if case .string(let value)? = entry[key] { return value } else { return nil } }
                var value = text("value") ?? ""
                if case .bool(true)? = entry["generate"] {
                    var length = 32
                    if case .object(let recipe)? = entry["recipe"], case .integer(let wanted)? = recipe["length"] {
                        guard (1...64).contains(wanted) else { throw ConnectAPIError(code: 400, message: "Invalid recipe length") }
                        length = Int(wanted)
                    }
                    value = Self.random(length)
                }
                var section: String?
                if case .object(let reference)? = entry["section"], case .string(let sectionID)? = reference["id"] { section = sectionID }
                fields.append(Field(
                    id: text("id") ?? makeID(), label: text("label") ?? "", type: text("type") ?? "STRING", purpose: text("purpose") ?? "",
                    section: section, value: value))
            }
        }
        let now = Date()
        if let id {
            guard let index = items.firstIndex(where: { $0.vault == vaultID && $0.id == id }) else {
                throw ConnectAPIError(code: 404, message: "item \(id) not found")
            }
            items[index].title = title
            items[index].category = category
            items[index].tags = tags
            items[index].sections = sections
            items[index].fields = fields
            items[index].version += 1
            items[index].updated = now
            return itemJSON(items[index], full: true)
        }
        let item = Item(
            id: makeID(), vault: vaultID, title: title, category: category, tags: tags, version: 1, created: now, updated: now,
            sections: sections, fields: fields, files: [])
        items.append(item)
        return itemJSON(item, full: true)
    }

    func deleteItem(vault: String, id: String) throws {
        _ = try item(vault: vault, id: id)
        items.removeAll { $0.vault == vault && $0.id == id }
    }

    func files(vault: String, item id: String) throws -> JSONValue {
        count("files")
        let item = try item(vault: vault, id: id)
        return .array(item.files.map { fileJSON(item, $0) })
    }

    func file(vault: String, item id: String, file fileID: String) throws -> (JSONValue, [UInt8]) {
        let item = try item(vault: vault, id: id)
        guard let file = item.files.first(where: { $0.id == fileID }) else { throw ConnectAPIError(code: 404, message: "file \(fileID) not found") }
        return (fileJSON(item, file), file.content)
    }
}
