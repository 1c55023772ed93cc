extension TrueNAS {
    /// An NFS export (`sharing.nfs.query`).
    public struct NFSShare: Codable, Sendable, Hashable {
        /// The share's id.
        public var id: Int
        /// The exported path (`/mnt/tank/media`).
        public var path: String
        /// A comment.
        public var comment: String?
        /// Networks allowed (CIDR).
        public var networks: [String]?
        /// Hosts allowed.
        public var hosts: [String]?
        /// Read-only.
        public var ro: Bool?
        /// Whether it is exported.
        public var enabled: Bool?
        /// Whether its dataset is locked (encrypted and not unlocked).
        public var locked: Bool?
        /// Security flavours (`SYS`, `KRB5`, ...).
        public var security: [String]?
        /// Maps root to this user, if set.
        public var maprootUser: String?
    }
}
