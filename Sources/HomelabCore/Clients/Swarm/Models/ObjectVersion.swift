extension Swarm {
    /// A swarm object's version (`Version.Index`): updates must send the one they read, and a stale
    /// one fails with "update out of sequence".
    public struct ObjectVersion: Codable, Sendable, Hashable, Comparable {
        /// The Raft index of the object's last change; 0 when Docker sent none.
        public var index: UInt64

        /// Wraps an index.
        public init(index: UInt64) { self.index = index }

        enum CodingKeys: String, CodingKey {
            case index = "Index"
        }

        /// Decodes `{"Index": n}`; a missing or `null` index reads as 0.
        /// - Throws: `DecodingError` when the index is not an unsigned integer.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            index = try container.decodeIfPresent(UInt64.self, forKey: .index) ?? 0
        }

        /// Orders by index: a greater index is a later change.
        public static func < (lhs: ObjectVersion, rhs: ObjectVersion) -> Bool { lhs.index < rhs.index }
    }
}
