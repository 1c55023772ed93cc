extension Swarm {
    /// A swarm node as `GET /nodes` and `GET /nodes/{id}` return it.
    public struct Node: Codable, Sendable, Hashable {
        /// The node ID.
        public var id: String?
        /// The version to send back with `POST /nodes/{id}/update`.
        public var version: ObjectVersion?
        /// When the node joined (RFC 3339, see ``Timestamp``).
        public var createdAt: String?
        /// When the node record last changed (RFC 3339).
        public var updatedAt: String?
        /// What the operator asked for: name, labels, role, availability.
        public var spec: NodeSpec?
        /// What the node reports about itself.
        public var description: NodeDescription?
        /// Whether the node is up, as the managers see it.
        public var status: NodeStatus?
        /// Raft membership; absent on workers.
        public var managerStatus: ManagerStatus?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            id: String? = nil,
            version: ObjectVersion? = nil,
            createdAt: String? = nil,
            updatedAt: String? = nil,
            spec: NodeSpec? = nil,
            description: NodeDescription? = nil,
            status: NodeStatus? = nil,
            managerStatus: ManagerStatus? = nil
        ) {
            self.id = id
            self.version = version
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.spec = spec
            self.description = description
            self.status = status
            self.managerStatus = managerStatus
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case version = "Version"
            case createdAt = "CreatedAt"
            case updatedAt = "UpdatedAt"
            case spec = "Spec"
            case description = "Description"
            case status = "Status"
            case managerStatus = "ManagerStatus"
        }
    }
}

extension Swarm {
    /// The writable part of a node; `POST /nodes/{id}/update` replaces it whole.
    public struct NodeSpec: Codable, Sendable, Hashable {
        /// The node name set by the operator.
        public var name: String?
        /// Operator labels, used by placement constraints (`node.labels.x`).
        public var labels: [String: String]?
        /// Worker or manager (promote/demote).
        public var role: NodeRole?
        /// Whether the scheduler may place tasks here (drain/activate).
        public var availability: NodeAvailability?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil,
            labels: [String: String]? = nil,
            role: NodeRole? = nil,
            availability: NodeAvailability? = nil
        ) {
            self.name = name
            self.labels = labels
            self.role = role
            self.availability = availability
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case labels = "Labels"
            case role = "Role"
            case availability = "Availability"
        }
    }
}

extension Swarm {
    /// A node's role in the swarm.
    public enum NodeRole: LenientEnum {
        /// Runs tasks only.
        case worker
        /// Takes part in Raft and serves the swarm API.
        case manager
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [NodeRole] = [.worker, .manager]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .worker: return "worker"
            case .manager: return "manager"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// Whether the scheduler may use a node.
    public enum NodeAvailability: LenientEnum {
        /// New tasks may be scheduled here.
        case active
        /// No new tasks; running tasks stay.
        case pause
        /// No tasks: running ones are moved elsewhere.
        case drain
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [NodeAvailability] = [.active, .pause, .drain]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .active: return "active"
            case .pause: return "pause"
            case .drain: return "drain"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// What a node reports about itself.
    public struct NodeDescription: Codable, Sendable, Hashable {
        /// The host name.
        public var hostname: String?
        /// Operating system and architecture.
        public var platform: Platform?
        /// CPU, memory and generic resources available.
        public var resources: ResourceObject?
        /// The Docker engine version, labels and plugins.
        public var engine: EngineDescription?
        /// The node's view of the swarm CA.
        public var tlsInfo: TLSInfo?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            hostname: String? = nil,
            platform: Platform? = nil,
            resources: ResourceObject? = nil,
            engine: EngineDescription? = nil,
            tlsInfo: TLSInfo? = nil
        ) {
            self.hostname = hostname
            self.platform = platform
            self.resources = resources
            self.engine = engine
            self.tlsInfo = tlsInfo
        }

        enum CodingKeys: String, CodingKey {
            case hostname = "Hostname"
            case platform = "Platform"
            case resources = "Resources"
            case engine = "Engine"
            case tlsInfo = "TLSInfo"
        }
    }
}

extension Swarm {
    /// An operating system and CPU architecture pair.
    public struct Platform: Codable, Sendable, Hashable {
        /// CPU architecture, e.g. `x86_64`, `aarch64`.
        public var architecture: String?
        /// Operating system, e.g. `linux`.
        public var os: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(architecture: String? = nil, os: String? = nil) {
            self.architecture = architecture
            self.os = os
        }

        enum CodingKeys: String, CodingKey {
            case architecture = "Architecture"
            case os = "OS"
        }
    }
}
