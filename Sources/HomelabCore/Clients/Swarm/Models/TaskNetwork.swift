extension Swarm {
    /// A network as a task attachment shows it: SwarmKit's network object (`ID`, `Spec`,
    /// `DriverState`, `IPAMOptions`), a different shape from ``Network`` of `GET /networks`.
    public struct TaskNetwork: Codable, Sendable, Hashable {
        /// The network ID.
        public var id: String?
        /// The network object's version.
        public var version: ObjectVersion?
        /// When it was created (RFC 3339).
        public var createdAt: String?
        /// When it last changed (RFC 3339).
        public var updatedAt: String?
        /// What was asked for.
        public var spec: TaskNetworkSpec?
        /// The driver in use and its options.
        public var driverState: DriverConfig?
        /// The address management in use.
        public var ipamOptions: IPAMOptions?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            id: String? = nil,
            version: ObjectVersion? = nil,
            createdAt: String? = nil,
            updatedAt: String? = nil,
            spec: TaskNetworkSpec? = nil,
            driverState: DriverConfig? = nil,
            ipamOptions: IPAMOptions? = nil
        ) {
            self.id = id
            self.version = version
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.spec = spec
            self.driverState = driverState
            self.ipamOptions = ipamOptions
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case version = "Version"
            case createdAt = "CreatedAt"
            case updatedAt = "UpdatedAt"
            case spec = "Spec"
            case driverState = "DriverState"
            case ipamOptions = "IPAMOptions"
        }
    }
}

extension Swarm {
    /// The spec of a network attached to a task.
    public struct TaskNetworkSpec: Codable, Sendable, Hashable {
        /// The network name.
        public var name: String?
        /// Network labels.
        public var labels: [String: String]?
        /// The driver asked for.
        public var driverConfiguration: DriverConfig?
        /// Whether IPv6 is on.
        public var ipv6Enabled: Bool?
        /// Whether it has no outside connectivity.
        public var isInternal: Bool?
        /// Whether standalone containers may attach.
        public var attachable: Bool?
        /// Whether it is the routing-mesh ingress network.
        public var ingress: Bool?
        /// The address management asked for.
        public var ipamOptions: IPAMOptions?
        /// The network scope.
        public var scope: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil,
            labels: [String: String]? = nil,
            driverConfiguration: DriverConfig? = nil,
            ipv6Enabled: Bool? = nil,
            isInternal: Bool? = nil,
            attachable: Bool? = nil,
            ingress: Bool? = nil,
            ipamOptions: IPAMOptions? = nil,
            scope: String? = nil
        ) {
            self.name = name
            self.labels = labels
            self.driverConfiguration = driverConfiguration
            self.ipv6Enabled = ipv6Enabled
            self.isInternal = isInternal
            self.attachable = attachable
            self.ingress = ingress
            self.ipamOptions = ipamOptions
            self.scope = scope
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case labels = "Labels"
            case driverConfiguration = "DriverConfiguration"
            case ipv6Enabled = "IPv6Enabled"
            case isInternal = "Internal"
            case attachable = "Attachable"
            case ingress = "Ingress"
            case ipamOptions = "IPAMOptions"
            case scope = "Scope"
        }
    }
}

extension Swarm {
    /// A swarm network's address management (SwarmKit's shape).
    public struct IPAMOptions: Codable, Sendable, Hashable {
        /// The IPAM driver.
        public var driver: DriverConfig?
        /// Subnets and gateways.
        public var configs: [IPAMConfig]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(driver: DriverConfig? = nil, configs: [IPAMConfig]? = nil) {
            self.driver = driver
            self.configs = configs
        }

        enum CodingKeys: String, CodingKey {
            case driver = "Driver"
            case configs = "Configs"
        }
    }
}
