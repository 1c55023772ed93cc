extension KeyedDecodingContainer {
    /// Decodes a string field into a ``Secret`` (registering it for redaction); `nil` when absent or `null`.
    func decodeSecretIfPresent(forKey key: Key) throws -> Secret? {
        try decodeIfPresent(String.self, forKey: key).map { Secret($0) }
    }
}

extension KeyedEncodingContainer {
    /// Encodes a ``Secret`` in plain text (the wire needs it); omits it when `nil`.
    mutating func encodeSecretIfPresent(_ secret: Secret?, forKey key: Key) throws {
        if let secret { try encode(secret.reveal(), forKey: key) }
    }
}
