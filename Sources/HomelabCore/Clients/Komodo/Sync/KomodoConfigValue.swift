import Foundation

extension Komodo {
    /// A configuration value as a resource file writes it or Komodo answers it: TOML's types, no source objects
    /// (so it is `Sendable` and comparable), dates kept as their text.
    public indirect enum ConfigValue: Sendable, Hashable, CustomStringConvertible {
        case string(String)
        case integer(Int64)
        case number(Double)
        case bool(Bool)
        /// A TOML date, time or date-time, as written.
        case datetime(String)
        case array([ConfigValue])
        case table([String: ConfigValue])

        /// The value's type as messages name it (`a string`, `an array`).
        public var typeName: String {
            switch self {
            case .string: return "a string"
            case .integer: return "an integer"
            case .number: return "a number"
            case .bool: return "a boolean"
            case .datetime: return "a date"
            case .array: return "an array"
            case .table: return "a table"
            }
        }

        /// Compact TOML-like text (`"plex"`, `["a", "b"]`, `{ path = "x" }`), for diffs.
        public var description: String {
            switch self {
            case .string(let text):
                let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    .replacingOccurrences(of: "\n", with: "\\n")
                return "\"\(escaped)\""
            case .integer(let value): return String(value)
            case .number(let value): return String(value)
            case .bool(let value): return value ? "true" : "false"
            case .datetime(let text): return text
            case .array(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
            case .table(let fields):
                return "{ " + fields.keys.sorted().map { "\($0) = \(fields[$0]?.description ?? "")" }.joined(separator: ", ") + " }"
            }
        }

        /// The text of a string value.
        public var text: String? {
            if case .string(let text) = self { return text }
            return nil
        }

        /// The fields of a table value.
        public var fields: [String: ConfigValue]? {
            if case .table(let fields) = self { return fields }
            return nil
        }

        /// A JSON value from Komodo as a configuration value (`null` is `nil`).
        public init?(json: JSONValue) {
            switch json {
            case .null: return nil
            case .bool(let value): self = .bool(value)
            case .integer(let value): self = .integer(value)
            case .number(let value): self = .number(value)
            case .string(let value): self = .string(value)
            case .array(let values): self = .array(values.compactMap { ConfigValue(json: $0) })
            case .object(let fields): self = .table(fields.compactMapValues { ConfigValue(json: $0) })
            }
        }
    }
}
