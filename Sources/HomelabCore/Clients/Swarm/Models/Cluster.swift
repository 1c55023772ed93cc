extension Swarm {
    /// The swarm as a manager's `GET /info` shows it (``SystemInfo/swarm``).
    public struct ClusterInfo: Codable, Sendable, Hashable {
        /// The swarm ID.
        public var id: String?
        /// The version to send with `POST /swarm/update`.
        public var version: ObjectVersion?
        /// When the swarm was initialised (RFC 3339).
        public var createdAt: String?
        /// When it last changed (RFC 3339).
        public var updatedAt: String?
        /// The swarm-wide settings.
        public var spec: SwarmSpec?
        /// The swarm CA's trust root.
        public var tlsInfo: TLSInfo?
        /// Whether a CA rotation is running.
        public var rootRotationInProgress: Bool?
        /// The VXLAN data-path port (4789 by default).
        public var dataPathPort: UInt32?
        /// Address pools for overlay networks, in CIDR form.
        public var defaultAddrPool: [String]?
        /// The prefix length of each overlay network's subnet (24 by default).
        public var subnetSize: UInt32?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            id: String? = nil,
            version: ObjectVersion? = nil,
            createdAt: String? = nil,
            updatedAt: String? = nil,
            spec: SwarmSpec? = nil,
            tlsInfo: TLSInfo? = nil,
            rootRotationInProgress: Bool? = nil,
            dataPathPort: UInt32? = nil,
            defaultAddrPool: [String]? = nil,
            subnetSize: UInt32? = nil
        ) {
            self.id = id
            self.version = version
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.spec = spec
            self.tlsInfo = tlsInfo
            self.rootRotationInProgress = rootRotationInProgress
            self.dataPathPort = dataPathPort
            self.defaultAddrPool = defaultAddrPool
            self.subnetSize = subnetSize
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case version = "Version"
            case createdAt = "CreatedAt"
            case updatedAt = "UpdatedAt"
            case spec = "Spec"
            case tlsInfo = "TLSInfo"
            case rootRotationInProgress = "RootRotationInProgress"
            case dataPathPort = "DataPathPort"
            case defaultAddrPool = "DefaultAddrPool"
            case subnetSize = "SubnetSize"
        }
    }
}

extension Swarm {
    /// The swarm as `GET /swarm` returns it: ``ClusterInfo`` plus the join tokens. Managers only.
    public struct Cluster: Codable, Sendable, Hashable {
        /// The swarm ID.
        public var id: String?
        /// The version to send with `POST /swarm/update`.
        public var version: ObjectVersion?
        /// When the swarm was initialised (RFC 3339).
        public var createdAt: String?
        /// When it last changed (RFC 3339).
        public var updatedAt: String?
        /// The swarm-wide settings.
        public var spec: SwarmSpec?
        /// The swarm CA's trust root.
        public var tlsInfo: TLSInfo?
        /// Whether a CA rotation is running.
        public var rootRotationInProgress: Bool?
        /// The VXLAN data-path port (4789 by default).
        public var dataPathPort: UInt32?
        /// Address pools for overlay networks, in CIDR form.
        public var defaultAddrPool: [String]?
        /// The prefix length of each overlay network's subnet (24 by default).
        public var subnetSize: UInt32?
        /// The tokens other nodes join with (secrets).
        public var joinTokens: JoinTokens?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            id: String? = nil,
            version: ObjectVersion? = nil,
            createdAt: String? = nil,
            updatedAt: String? = nil,
            spec: SwarmSpec? = nil,
            tlsInfo: TLSInfo? = nil,
            rootRotationInProgress: Bool? = nil,
            dataPathPort: UInt32? = nil,
            defaultAddrPool: [String]? = nil,
            subnetSize: UInt32? = nil,
            joinTokens: JoinTokens? = nil
        ) {
            self.id = id
            self.version = version
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.spec = spec
            self.tlsInfo = tlsInfo
            self.rootRotationInProgress = rootRotationInProgress
            self.dataPathPort = dataPathPort
            self.defaultAddrPool = defaultAddrPool
            self.subnetSize = subnetSize
            self.joinTokens = joinTokens
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case version = "Version"
            case createdAt = "CreatedAt"
            case updatedAt = "UpdatedAt"
            case spec = "Spec"
            case tlsInfo = "TLSInfo"
            case rootRotationInProgress = "RootRotationInProgress"
            case dataPathPort = "DataPathPort"
            case defaultAddrPool = "DefaultAddrPool"
            case subnetSize = "SubnetSize"
            case joinTokens = "JoinTokens"
        }
    }
}

extension Swarm {
    /// The body of `POST /swarm/init`.
    public struct SwarmInitRequest: Codable, Sendable, Hashable {
        /// Where to listen for cluster traffic, e.g. `0.0.0.0:2377`.
        public var listenAddr: String?
        /// The address other nodes reach this one at, e.g. `192.0.2.10:2377`.
        public var advertiseAddr: String?
        /// The address or interface for overlay data traffic.
        public var dataPathAddr: String?
        /// The VXLAN port; 4789 when absent.
        public var dataPathPort: UInt32?
        /// Address pools for overlay networks, CIDR.
        public var defaultAddrPool: [String]?
        /// Recover a swarm that lost quorum from this manager's state.
        public var forceNewCluster: Bool?
        /// Prefix length of overlay subnets; 24 when absent.
        public var subnetSize: UInt32?
        /// Initial swarm settings.
        public var spec: SwarmSpec?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            listenAddr: String? = nil,
            advertiseAddr: String? = nil,
            dataPathAddr: String? = nil,
            dataPathPort: UInt32? = nil,
            defaultAddrPool: [String]? = nil,
            forceNewCluster: Bool? = nil,
            subnetSize: UInt32? = nil,
            spec: SwarmSpec? = nil
        ) {
            self.listenAddr = listenAddr
            self.advertiseAddr = advertiseAddr
            self.dataPathAddr = dataPathAddr
            self.dataPathPort = dataPathPort
            self.defaultAddrPool = defaultAddrPool
            self.forceNewCluster = forceNewCluster
            self.subnetSize = subnetSize
            self.spec = spec
        }

        enum CodingKeys: String, CodingKey {
            case listenAddr = "ListenAddr"
            case advertiseAddr = "AdvertiseAddr"
            case dataPathAddr = "DataPathAddr"
            case dataPathPort = "DataPathPort"
            case defaultAddrPool = "DefaultAddrPool"
            case forceNewCluster = "ForceNewCluster"
            case subnetSize = "SubnetSize"
            case spec = "Spec"
        }
    }
}

extension Swarm {
    /// The tokens that let a node join the swarm as a worker or a manager. Both are ``Secret``s.
    public struct JoinTokens: Codable, Sendable, Hashable {
        /// The token for joining as a worker (`SWMTKN-1-...`).
        public var worker: HomelabCore.Secret?
        /// The token for joining as a manager.
        public var manager: HomelabCore.Secret?

        /// Creates a value; both tokens default to absent.
        public init(worker: HomelabCore.Secret? = nil, manager: HomelabCore.Secret? = nil) {
            self.worker = worker
            self.manager = manager
        }

        enum CodingKeys: String, CodingKey {
            case worker = "Worker"
            case manager = "Manager"
        }

        /// Decodes the tokens into ``Secret``s (registering them for redaction).
        /// - Throws: `DecodingError` when a token is not a string.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            worker = try container.decodeSecretIfPresent(forKey: .worker)
            manager = try container.decodeSecretIfPresent(forKey: .manager)
        }

        /// Encodes the tokens in plain text, as the wire needs them.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeSecretIfPresent(worker, forKey: .worker)
            try container.encodeSecretIfPresent(manager, forKey: .manager)
        }
    }
}

extension Swarm {
    /// The body of `POST /swarm/join`. The join token is a ``Secret``.
    public struct SwarmJoinRequest: Codable, Sendable, Hashable {
        /// Where to listen for cluster traffic, e.g. `0.0.0.0:2377` (required).
        public var listenAddr: String
        /// The address other nodes reach this one at.
        public var advertiseAddr: String?
        /// The address or interface for overlay data traffic.
        public var dataPathAddr: String?
        /// Managers already in the swarm, `host:2377` (required).
        public var remoteAddrs: [String]
        /// The worker or manager join token (required).
        public var joinToken: HomelabCore.Secret

        /// Creates a join request.
        public init(
            listenAddr: String, remoteAddrs: [String], joinToken: HomelabCore.Secret, advertiseAddr: String? = nil,
            dataPathAddr: String? = nil
        ) {
            self.listenAddr = listenAddr
            self.advertiseAddr = advertiseAddr
            self.dataPathAddr = dataPathAddr
            self.remoteAddrs = remoteAddrs
            self.joinToken = joinToken
        }

        enum CodingKeys: String, CodingKey {
            case listenAddr = "ListenAddr"
            case advertiseAddr = "AdvertiseAddr"
            case dataPathAddr = "DataPathAddr"
            case remoteAddrs = "RemoteAddrs"
            case joinToken = "JoinToken"
        }

        /// Decodes the wire shape; missing required fields become empty.
        /// - Throws: `DecodingError` when a present field has the wrong type.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            listenAddr = try container.decodeIfPresent(String.self, forKey: .listenAddr) ?? ""
            advertiseAddr = try container.decodeIfPresent(String.self, forKey: .advertiseAddr)
            dataPathAddr = try container.decodeIfPresent(String.self, forKey: .dataPathAddr)
            remoteAddrs = try container.decodeIfPresent([String].self, forKey: .remoteAddrs) ?? []
            joinToken = try container.decodeSecretIfPresent(forKey: .joinToken) ?? HomelabCore.Secret("")
        }

        /// Encodes the wire shape, revealing the join token only into the JSON.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(listenAddr, forKey: .listenAddr)
            try container.encodeIfPresent(advertiseAddr, forKey: .advertiseAddr)
            try container.encodeIfPresent(dataPathAddr, forKey: .dataPathAddr)
            try container.encode(remoteAddrs, forKey: .remoteAddrs)
            try container.encode(joinToken.reveal(), forKey: .joinToken)
        }
    }
}

extension Swarm {
    /// The swarm unlock key (`GET /swarm/unlockkey`, body of `POST /swarm/unlock`). A ``Secret``.
    public struct SwarmUnlockKey: Codable, Sendable, Hashable {
        /// The key (`SWMKEY-1-...`).
        public var unlockKey: HomelabCore.Secret?

        /// Wraps a key.
        public init(unlockKey: HomelabCore.Secret? = nil) { self.unlockKey = unlockKey }

        enum CodingKeys: String, CodingKey {
            case unlockKey = "UnlockKey"
        }

        /// Decodes the key into a ``Secret``.
        /// - Throws: `DecodingError` when it is not a string.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            unlockKey = try container.decodeSecretIfPresent(forKey: .unlockKey)
        }

        /// Encodes the key in plain text, as the wire needs it.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeSecretIfPresent(unlockKey, forKey: .unlockKey)
        }
    }
}
