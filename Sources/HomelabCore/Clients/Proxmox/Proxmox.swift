/// Proxmox VE's models, named as its API (`/api2/json`) names them: `Proxmox.Node`, `Proxmox.VM`,
/// `Proxmox.TaskStatus`, `Proxmox.UPID`, ...
///
/// Proxmox writes booleans as `0`/`1` and some numbers as strings; the models read either. Fields a newer
/// server adds are ignored, enum values it adds are kept as `.unknown`.
public enum Proxmox {}

extension Proxmox {
    /// Every answer of `/api2/json`: `{"data": ...}` (lists sometimes add `total`).
    struct Envelope<Value: Decodable>: Decodable {
        let data: Value
    }

    /// An answer whose `data` may be `null` (synchronous writes).
    struct OptionalEnvelope<Value: Decodable>: Decodable {
        let data: Value?
    }
}

/// Lenient readers for Proxmox's loosely typed JSON: numbers as strings, booleans as 0/1.
extension KeyedDecodingContainer {
    /// An integer sent as a number (possibly with a fraction) or a numeric string; `nil` when absent or not numeric.
    func proxmoxInt(_ key: Key) -> Int? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Double.self, forKey: key), value.isFinite,
            abs(value) < 9.2e18
        {
            return Int(value)
        }
        if let text = try? decodeIfPresent(String.self, forKey: key) { return Int(text) ?? Double(text).map { Int($0) } }
        return nil
    }

    /// A 64-bit count (bytes) sent as a number or a numeric string.
    func proxmoxInt64(_ key: Key) -> Int64? {
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Double.self, forKey: key), value.isFinite, abs(value) < 9.2e18 {
            return Int64(value)
        }
        if let text = try? decodeIfPresent(String.self, forKey: key) { return Int64(text) }
        return nil
    }

    /// A number sent as a number or a numeric string.
    func proxmoxDouble(_ key: Key) -> Double? {
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return value }
        if let text = try? decodeIfPresent(String.self, forKey: key) { return Double(text) }
        return nil
    }

    /// A boolean sent as `0`/`1`, `true`/`false` or their strings.
    func proxmoxBool(_ key: Key) -> Bool? {
        if let value = try? decodeIfPresent(Bool.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value != 0 }
        if let text = try? decodeIfPresent(String.self, forKey: key) { return ["1", "true", "yes", "on"].contains(text.lowercased()) }
        return nil
    }

    /// A string, or a number written as text (Proxmox sends some IDs either way).
    func proxmoxString(_ key: Key) -> String? {
        if let value = try? decodeIfPresent(String.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return String(value) }
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return String(value) }
        return nil
    }
}
