import ArgumentParser
import Foundation
import HomelabCore
import Yams

/// JSON and YAML for scripts: one encoding of a command's document, so both formats always agree.
public enum StructuredOutput {
    /// `value` as pretty-printed JSON (sorted keys, ISO 8601 dates, no escaped slashes) or as the same document in
    /// YAML (keys sorted; strings that would read as another type are quoted).
    /// - Throws: an encoding failure; `ValidationError` for a format that is not structured.
    public static func encode<Value: Encodable>(_ value: Value, as format: OutputFormat) throws -> String {
        let json = try jsonData(value)
        switch format {
        case .json: return String(decoding: json, as: UTF8.self)
        case .yaml:
            let document = try JSONDecoder().decode(JSONValue.self, from: json)
            var text = try Yams.serialize(node: node(document), sortKeys: true)
            while text.hasSuffix("\n") { text.removeLast() }
            return text
        case .table, .wide, .mermaid: throw ValidationError("\(format.rawValue) is not a structured format")
        }
    }

    /// `value` as JSON bytes: pretty-printed, sorted keys, ISO 8601 dates.
    /// - Throws: an encoding failure.
    public static func jsonData<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }

    private static func node(_ value: JSONValue) throws -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let value): return .scalar(value.represented())
        case .integer(let value): return .scalar(value.represented())
        case .number(let value): return .scalar(value.represented())
        case .string(let value): return .scalar(value.represented())
        case .array(let items): return Node(try items.map { try node($0) })
        case .object(let members):
            let pairs: [(Node, Node)] = try members.sorted { $0.key < $1.key }.map { member in
                let key: Node = .scalar(member.key.represented())
                return (key, try node(member.value))
            }
            return Node(pairs)
        }
    }
}
