extension Proxmox {
    /// One entry of `GET /nodes`: a cluster node with its load and the fingerprint of its certificate.
    public struct Node: Codable, Sendable, Hashable {
        /// The node's name (`pve1`).
        public var node: String
        /// `online`, `offline` or `unknown`.
        public var status: NodeState
        /// CPU utilisation, 0...1.
        public var cpu: Double?
        /// CPUs.
        public var maxcpu: Int?
        /// Memory used, in bytes.
        public var mem: Int64?
        /// Memory, in bytes.
        public var maxmem: Int64?
        /// Root disk used, in bytes.
        public var disk: Int64?
        /// Root disk size, in bytes.
        public var maxdisk: Int64?
        /// Seconds since boot.
        public var uptime: Int64?
        /// Subscription level.
        public var level: String?
        /// The SHA-256 fingerprint of its certificate, as `pvenode cert info` shows it (`AB:CD:...`).
        public var sslFingerprint: String?

        /// A node's state.
        public enum NodeState: LenientEnum {
            /// Up and in the cluster.
            case online
            /// Down or unreachable.
            case offline
            /// A value this SDK does not know yet, kept verbatim.
            case unknown(String)
            /// Every case this SDK knows.
            public static let knownCases: [NodeState] = [.online, .offline]
            /// The spelling on the wire.
            public var rawValue: String {
                switch self {
                case .online: return "online"
                case .offline: return "offline"
                case .unknown(let value): return value
                }
            }
        }

        private enum CodingKeys: String, CodingKey {
            case node, status, cpu, maxcpu, mem, maxmem, disk, maxdisk, uptime, level
            case sslFingerprint = "ssl_fingerprint"
        }

        /// A node value.
        public init(node: String, status: NodeState) {
            self.node = node
            self.status = status
        }

        /// Reads a node leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            node = c.proxmoxString(.node) ?? ""
            status = (try? c.decodeIfPresent(NodeState.self, forKey: .status)) ?? .unknown("unknown")
            cpu = c.proxmoxDouble(.cpu)
            maxcpu = c.proxmoxInt(.maxcpu)
            mem = c.proxmoxInt64(.mem)
            maxmem = c.proxmoxInt64(.maxmem)
            disk = c.proxmoxInt64(.disk)
            maxdisk = c.proxmoxInt64(.maxdisk)
            uptime = c.proxmoxInt64(.uptime)
            level = c.proxmoxString(.level)
            sslFingerprint = c.proxmoxString(.sslFingerprint)
        }
    }

    /// `GET /nodes/{node}/status`: a node's details.
    public struct NodeStatus: Codable, Sendable, Hashable {
        /// CPU utilisation, 0...1.
        public var cpu: Double?
        /// Memory in bytes.
        public var memory: Usage?
        /// Root file system in bytes.
        public var rootfs: Usage?
        /// Seconds since boot.
        public var uptime: Int64?
        /// The `pve-manager` version string.
        public var pveversion: String?
        /// The kernel version string.
        public var kversion: String?
        /// Load averages (1, 5, 15 minutes), as the server writes them.
        public var loadavg: [String]?

        /// Used, free and total bytes.
        public struct Usage: Codable, Sendable, Hashable {
            /// Total bytes.
            public var total: Int64?
            /// Used bytes.
            public var used: Int64?
            /// Free bytes.
            public var free: Int64?

            private enum CodingKeys: String, CodingKey { case total, used, free }

            /// Reads a usage leniently.
            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                total = c.proxmoxInt64(.total)
                used = c.proxmoxInt64(.used)
                free = c.proxmoxInt64(.free)
            }
        }

        private enum CodingKeys: String, CodingKey { case cpu, memory, rootfs, uptime, pveversion, kversion, loadavg }

        /// Reads a status leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            cpu = c.proxmoxDouble(.cpu)
            memory = try? c.decodeIfPresent(Usage.self, forKey: .memory)
            rootfs = try? c.decodeIfPresent(Usage.self, forKey: .rootfs)
            uptime = c.proxmoxInt64(.uptime)
            pveversion = c.proxmoxString(.pveversion)
            kversion = c.proxmoxString(.kversion)
            loadavg = try? c.decodeIfPresent([String].self, forKey: .loadavg)
        }
    }
}
