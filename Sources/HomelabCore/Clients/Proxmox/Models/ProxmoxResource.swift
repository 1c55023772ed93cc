extension Proxmox {
    /// One entry of `GET /cluster/resources`: a node, a guest (QEMU VM or LXC container), a storage, a pool or
    /// an SDN zone: the best single inventory call.
    public struct Resource: Codable, Sendable, Hashable {
        /// `qemu/101`, `lxc/200`, `node/pve1`, `storage/pve1/local`, ...
        public var id: String
        /// What it is.
        public var type: ResourceType
        /// The node it is on (for nodes, its own name).
        public var node: String?
        /// [guest] Its ID.
        public var vmid: Int?
        /// [guest] Its name.
        public var name: String?
        /// `running`, `stopped`, `online`, `available`, ...
        public var status: String?
        /// CPU utilisation, 0...maxcpu.
        public var cpu: Double?
        /// CPUs available.
        public var maxcpu: Double?
        /// Memory used, in bytes.
        public var mem: Int64?
        /// Memory available, in bytes.
        public var maxmem: Int64?
        /// Disk (or storage) used, in bytes.
        public var disk: Int64?
        /// Disk (or storage) size, in bytes.
        public var maxdisk: Int64?
        /// Seconds since it started.
        public var uptime: Int64?
        /// [guest] Whether it is a template.
        public var template: Bool?
        /// [guest] Tags, `;`-separated.
        public var tags: String?
        /// [guest] HA state, when HA manages it.
        public var hastate: String?
        /// [guest] The config lock held, if any (`backup`, `clone`, ...).
        public var lock: String?
        /// The pool it belongs to.
        public var pool: String?
        /// [storage] The storage's name.
        public var storage: String?
        /// [storage] Content types, comma-separated.
        public var content: String?
        /// [storage] Whether every node shares it.
        public var shared: Bool?
        /// [storage] Its plugin type (`dir`, `lvmthin`, `zfspool`, ...).
        public var plugintype: String?
        /// [guest] Bytes received since start.
        public var netin: Int64?
        /// [guest] Bytes sent since start.
        public var netout: Int64?
        /// [guest] Bytes read from its disks since start.
        public var diskread: Int64?
        /// [guest] Bytes written to its disks since start.
        public var diskwrite: Int64?

        /// The kind of a cluster resource.
        public enum ResourceType: LenientEnum {
            /// A cluster node.
            case node
            /// A QEMU VM.
            case qemu
            /// An LXC container.
            case lxc
            /// A storage on a node.
            case storage
            /// A resource pool.
            case pool
            /// An SDN zone.
            case sdn
            /// An OpenVZ container (old releases).
            case openvz
            /// A value this SDK does not know yet, kept verbatim.
            case unknown(String)
            /// Every case this SDK knows.
            public static let knownCases: [ResourceType] = [.node, .qemu, .lxc, .storage, .pool, .sdn, .openvz]
            /// The spelling on the wire.
            public var rawValue: String {
                switch self {
                case .node: return "node"
                case .qemu: return "qemu"
                case .lxc: return "lxc"
                case .storage: return "storage"
                case .pool: return "pool"
                case .sdn: return "sdn"
                case .openvz: return "openvz"
                case .unknown(let value): return value
                }
            }
        }

        private enum CodingKeys: String, CodingKey {
            case id, type, node, vmid, name, status, cpu, maxcpu, mem, maxmem, disk, maxdisk, uptime, template, tags,
                hastate, lock, pool, storage, content, shared, plugintype, netin, netout, diskread, diskwrite
        }

        /// A resource value.
        public init(id: String, type: ResourceType) {
            self.id = id
            self.type = type
        }

        /// Reads a resource leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = c.proxmoxString(.id) ?? ""
            type = try c.decode(ResourceType.self, forKey: .type)
            node = c.proxmoxString(.node)
            vmid = c.proxmoxInt(.vmid)
            name = c.proxmoxString(.name)
            status = c.proxmoxString(.status)
            cpu = c.proxmoxDouble(.cpu)
            maxcpu = c.proxmoxDouble(.maxcpu)
            mem = c.proxmoxInt64(.mem)
            maxmem = c.proxmoxInt64(.maxmem)
            disk = c.proxmoxInt64(.disk)
            maxdisk = c.proxmoxInt64(.maxdisk)
            uptime = c.proxmoxInt64(.uptime)
            template = c.proxmoxBool(.template)
            tags = c.proxmoxString(.tags)
            hastate = c.proxmoxString(.hastate)
            lock = c.proxmoxString(.lock)
            pool = c.proxmoxString(.pool)
            storage = c.proxmoxString(.storage)
            content = c.proxmoxString(.content)
            shared = c.proxmoxBool(.shared)
            plugintype = c.proxmoxString(.plugintype)
            netin = c.proxmoxInt64(.netin)
            netout = c.proxmoxInt64(.netout)
            diskread = c.proxmoxInt64(.diskread)
            diskwrite = c.proxmoxInt64(.diskwrite)
        }
    }
}
