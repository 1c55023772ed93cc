extension Proxmox {
    /// One entry of `GET /cluster/status`: the cluster itself or one of its nodes.
    public struct ClusterStatusEntry: Codable, Sendable, Hashable {
        /// `cluster` or `node`.
        public var type: EntryType
        /// `cluster` or `node/<name>`.
        public var id: String
        /// The cluster's or node's name.
        public var name: String
        /// [node] Whether the node is online.
        public var online: Bool?
        /// [node] Whether this node answered the request.
        public var local: Bool?
        /// [node] Its corosync node ID.
        public var nodeid: Int?
        /// [node] Subscription level (`c`, `b`, `s`, `p`, or empty).
        public var level: String?
        /// [node] Its IP address.
        public var ip: String?
        /// [cluster] Whether a majority of nodes is online.
        public var quorate: Bool?
        /// [cluster] How many nodes the cluster has.
        public var nodes: Int?
        /// [cluster] The corosync configuration's version.
        public var version: Int?

        /// The kind of a status entry.
        public enum EntryType: LenientEnum {
            /// The cluster itself.
            case cluster
            /// One of its nodes.
            case node
            /// A value this SDK does not know yet, kept verbatim.
            case unknown(String)
            /// Every case this SDK knows.
            public static let knownCases: [EntryType] = [.cluster, .node]
            /// The spelling on the wire.
            public var rawValue: String {
                switch self {
                case .cluster: return "cluster"
                case .node: return "node"
                case .unknown(let value): return value
                }
            }
        }

        private enum CodingKeys: String, CodingKey {
            case type, id, name, online, local, nodeid, level, ip, quorate, nodes, version
        }

        /// A status entry.
        public init(type: EntryType, id: String, name: String) {
            self.type = type
            self.id = id
            self.name = name
        }

        /// Reads an entry leniently (0/1 booleans, numeric strings).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(EntryType.self, forKey: .type)
            name = c.proxmoxString(.name) ?? ""
            id = c.proxmoxString(.id) ?? (type == .cluster ? "cluster" : "node/\(name)")
            online = c.proxmoxBool(.online)
            local = c.proxmoxBool(.local)
            nodeid = c.proxmoxInt(.nodeid)
            level = c.proxmoxString(.level)
            ip = c.proxmoxString(.ip)
            quorate = c.proxmoxBool(.quorate)
            nodes = c.proxmoxInt(.nodes)
            version = c.proxmoxInt(.version)
        }
    }
}
