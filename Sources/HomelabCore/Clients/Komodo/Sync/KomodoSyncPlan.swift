import Foundation
import Logging

/// What running a resource file as a ResourceSync would change in Komodo: resources to create, to update (field by
/// field), and, when the sync deletes, to delete. Computed here from the file and the live resources, without asking
/// Komodo to run anything.
///
/// Only the fields the file sets are compared (plus `description` and `tags` when given); a stack's `server` and
/// `swarm` name a resource whose live value is an ID, and are compared by name. Lists written as one string are
/// compared as lists.
public struct KomodoSyncPlan: Sendable, Hashable {
    /// What happens to one resource.
    public enum Action: String, Sendable, Hashable, Codable {
        case create, update, delete
    }

    /// One field whose value changes.
    public struct FieldChange: Sendable, Hashable {
        /// `config.server`, `description`, `tags`.
        public var field: String
        /// The live value (`nil`: unset).
        public var current: String?
        /// The file's value.
        public var proposed: String?
    }

    /// One resource's change.
    public struct Change: Sendable, Hashable {
        /// `stack`, `server`, `resource_sync`, `procedure`.
        public var kind: String
        /// Its name.
        public var name: String
        /// Create, update or delete.
        public var action: Action
        /// For updates: the fields that change.
        public var fields: [FieldChange]
    }

    /// The live resources a plan compares with.
    public struct Live: Sendable, Hashable {
        /// Per kind, by name: the whole resource (configuration included) for those the file names, a bare one
        /// (name only) for the rest.
        public var resources: [String: [String: Komodo.Resource]]
        /// Server names by ID.
        public var serverNames: [String: String]
        /// Swarm names by ID.
        public var swarmNames: [String: String]

        /// A live state.
        public init(resources: [String: [String: Komodo.Resource]], serverNames: [String: String] = [:], swarmNames: [String: String] = [:]) {
            self.resources = resources
            self.serverNames = serverNames
            self.swarmNames = swarmNames
        }
    }

    /// The changes, creates first, then updates, then deletes; by kind and name within each.
    public var changes: [Change]

    /// Whether nothing would change.
    public var isEmpty: Bool { changes.isEmpty }

    /// The kinds a plan covers and the list/get request types that read them.
    static let kinds: [(kind: String, list: String, get: String, parameter: String)] = [
        ("server", "ListServers", "GetServer", "server"), ("stack", "ListStacks", "GetStack", "stack"),
        ("resource_sync", "ListResourceSyncs", "GetResourceSync", "sync"), ("procedure", "ListProcedures", "GetProcedure", "procedure"),
    ]

    /// Compares `file` with `live`. `deleteMissing` (the sync's `delete` setting) plans deletes for live resources
    /// of the file's kinds that the file does not declare.
    public static func compute(file: KomodoResourceFile, live: Live, deleteMissing: Bool = false) -> KomodoSyncPlan {
        var changes: [Change] = []
        for (kind, _, _, _) in kinds {
            let declared = file.resources(kind)
            let current = live.resources[kind] ?? [:]
            for resource in declared where !resource.name.isEmpty {
                guard let existing = current[resource.name] else {
                    changes.append(Change(kind: kind, name: resource.name, action: .create, fields: []))
                    continue
                }
                let fields = fieldChanges(resource, existing, live: live)
                if !fields.isEmpty { changes.append(Change(kind: kind, name: resource.name, action: .update, fields: fields)) }
            }
            if deleteMissing, !declared.isEmpty {
                let names = Set(declared.map(\.name))
                for name in current.keys.sorted() where !names.contains(name) {
                    changes.append(Change(kind: kind, name: name, action: .delete, fields: []))
                }
            }
        }
        let order: [Action: Int] = [.create: 0, .update: 1, .delete: 2]
        changes.sort { (order[$0.action] ?? 0, $0.kind, $0.name) < (order[$1.action] ?? 0, $1.kind, $1.name) }
        return KomodoSyncPlan(changes: changes)
    }

    /// Reads what ``compute(file:live:deleteMissing:)`` needs: each kind's names, and the whole resource of every
    /// one the file declares; server names (and swarm names) for IDs.
    /// - Throws: ``HomelabError`` from the reads.
    public static func readLive(for file: KomodoResourceFile, from client: KomodoClient, logger: Logger? = nil) async throws -> Live {
        var live = Live(resources: [:])
        for server in try await client.servers.list(logger: logger) { live.serverNames[server.id] = server.name }
        if let swarms = try? await client.list("ListSwarms", as: Komodo.ListItem<EmptyObject>.self, logger: logger).collect() {
            for swarm in swarms { live.swarmNames[swarm.id] = swarm.name }
        }
        for (kind, list, get, parameter) in kinds {
            let declared = Set(file.resources(kind).map(\.name))
            guard !declared.isEmpty else { continue }
            var byName: [String: Komodo.Resource] = [:]
            for item in try await client.list(list, as: Komodo.ListItem<EmptyObject>.self, logger: logger).collect() {
                if declared.contains(item.name) {
                    byName[item.name] = try await client.read(get, [parameter: .string(item.id)], as: Komodo.Resource.self, logger: logger)
                } else {
                    byName[item.name] = Komodo.Resource(id: item.id, name: item.name, tags: item.tags)
                }
            }
            live.resources[kind] = byName
        }
        return live
    }

    static func fieldChanges(_ resource: KomodoResourceFile.Resource, _ existing: Komodo.Resource, live: Live) -> [FieldChange] {
        var fields: [FieldChange] = []
        if let description = resource.description, description != (existing.description ?? "") {
            fields.append(FieldChange(field: "description", current: existing.description.map { "\"\($0)\"" }, proposed: "\"\(description)\""))
        }
        let config = existing.config ?? [:]
        for key in resource.config.keys.sorted() {
            guard let proposed = resource.config[key] else { continue }
            var current: Komodo.ConfigValue?
            switch (resource.kind, key) {
            case ("stack", "server"), ("stack", "server_id"):
                current = config["server_id"].flatMap { Komodo.ConfigValue(json: $0) }.map { value in
                    value.text.flatMap { live.serverNames[$0] }.map(Komodo.ConfigValue.string) ?? value
                }
            case ("stack", "swarm"), ("stack", "swarm_id"):
                current = config["swarm_id"].flatMap { Komodo.ConfigValue(json: $0) }.map { value in
                    value.text.flatMap { live.swarmNames[$0] }.map(Komodo.ConfigValue.string) ?? value
                }
            default:
                current = config[key].flatMap { Komodo.ConfigValue(json: $0) }
            }
            if !same(proposed, current) {
                fields.append(FieldChange(field: "config.\(key)", current: current.map(shown), proposed: shown(proposed)))
            }
        }
        return fields
    }

    /// Equal as Komodo would store them: a string list written as one string equals the list; numbers by value;
    /// text compared without trailing whitespace per line; an empty value equals an unset one.
    static func same(_ proposed: Komodo.ConfigValue, _ current: Komodo.ConfigValue?) -> Bool {
        guard let current else { return isEmpty(proposed) }
        switch (proposed, current) {
        case (.string(let text), .array):
            return same(.array(KomodoResourceFile.stringList(.string(text)).map(Komodo.ConfigValue.string)), current)
        case (.array(let items), .string(let text)) where items.allSatisfy({ $0.text != nil }):
            return normalized(items.compactMap(\.text).joined(separator: "\n")) == normalized(text)
        case (.string(let a), .string(let b)): return normalized(a) == normalized(b)
        case (.integer(let a), .number(let b)): return Double(a) == b
        case (.number(let a), .integer(let b)): return a == Double(b)
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        case (.table(let a), .table(let b)):
            return a.allSatisfy { key, value in same(value, b[key]) }
        default: return proposed == current
        }
    }

    private static func isEmpty(_ value: Komodo.ConfigValue) -> Bool {
        switch value {
        case .string(let text): return text.isEmpty
        case .array(let items): return items.isEmpty
        case .table(let fields): return fields.isEmpty
        case .bool(let value): return !value
        default: return false
        }
    }

    private static func normalized(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "\n")
    }

    private static func shown(_ value: Komodo.ConfigValue) -> String {
        let text = value.description
        return text.count > 120 ? String(text.prefix(120)) + "…" : text
    }
}
