import Foundation

/// TrueNAS SCALE's models (`TrueNAS.Pool`, `TrueNAS.Dataset`, ...), named as its middleware names them.
///
/// Answers are decoded leniently: keys this SDK does not know are ignored, enum values it does not know are kept as
/// `.unknown(...)`. The client is ``TrueNASClient``.
public enum TrueNAS {}

/// Reading and writing TrueNAS's JSON (`snake_case` keys, ejson `{"$date": ms}` timestamps).
enum TrueNASJSON {
    /// Decodes a JSON value as `T`.
    /// - Throws: ``HomelabError/Code/decodingFailed`` naming `what`.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, what: String) throws -> T {
        do {
            let data = try JSONEncoder().encode(value)
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(T.self, from: data)
        } catch {
            throw HomelabError(
                .decodingFailed, "the answer to \(what) does not have the expected shape: \(Redaction.redactText("\(error)"))",
                component: "truenas")
        }
    }

    /// Encodes a value as a JSON value (`snake_case` keys).
    /// - Throws: ``HomelabError/Code/invalidArgument`` when it cannot be encoded.
    static func value<T: Encodable>(_ value: T) throws -> JSONValue {
        do {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            return try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
        } catch {
            throw HomelabError(.invalidArgument, "a TrueNAS request could not be encoded", component: "truenas")
        }
    }

    /// `object[key]` for an object, else nil.
    static func field(_ value: JSONValue?, _ key: String) -> JSONValue? {
        guard case .object(let fields)? = value else { return nil }
        return fields[key]
    }

    /// The text of a string value.
    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    /// The number in a numeric value.
    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let n)?: return Double(n)
        case .number(let d)?: return d
        case .string(let text)?: return Double(text)
        default: return nil
        }
    }

    /// A timestamp: ejson `{"$date": milliseconds}`, seconds since the epoch, or an ISO 8601 text.
    static func date(_ value: JSONValue?) -> Date? {
        if let milliseconds = number(field(value, "$date")) { return Date(timeIntervalSince1970: milliseconds / 1000) }
        if let seconds = number(value) { return Date(timeIntervalSince1970: seconds) }
        if let text = string(value) { return ISO8601DateFormatter().date(from: text) }
        return nil
    }
}
