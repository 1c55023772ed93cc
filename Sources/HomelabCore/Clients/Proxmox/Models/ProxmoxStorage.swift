extension Proxmox {
    /// A storage as one node sees it (`GET /nodes/{node}/storage`).
    public struct Storage: Codable, Sendable, Hashable {
        /// Its name (`local`, `local-lvm`).
        public var storage: String
        /// Its plugin type (`dir`, `lvmthin`, `zfspool`, `nfs`, ...).
        public var type: String?
        /// Content types, comma-separated (`images,rootdir`).
        public var content: String?
        /// Whether it is active on this node.
        public var active: Bool?
        /// Whether it is enabled.
        public var enabled: Bool?
        /// Whether every node shares it.
        public var shared: Bool?
        /// Size in bytes.
        public var total: Int64?
        /// Used bytes.
        public var used: Int64?
        /// Available bytes.
        public var avail: Int64?
        /// Used / total.
        public var usedFraction: Double?

        private enum CodingKeys: String, CodingKey {
            case storage, type, content, active, enabled, shared, total, used, avail
            case usedFraction = "used_fraction"
        }

        /// Reads a storage leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            storage = c.proxmoxString(.storage) ?? ""
            type = c.proxmoxString(.type)
            content = c.proxmoxString(.content)
            active = c.proxmoxBool(.active)
            enabled = c.proxmoxBool(.enabled)
            shared = c.proxmoxBool(.shared)
            total = c.proxmoxInt64(.total)
            used = c.proxmoxInt64(.used)
            avail = c.proxmoxInt64(.avail)
            usedFraction = c.proxmoxDouble(.usedFraction)
        }
    }

    /// One volume on a storage (`GET /nodes/{node}/storage/{storage}/content`).
    public struct StorageVolume: Codable, Sendable, Hashable {
        /// The volume ID (`local-lvm:vm-101-disk-0`).
        public var volid: String
        /// Its content type (`images`, `iso`, `vztmpl`, `backup`, ...).
        public var content: String?
        /// Its format (`raw`, `qcow2`, `iso`, ...).
        public var format: String?
        /// Size in bytes.
        public var size: Int64?
        /// Bytes used, when the storage knows.
        public var used: Int64?
        /// The guest it belongs to.
        public var vmid: Int?
        /// Creation time (seconds since 1970).
        public var ctime: Int64?

        private enum CodingKeys: String, CodingKey { case volid, content, format, size, used, vmid, ctime }

        /// Reads a volume leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            volid = c.proxmoxString(.volid) ?? ""
            content = c.proxmoxString(.content)
            format = c.proxmoxString(.format)
            size = c.proxmoxInt64(.size)
            used = c.proxmoxInt64(.used)
            vmid = c.proxmoxInt(.vmid)
            ctime = c.proxmoxInt64(.ctime)
        }
    }
}
