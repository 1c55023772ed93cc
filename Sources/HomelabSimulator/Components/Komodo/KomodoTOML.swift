import Foundation
import HomelabCore

/// The simulated Core's TOML (`ExportAllResourcesToToml`, the sync's diffs): one `[[kind]]` block per resource
/// with its name and a `[kind.config]` table, IDs replaced by names as Komodo exports them.
enum KomodoTOML {
    static func stack(_ stack: KomodoCore.Stack, swarm: String) -> String {
        var config = stack.config
        config["swarm_id"] = nil
        config["server_id"] = nil
        config["swarm"] = .string(swarm)
        return block("stack", name: stack.name, extra: ["deploy": .bool(true)], config: config)
    }

    static func procedure(_ procedure: (name: String, config: [String: JSONValue])) -> String {
        block("procedure", name: procedure.name, config: procedure.config)
    }

    static func server(name: String, address: String) -> String {
        block("server", name: name, config: ["address": .string(address), "region": .string("home"), "enabled": .bool(true)])
    }

    static func sync(name: String, config: [String: JSONValue]) -> String {
        block("resource_sync", name: name, config: config)
    }

    static func block(_ kind: String, name: String, extra: [String: JSONValue] = [:], config: [String: JSONValue]) -> String {
        var lines = ["[[\(kind)]]", "name = \(value(.string(name)))"]
        for key in extra.keys.sorted() { if let item = extra[key] { lines.append("\(key) = \(value(item))") } }
        lines.append("")
        lines.append("[\(kind).config]")
        for key in config.keys.sorted() {
            guard let item = config[key], item != .null else { continue }
            lines.append("\(key) = \(value(item))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A TOML value: multi-line strings as `"""`, tables inline.
    static func value(_ json: JSONValue) -> String {
        switch json {
        case .null: return "\"\""
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .string(let text):
            if text.contains("\n") && !text.contains("\"\"\"") && !text.contains("\\") { return "\"\"\"\n" + text + "\"\"\"" }
            var escaped = ""
            for character in text {
                switch character {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\t": escaped += "\\t"
                default: escaped.append(character)
                }
            }
            return "\"" + escaped + "\""
        case .array(let items): return "[" + items.map(value).joined(separator: ", ") + "]"
        case .object(let fields):
            let parts = fields.keys.sorted().compactMap { key in fields[key].map { "\(key) = \(value($0))" } }
            return "{ " + parts.joined(separator: ", ") + " }"
        }
    }
}
