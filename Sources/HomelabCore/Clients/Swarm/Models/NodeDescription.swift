extension Swarm {
    /// The Docker engine on a node.
    public struct EngineDescription: Codable, Sendable, Hashable {
        /// Engine version, e.g. `27.3.1`.
        public var engineVersion: String?
        /// Engine labels (daemon `--label`).
        public var labels: [String: String]?
        /// Installed plugins.
        public var plugins: [EnginePlugin]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(engineVersion: String? = nil, labels: [String: String]? = nil, plugins: [EnginePlugin]? = nil) {
            self.engineVersion = engineVersion
            self.labels = labels
            self.plugins = plugins
        }

        enum CodingKeys: String, CodingKey {
            case engineVersion = "EngineVersion"
            case labels = "Labels"
            case plugins = "Plugins"
        }
    }
}

extension Swarm {
    /// A plugin installed on a node's engine.
    public struct EnginePlugin: Codable, Sendable, Hashable {
        /// Plugin kind: `Log`, `Network`, `Volume`, ...
        public var type: String?
        /// Plugin name.
        public var name: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(type: String? = nil, name: String? = nil) {
            self.type = type
            self.name = name
        }

        enum CodingKeys: String, CodingKey {
            case type = "Type"
            case name = "Name"
        }
    }
}

extension Swarm {
    /// A node's state as the managers see it.
    public struct NodeStatus: Codable, Sendable, Hashable {
        /// Ready, down, disconnected or unknown.
        public var state: NodeState?
        /// Why, when not ready.
        public var message: String?
        /// The node's IP address as seen by the managers.
        public var addr: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(state: NodeState? = nil, message: String? = nil, addr: String? = nil) {
            self.state = state
            self.message = message
            self.addr = addr
        }

        enum CodingKeys: String, CodingKey {
            case state = "State"
            case message = "Message"
            case addr = "Addr"
        }
    }
}

extension Swarm {
    /// A node's health as the managers see it.
    ///
    /// Docker's own `unknown` arrives as `.unknown("unknown")`, like any value this SDK does not know.
    public enum NodeState: LenientEnum {
        /// The node is not connected.
        case down
        /// The node is up and can run tasks.
        case ready
        /// The node lost its connection to the managers.
        case disconnected
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [NodeState] = [.down, .ready, .disconnected]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .down: return "down"
            case .ready: return "ready"
            case .disconnected: return "disconnected"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// A manager node's Raft status.
    public struct ManagerStatus: Codable, Sendable, Hashable {
        /// Whether this manager is the Raft leader.
        public var leader: Bool?
        /// Whether the other managers can reach it.
        public var reachability: Reachability?
        /// The manager's cluster address, `ip:2377`.
        public var addr: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(leader: Bool? = nil, reachability: Reachability? = nil, addr: String? = nil) {
            self.leader = leader
            self.reachability = reachability
            self.addr = addr
        }

        enum CodingKeys: String, CodingKey {
            case leader = "Leader"
            case reachability = "Reachability"
            case addr = "Addr"
        }
    }
}

extension Swarm {
    /// Whether a manager is reachable by the other managers.
    ///
    /// Docker's own `unknown` arrives as `.unknown("unknown")`.
    public enum Reachability: LenientEnum {
        /// The other managers cannot reach it: quorum is at risk.
        case unreachable
        /// It takes part in Raft.
        case reachable
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [Reachability] = [.unreachable, .reachable]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .unreachable: return "unreachable"
            case .reachable: return "reachable"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// CPU, memory and generic resources (a node's capacity or a task's reservation).
    public struct ResourceObject: Codable, Sendable, Hashable {
        /// CPU in units of 10⁻⁹ CPUs (1.5 CPUs = 1_500_000_000).
        public var nanoCPUs: Int64?
        /// Memory in bytes.
        public var memoryBytes: Int64?
        /// User-defined resources such as GPUs.
        public var genericResources: [GenericResource]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(nanoCPUs: Int64? = nil, memoryBytes: Int64? = nil, genericResources: [GenericResource]? = nil) {
            self.nanoCPUs = nanoCPUs
            self.memoryBytes = memoryBytes
            self.genericResources = genericResources
        }

        enum CodingKeys: String, CodingKey {
            case nanoCPUs = "NanoCPUs"
            case memoryBytes = "MemoryBytes"
            case genericResources = "GenericResources"
        }
    }
}

extension Swarm {
    /// One user-defined resource: either named (a GPU UUID) or discrete (a count).
    public struct GenericResource: Codable, Sendable, Hashable {
        /// A named resource, e.g. kind `GPU`, value `UUID1`.
        public var namedResourceSpec: NamedResource?
        /// A counted resource, e.g. kind `SSD`, value 3.
        public var discreteResourceSpec: DiscreteResource?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(namedResourceSpec: NamedResource? = nil, discreteResourceSpec: DiscreteResource? = nil) {
            self.namedResourceSpec = namedResourceSpec
            self.discreteResourceSpec = discreteResourceSpec
        }

        enum CodingKeys: String, CodingKey {
            case namedResourceSpec = "NamedResourceSpec"
            case discreteResourceSpec = "DiscreteResourceSpec"
        }
    }
}

extension Swarm {
    /// A named generic resource.
    public struct NamedResource: Codable, Sendable, Hashable {
        /// The resource kind.
        public var kind: String?
        /// Its name.
        public var value: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(kind: String? = nil, value: String? = nil) {
            self.kind = kind
            self.value = value
        }

        enum CodingKeys: String, CodingKey {
            case kind = "Kind"
            case value = "Value"
        }
    }
}

extension Swarm {
    /// A counted generic resource.
    public struct DiscreteResource: Codable, Sendable, Hashable {
        /// The resource kind.
        public var kind: String?
        /// How many.
        public var value: Int64?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(kind: String? = nil, value: Int64? = nil) {
            self.kind = kind
            self.value = value
        }

        enum CodingKeys: String, CodingKey {
            case kind = "Kind"
            case value = "Value"
        }
    }
}

extension Swarm {
    /// The swarm CA's trust root and issuer, as a node or the cluster sees it.
    public struct TLSInfo: Codable, Sendable, Hashable {
        /// The root CA certificate, PEM.
        public var trustRoot: String?
        /// The issuer subject, base64 DER.
        public var certIssuerSubject: String?
        /// The issuer public key, base64 DER.
        public var certIssuerPublicKey: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(trustRoot: String? = nil, certIssuerSubject: String? = nil, certIssuerPublicKey: String? = nil) {
            self.trustRoot = trustRoot
            self.certIssuerSubject = certIssuerSubject
            self.certIssuerPublicKey = certIssuerPublicKey
        }

        enum CodingKeys: String, CodingKey {
            case trustRoot = "TrustRoot"
            case certIssuerSubject = "CertIssuerSubject"
            case certIssuerPublicKey = "CertIssuerPublicKey"
        }
    }
}
