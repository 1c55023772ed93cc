import Foundation

/// Keeps the fields this SDK's models do not know when an object read from a server is written back whole.
///
/// Docker's `POST /services/{id}/update`, Caddy's `PUT /config/...` and Proxmox's config writes replace the whole
/// object, so a field the typed model dropped on decoding (one added by a newer server) would be erased by a
/// read-modify-write. The merge puts back every object key that the raw answer had, that the model's own round
/// trip lost, and that the caller's modified value does not set. Keys the model knows follow the caller's value
/// exactly (setting one to `nil` removes it). Arrays are taken from the caller's value as they are.
public enum UnknownFields {
    /// The caller's `modified` value as JSON, with the unknown fields of `raw` (the object as the server sent it,
    /// from `JSONSerialization`) kept.
    /// - Throws: ``HomelabError/Code/invalidArgument`` (tagged with `component`) when it cannot be encoded.
    public static func preserving<Value: Codable>(
        _ modified: Value, raw: Any?, path: String, component: String
    ) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            let modifiedData = try encoder.encode(modified)
            guard let raw, JSONSerialization.isValidJSONObject(raw) else { return [UInt8](modifiedData) }
            let rawData = try JSONSerialization.data(withJSONObject: raw)
            let roundTrip = try JSONSerialization.jsonObject(with: encoder.encode(JSONDecoder().decode(Value.self, from: rawData)))
            let merged = merge(raw: raw, roundTrip: roundTrip, modified: try JSONSerialization.jsonObject(with: modifiedData))
            return [UInt8](try JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys]))
        } catch {
            throw HomelabError(
                .invalidArgument,
                "the body for \(path) could not be encoded: \(Redaction.redactText(String(describing: error)))",
                component: component)
        }
    }

    static func merge(raw: Any, roundTrip: Any?, modified: Any) -> Any {
        guard let modifiedObject = modified as? [String: Any], let rawObject = raw as? [String: Any] else { return modified }
        let known = roundTrip as? [String: Any] ?? [:]
        var result = modifiedObject
        for (key, rawValue) in rawObject {
            if let knownValue = known[key] {
                if let value = modifiedObject[key] {
                    result[key] = merge(raw: rawValue, roundTrip: knownValue, modified: value)
                }
            } else if modifiedObject[key] == nil {
                result[key] = rawValue
            }
        }
        return result
    }
}
