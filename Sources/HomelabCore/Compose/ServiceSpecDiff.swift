import Foundation

/// A per-field comparison of a live service spec (as Docker returns it) with a desired one (as converted
/// from a compose file).
///
/// Both sides are first normalised (see the defaults listed on ``between(live:desired:networkNames:)``), so an
/// unchanged compose file gives no change against the spec Docker stores after `docker stack deploy`. Lists
/// are compared by identity, not position: `Env` by variable name, `Mounts` by target, `Secrets`/`Configs`
/// by name, `Networks` by target, `Ports` by published:target/protocol; constraints, hosts and capabilities as
/// sets. Values of environment variables and labels whose names look secret (``Redaction/isSecretName(_:)``)
/// are shown as `<redacted>`.
public enum ServiceSpecDiff {
    /// The changes that would turn `live` into `desired`, in field order; empty when they are equivalent.
    ///
    /// Treated as equal: what Docker fills in by itself (replicas 1, SwarmKit's update, rollback and restart
    /// defaults, `Runtime: container`, `Isolation: default`, `EndpointSpec.Mode: vip`, empty objects, `false`,
    /// zero durations), and what the desired spec leaves to Docker (`ForceUpdate`, `Placement.Platforms`,
    /// secret/config IDs, an image digest Docker pinned).
    /// - Parameter networkNames: network ID → name, to compare the live spec's network IDs with the desired
    ///   names; without it, attachments to networks given by ID show as changes.
    public static func between(live: Swarm.ServiceSpec, desired: Swarm.ServiceSpec, networkNames: [String: String] = [:]) -> [FieldChange] {
        let (normalisedLive, normalisedDesired) = ServiceSpecNormalisation.normalised(
            live: live, desired: desired, networkNames: networkNames)
        guard let old = json(normalisedLive), let new = json(normalisedDesired) else {
            return [FieldChange(path: "", kind: .changed, old: "a spec that cannot be encoded", new: "a spec that cannot be encoded")]
        }
        var differ = Differ()
        differ.compare(pruned(old, key: ""), pruned(new, key: ""), path: "", key: "")
        return differ.changes
    }

    // MARK: JSON form

    private static func json(_ spec: Swarm.ServiceSpec) -> JSONValue? {
        guard let data = try? JSONEncoder().encode(spec) else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Keys whose object value is user data (names chosen by people), compared entry by entry.
    static let mapKeys: Set<String> = ["Labels", "Sysctls", "DriverOpts", "Options"]
    /// Service modes whose empty object is the whole value.
    private static let modeKeys: Set<String> = ["Global", "GlobalJob"]
    /// Keys whose zero is not the same as absent after normalisation.
    private static let meaningfulZeroKeys: Set<String> = [
        "Replicas", "MaxConcurrent", "TotalCompletions", "Parallelism", "ForceUpdate", "Delay", "Monitor",
        "MaxFailureRatio", "MaxAttempts", "Window",
    ]

    /// The value without nulls, `false`, empty strings, empty lists and objects, and zeros that mean "absent";
    /// entries of user maps are kept as they are.
    static func pruned(_ value: JSONValue, key: String) -> JSONValue? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag ? value : nil
        case .string(let text): return text.isEmpty ? nil : value
        case .integer(let number): return number == 0 && !meaningfulZeroKeys.contains(key) ? nil : value
        case .number(let number): return number == 0 && !meaningfulZeroKeys.contains(key) ? nil : value
        case .array(let items):
            let kept = items.compactMap { pruned($0, key: "") }
            return kept.isEmpty ? nil : .array(kept)
        case .object(let object):
            if mapKeys.contains(key) { return object.isEmpty ? nil : value }
            // The mode's key is the information: `{"Global": {}}`.
            if modeKeys.contains(key) { return value }
            var kept: [String: JSONValue] = [:]
            for (name, child) in object {
                if let child = pruned(child, key: name) { kept[name] = child }
            }
            return kept.isEmpty ? nil : .object(kept)
        }
    }
}

/// Walks two pruned JSON trees and collects changes.
private struct Differ {
    var changes: [FieldChange] = []

    /// String lists compared as sets.
    static let setKeys: Set<String> = [
        "Constraints", "Hosts", "CapabilityAdd", "CapabilityDrop", "Groups", "Aliases", "Nameservers", "Search", "Options",
    ]
    /// For object lists compared by an identifying field: how to name an entry.
    static func identity(for key: String) -> ((JSONValue) -> String)? {
        switch key {
        case "Mounts", "Networks": return { field($0, "Target") }
        case "Secrets": return { field($0, "SecretName") + ":" + field(field: $0, "File", "Name") }
        case "Configs": return { field($0, "ConfigName") + ":" + field(field: $0, "File", "Name") }
        case "Ulimits": return { field($0, "Name") }
        case "Ports": return { "\(field($0, "PublishedPort")):\(field($0, "TargetPort"))/\(field($0, "Protocol"))" }
        default: return nil
        }
    }
    static let durationKeys: Set<String> = [
        "Delay", "Monitor", "Window", "Interval", "Timeout", "StartPeriod", "StartInterval", "StopGracePeriod",
    ]

    mutating func compare(_ old: JSONValue?, _ new: JSONValue?, path: String, key: String) {
        guard old != new else { return }
        if key == "Mode", let oldMode = old?.objectValue, let newMode = new?.objectValue, Set(oldMode.keys) != Set(newMode.keys) {
            changes.append(FieldChange(path: path, kind: .changed, old: text(.object(oldMode), key: key), new: text(.object(newMode), key: key)))
            return
        }
        if key == "Env" {
            return compareEnvironment(old?.stringItems ?? [], new?.stringItems ?? [], path: path)
        }
        if ServiceSpecDiff.mapKeys.contains(key), old?.objectValue != nil || new?.objectValue != nil {
            return compareMap(old?.objectValue ?? [:], new?.objectValue ?? [:], path: path)
        }
        if Self.setKeys.contains(key), old?.isStringList ?? true, new?.isStringList ?? true {
            let oldItems = old?.stringItems ?? []
            let newItems = new?.stringItems ?? []
            for item in oldItems where !newItems.contains(item) { changes.append(FieldChange(path: path, kind: .removed, old: item)) }
            for item in newItems where !oldItems.contains(item) { changes.append(FieldChange(path: path, kind: .added, new: item)) }
            return
        }
        if let identify = Self.identity(for: key), old?.arrayValue != nil || new?.arrayValue != nil {
            return compareList(old?.arrayValue ?? [], new?.arrayValue ?? [], path: path, identify: identify)
        }
        if old?.objectValue != nil || new?.objectValue != nil, old?.objectValue != nil || old == nil,
            new?.objectValue != nil || new == nil
        {
            let oldObject = old?.objectValue ?? [:]
            let newObject = new?.objectValue ?? [:]
            for name in Set(oldObject.keys).union(newObject.keys).sorted() {
                compare(oldObject[name], newObject[name], path: path.isEmpty ? name : "\(path).\(name)", key: name)
            }
            return
        }
        changes.append(FieldChange(path: path, kind: .changed, old: old.map { text($0, key: key) }, new: new.map { text($0, key: key) }))
    }

    private mutating func compareEnvironment(_ old: [String], _ new: [String], path: String) {
        func split(_ items: [String]) -> [(name: String, entry: String)] {
            items.map { (String($0.split(separator: "=", maxSplits: 1).first ?? ""), $0) }
        }
        let oldEntries = split(old)
        let newEntries = split(new)
        let oldByName = Dictionary(oldEntries.map { ($0.name, $0.entry) }, uniquingKeysWith: { a, _ in a })
        let newByName = Dictionary(newEntries.map { ($0.name, $0.entry) }, uniquingKeysWith: { a, _ in a })
        for (name, entry) in oldEntries where newByName[name] == nil {
            changes.append(FieldChange(path: path, kind: .removed, old: Self.redactedVariable(entry)))
        }
        for (name, entry) in newEntries {
            if let previous = oldByName[name] {
                if previous != entry {
                    changes.append(
                        FieldChange(
                            path: "\(path)[\(name)]", kind: .changed, old: Self.redactedValue(of: previous),
                            new: Self.redactedValue(of: entry)))
                }
            } else {
                changes.append(FieldChange(path: path, kind: .added, new: Self.redactedVariable(entry)))
            }
        }
    }

    private mutating func compareMap(_ old: [String: JSONValue], _ new: [String: JSONValue], path: String) {
        for name in Set(old.keys).union(new.keys).sorted() {
            let secret = Redaction.isSecretName(name)
            let show = { (value: JSONValue) in secret ? Redaction.placeholder : Self.plain(value) }
            switch (old[name], new[name]) {
            case (let was?, nil): changes.append(FieldChange(path: path, kind: .removed, old: "\(name)=\(show(was))"))
            case (nil, let now?): changes.append(FieldChange(path: path, kind: .added, new: "\(name)=\(show(now))"))
            case (let was?, let now?) where was != now:
                changes.append(FieldChange(path: "\(path)[\(name)]", kind: .changed, old: show(was), new: show(now)))
            default: break
            }
        }
    }

    private mutating func compareList(_ old: [JSONValue], _ new: [JSONValue], path: String, identify: (JSONValue) -> String) {
        let oldByID = Dictionary(old.map { (identify($0), $0) }, uniquingKeysWith: { a, _ in a })
        let newByID = Dictionary(new.map { (identify($0), $0) }, uniquingKeysWith: { a, _ in a })
        for item in old where newByID[identify(item)] == nil {
            changes.append(FieldChange(path: path, kind: .removed, old: text(item, key: "")))
        }
        for item in new {
            let id = identify(item)
            if let previous = oldByID[id] {
                compare(previous, item, path: "\(path)[\(id)]", key: "")
            } else {
                changes.append(FieldChange(path: path, kind: .added, new: text(item, key: "")))
            }
        }
    }

    // MARK: Text

    private func text(_ value: JSONValue, key: String) -> String {
        if Self.durationKeys.contains(key), case .integer(let nanoseconds) = value {
            return Swarm.Nanoseconds(nanoseconds: nanoseconds).description
        }
        switch value {
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
            return "[" + items.compactMap(\.stringValue).joined(separator: ", ") + "]"
        case .array, .object:
            return Self.compactJSON(Self.redacted(value, key: key))
        default:
            return Self.plain(value)
        }
    }

    static func plain(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .string(let text): return text
        case .array, .object: return compactJSON(value)
        }
    }

    /// A copy with secret-like environment values and map entries replaced.
    private static func redacted(_ value: JSONValue, key: String) -> JSONValue {
        switch value {
        case .array(let items) where key == "Env":
            return .array(items.map { item in item.stringValue.map { .string(redactedVariable($0)) } ?? item })
        case .array(let items):
            return .array(items.map { redacted($0, key: "") })
        case .object(let object):
            var copy: [String: JSONValue] = [:]
            for (name, child) in object {
                if ServiceSpecDiff.mapKeys.contains(key), Redaction.isSecretName(name) {
                    copy[name] = .string(Redaction.placeholder)
                } else {
                    copy[name] = redacted(child, key: name)
                }
            }
            return .object(copy)
        default:
            return value
        }
    }

    private static func compactJSON(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "?" }
        return String(decoding: data, as: UTF8.self)
    }

    /// `NAME=value`, with the value redacted when the name looks secret.
    static func redactedVariable(_ entry: String) -> String {
        let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, Redaction.isSecretName(String(parts[0])) else { return entry }
        return "\(parts[0])=\(Redaction.placeholder)"
    }

    /// The value of `NAME=value` (redacted when the name looks secret); `(no value)` for a bare `NAME`.
    static func redactedValue(of entry: String) -> String {
        let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "(no value)" }
        return Redaction.isSecretName(String(parts[0])) ? Redaction.placeholder : String(parts[1])
    }

    private static func field(_ value: JSONValue, _ name: String) -> String {
        value.objectValue?[name].map(plain) ?? "-"
    }

    private static func field(field value: JSONValue, _ name: String, _ inner: String) -> String {
        value.objectValue?[name].map { field($0, inner) } ?? "-"
    }
}

extension JSONValue {
    fileprivate var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    fileprivate var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    fileprivate var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    fileprivate var stringItems: [String]? {
        arrayValue?.compactMap(\.stringValue)
    }

    /// Whether this is a list holding only strings.
    fileprivate var isStringList: Bool {
        arrayValue?.allSatisfy { $0.stringValue != nil } ?? false
    }
}
