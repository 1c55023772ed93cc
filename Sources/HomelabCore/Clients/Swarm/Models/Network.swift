extension Swarm {
    /// A network as `GET /networks` returns it; swarm networks have driver `overlay` and
    /// scope `swarm`.
    public struct Network: Codable, Sendable, Hashable {
        /// The network name.
        public var name: String?
        /// The network ID.
        public var id: String?
        /// When it was created (RFC 3339).
        public var created: String?
        /// `swarm`, `global` or `local`.
        public var scope: String?
        /// The driver, e.g. `overlay`, `bridge`.
        public var driver: String?
        /// Whether IPv4 is on (API 1.47+).
        public var enableIPv4: Bool?
        /// Whether IPv6 is on.
        public var enableIPv6: Bool?
        /// Address management.
        public var ipam: IPAM?
        /// Whether it has no outside connectivity.
        public var isInternal: Bool?
        /// Whether standalone containers may attach (swarm networks).
        public var attachable: Bool?
        /// Whether it is the routing-mesh ingress network.
        public var ingress: Bool?
        /// The config-only network it takes its settings from.
        public var configFrom: NetworkConfigFrom?
        /// Whether it only holds settings for other networks.
        public var configOnly: Bool?
        /// Driver options.
        public var options: [String: String]?
        /// Network labels.
        public var labels: [String: String]?
        /// Nodes sharing this overlay network.
        public var peers: [PeerInfo]?
        /// Endpoints attached on this engine, keyed by container ID (listings send `{}`; inspect fills it in).
        public var containers: [String: NetworkContainer]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil,
            id: String? = nil,
            created: String? = nil,
            scope: String? = nil,
            driver: String? = nil,
            enableIPv4: Bool? = nil,
            enableIPv6: Bool? = nil,
            ipam: IPAM? = nil,
            isInternal: Bool? = nil,
            attachable: Bool? = nil,
            ingress: Bool? = nil,
            configFrom: NetworkConfigFrom? = nil,
            configOnly: Bool? = nil,
            options: [String: String]? = nil,
            labels: [String: String]? = nil,
            peers: [PeerInfo]? = nil,
            containers: [String: NetworkContainer]? = nil
        ) {
            self.name = name
            self.id = id
            self.created = created
            self.scope = scope
            self.driver = driver
            self.enableIPv4 = enableIPv4
            self.enableIPv6 = enableIPv6
            self.ipam = ipam
            self.isInternal = isInternal
            self.attachable = attachable
            self.ingress = ingress
            self.configFrom = configFrom
            self.configOnly = configOnly
            self.options = options
            self.labels = labels
            self.peers = peers
            self.containers = containers
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case id = "Id"
            case created = "Created"
            case scope = "Scope"
            case driver = "Driver"
            case enableIPv4 = "EnableIPv4"
            case enableIPv6 = "EnableIPv6"
            case ipam = "IPAM"
            case isInternal = "Internal"
            case attachable = "Attachable"
            case ingress = "Ingress"
            case configFrom = "ConfigFrom"
            case configOnly = "ConfigOnly"
            case options = "Options"
            case labels = "Labels"
            case peers = "Peers"
            case containers = "Containers"
        }
    }
}

extension Swarm {
    /// An endpoint attached to a network on this engine.
    public struct NetworkContainer: Codable, Sendable, Hashable {
        /// The container (or load balancer) name.
        public var name: String?
        /// The endpoint ID.
        public var endpointID: String?
        /// The MAC address.
        public var macAddress: String?
        /// The IPv4 address in CIDR form.
        public var ipv4Address: String?
        /// The IPv6 address in CIDR form.
        public var ipv6Address: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil, endpointID: String? = nil, macAddress: String? = nil, ipv4Address: String? = nil,
            ipv6Address: String? = nil
        ) {
            self.name = name
            self.endpointID = endpointID
            self.macAddress = macAddress
            self.ipv4Address = ipv4Address
            self.ipv6Address = ipv6Address
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case endpointID = "EndpointID"
            case macAddress = "MacAddress"
            case ipv4Address = "IPv4Address"
            case ipv6Address = "IPv6Address"
        }
    }
}

extension Swarm {
    /// The body of `POST /networks/create`. For a swarm network use driver `overlay`.
    public struct NetworkCreateRequest: Codable, Sendable, Hashable {
        /// The network name (required).
        public var name: String?
        /// The driver; `bridge` when absent.
        public var driver: String?
        /// `swarm`, `global` or `local`.
        public var scope: String?
        /// No outside connectivity.
        public var isInternal: Bool?
        /// Let standalone containers attach.
        public var attachable: Bool?
        /// Make it the routing-mesh ingress network.
        public var ingress: Bool?
        /// Only hold settings for other networks.
        public var configOnly: Bool?
        /// Take settings from a config-only network.
        public var configFrom: NetworkConfigFrom?
        /// Address management.
        public var ipam: IPAM?
        /// Enable IPv4 (API 1.47+).
        public var enableIPv4: Bool?
        /// Enable IPv6.
        public var enableIPv6: Bool?
        /// Driver options.
        public var options: [String: String]?
        /// Network labels.
        public var labels: [String: String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil,
            driver: String? = nil,
            scope: String? = nil,
            isInternal: Bool? = nil,
            attachable: Bool? = nil,
            ingress: Bool? = nil,
            configOnly: Bool? = nil,
            configFrom: NetworkConfigFrom? = nil,
            ipam: IPAM? = nil,
            enableIPv4: Bool? = nil,
            enableIPv6: Bool? = nil,
            options: [String: String]? = nil,
            labels: [String: String]? = nil
        ) {
            self.name = name
            self.driver = driver
            self.scope = scope
            self.isInternal = isInternal
            self.attachable = attachable
            self.ingress = ingress
            self.configOnly = configOnly
            self.configFrom = configFrom
            self.ipam = ipam
            self.enableIPv4 = enableIPv4
            self.enableIPv6 = enableIPv6
            self.options = options
            self.labels = labels
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case driver = "Driver"
            case scope = "Scope"
            case isInternal = "Internal"
            case attachable = "Attachable"
            case ingress = "Ingress"
            case configOnly = "ConfigOnly"
            case configFrom = "ConfigFrom"
            case ipam = "IPAM"
            case enableIPv4 = "EnableIPv4"
            case enableIPv6 = "EnableIPv6"
            case options = "Options"
            case labels = "Labels"
        }
    }
}

extension Swarm {
    /// The answer to `POST /networks/create`.
    public struct NetworkCreateResponse: Codable, Sendable, Hashable {
        /// The new network's ID.
        public var id: String?
        /// A non-fatal problem.
        public var warning: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(id: String? = nil, warning: String? = nil) {
            self.id = id
            self.warning = warning
        }

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case warning = "Warning"
        }
    }
}

extension Swarm {
    /// A network's address management.
    public struct IPAM: Codable, Sendable, Hashable {
        /// The IPAM driver; `default` when absent.
        public var driver: String?
        /// Subnets and gateways.
        public var config: [IPAMConfig]?
        /// Driver options.
        public var options: [String: String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(driver: String? = nil, config: [IPAMConfig]? = nil, options: [String: String]? = nil) {
            self.driver = driver
            self.config = config
            self.options = options
        }

        enum CodingKeys: String, CodingKey {
            case driver = "Driver"
            case config = "Config"
            case options = "Options"
        }
    }
}

extension Swarm {
    /// One subnet of a network.
    public struct IPAMConfig: Codable, Sendable, Hashable {
        /// The subnet, CIDR.
        public var subnet: String?
        /// The range addresses are allocated from, CIDR.
        public var ipRange: String?
        /// The gateway address.
        public var gateway: String?
        /// Reserved addresses by name.
        public var auxiliaryAddresses: [String: String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            subnet: String? = nil,
            ipRange: String? = nil,
            gateway: String? = nil,
            auxiliaryAddresses: [String: String]? = nil
        ) {
            self.subnet = subnet
            self.ipRange = ipRange
            self.gateway = gateway
            self.auxiliaryAddresses = auxiliaryAddresses
        }

        enum CodingKeys: String, CodingKey {
            case subnet = "Subnet"
            case ipRange = "IPRange"
            case gateway = "Gateway"
            case auxiliaryAddresses = "AuxiliaryAddresses"
        }
    }
}

extension Swarm {
    /// The config-only network a network takes its settings from.
    public struct NetworkConfigFrom: Codable, Sendable, Hashable {
        /// Its name.
        public var network: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(network: String? = nil) {
            self.network = network
        }

        enum CodingKeys: String, CodingKey {
            case network = "Network"
        }
    }
}

extension Swarm {
    /// A node sharing an overlay network.
    public struct PeerInfo: Codable, Sendable, Hashable {
        /// The node's name.
        public var name: String?
        /// The node's address.
        public var ip: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(name: String? = nil, ip: String? = nil) {
            self.name = name
            self.ip = ip
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case ip = "IP"
        }
    }
}
