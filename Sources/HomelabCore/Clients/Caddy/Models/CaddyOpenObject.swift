import Foundation

/// Coding for Caddy's open objects: the keys a model names are decoded into its fields, every other key is kept
/// verbatim in its `other` dictionary and written back as it came.
enum CaddyOpenObject {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The keys of the object being decoded that are not in `known`, with their values.
    /// - Throws: `DecodingError` when the value is not an object.
    static func other(from decoder: any Decoder, known: Set<String>) throws -> [String: JSONValue] {
        let container = try decoder.container(keyedBy: AnyKey.self)
        var other: [String: JSONValue] = [:]
        for key in container.allKeys where !known.contains(key.stringValue) {
            other[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        return other
    }

    /// Writes `other`'s keys into the object being encoded.
    static func encode(_ other: [String: JSONValue], to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for (key, value) in other { try container.encode(value, forKey: AnyKey(key)) }
    }
}
