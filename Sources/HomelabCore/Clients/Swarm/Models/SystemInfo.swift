extension Swarm {
    /// The engine and host summary from `GET /info` (the fields a homelab uses; the rest are ignored).
    public struct SystemInfo: Codable, Sendable, Hashable {
        /// The engine's unique ID.
        public var id: String?
        /// The host name.
        public var name: String?
        /// The engine version.
        public var serverVersion: String?
        /// The host OS, e.g. `Debian GNU/Linux 12 (bookworm)`.
        public var operatingSystem: String?
        /// The host OS version.
        public var osVersion: String?
        /// `linux` or `windows`.
        public var osType: String?
        /// The host architecture, e.g. `x86_64`.
        public var architecture: String?
        /// The host kernel version.
        public var kernelVersion: String?
        /// Logical CPUs.
        public var ncpu: Int?
        /// Physical memory in bytes.
        public var memTotal: Int64?
        /// Containers on the host.
        public var containers: Int?
        /// Running containers.
        public var containersRunning: Int?
        /// Paused containers.
        public var containersPaused: Int?
        /// Stopped containers.
        public var containersStopped: Int?
        /// Images on the host.
        public var images: Int?
        /// The storage driver.
        public var driver: String?
        /// The engine's data folder.
        public var dockerRootDir: String?
        /// The default log driver.
        public var loggingDriver: String?
        /// The cgroup driver.
        public var cgroupDriver: String?
        /// The cgroup version, `1` or `2`.
        public var cgroupVersion: String?
        /// The host clock (RFC 3339 with nanoseconds): compare to detect clock skew.
        public var systemTime: String?
        /// Engine labels, `key=value`.
        public var labels: [String]?
        /// Whether experimental features are on.
        public var experimentalBuild: Bool?
        /// Whether containers survive an engine restart.
        public var liveRestoreEnabled: Bool?
        /// This node's swarm membership.
        public var swarm: SwarmInfo?
        /// Configuration warnings from the engine.
        public var warnings: [String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            id: String? = nil,
            name: String? = nil,
            serverVersion: String? = nil,
            operatingSystem: String? = nil,
            osVersion: String? = nil,
            osType: String? = nil,
            architecture: String? = nil,
            kernelVersion: String? = nil,
            ncpu: Int? = nil,
            memTotal: Int64? = nil,
            containers: Int? = nil,
            containersRunning: Int? = nil,
            containersPaused: Int? = nil,
            containersStopped: Int? = nil,
            images: Int? = nil,
            driver: String? = nil,
            dockerRootDir: String? = nil,
            loggingDriver: String? = nil,
            cgroupDriver: String? = nil,
            cgroupVersion: String? = nil,
            systemTime: String? = nil,
            labels: [String]? = nil,
            experimentalBuild: Bool? = nil,
            liveRestoreEnabled: Bool? = nil,
            swarm: SwarmInfo? = nil,
            warnings: [String]? = nil
        ) {
            self.id = id
            self.name = name
            self.serverVersion = serverVersion
            self.operatingSystem = operatingSystem
            self.osVersion = osVersion
            self.osType = osType
            self.architecture = architecture
            self.kernelVersion = kernelVersion
            self.ncpu = ncpu
            self.memTotal = memTotal
            self.containers = containers
            self.containersRunning = containersRunning
            self.containersPaused = containersPaused
            self.containersStopped = containersStopped
            self.images = images
            self.driver = driver
            self.dockerRootDir = dockerRootDir
            self.loggingDriver = loggingDriver
            self.cgroupDriver = cgroupDriver
            self.cgroupVersion = cgroupVersion
            self.systemTime = systemTime
            self.labels = labels
            self.experimentalBuild = experimentalBuild
            self.liveRestoreEnabled = liveRestoreEnabled
            self.swarm = swarm
            self.warnings = warnings
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case name = "Name"
            case serverVersion = "ServerVersion"
            case operatingSystem = "OperatingSystem"
            case osVersion = "OSVersion"
            case osType = "OSType"
            case architecture = "Architecture"
            case kernelVersion = "KernelVersion"
            case ncpu = "NCPU"
            case memTotal = "MemTotal"
            case containers = "Containers"
            case containersRunning = "ContainersRunning"
            case containersPaused = "ContainersPaused"
            case containersStopped = "ContainersStopped"
            case images = "Images"
            case driver = "Driver"
            case dockerRootDir = "DockerRootDir"
            case loggingDriver = "LoggingDriver"
            case cgroupDriver = "CgroupDriver"
            case cgroupVersion = "CgroupVersion"
            case systemTime = "SystemTime"
            case labels = "Labels"
            case experimentalBuild = "ExperimentalBuild"
            case liveRestoreEnabled = "LiveRestoreEnabled"
            case swarm = "Swarm"
            case warnings = "Warnings"
        }
    }
}

extension Swarm {
    /// A node's swarm membership, as `GET /info` shows it.
    public struct SwarmInfo: Codable, Sendable, Hashable {
        /// This node's ID; empty outside a swarm.
        public var nodeID: String?
        /// This node's address in the swarm.
        public var nodeAddr: String?
        /// Whether this node is in a swarm.
        public var localNodeState: LocalNodeState?
        /// Whether this node is a manager (swarm API calls work here).
        public var controlAvailable: Bool?
        /// The swarm error, when the state is `error`.
        public var error: String?
        /// The managers this node knows.
        public var remoteManagers: [PeerNode]?
        /// Nodes in the swarm (managers only).
        public var nodes: Int?
        /// Managers in the swarm (managers only).
        public var managers: Int?
        /// The swarm itself (managers only).
        public var cluster: ClusterInfo?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            nodeID: String? = nil,
            nodeAddr: String? = nil,
            localNodeState: LocalNodeState? = nil,
            controlAvailable: Bool? = nil,
            error: String? = nil,
            remoteManagers: [PeerNode]? = nil,
            nodes: Int? = nil,
            managers: Int? = nil,
            cluster: ClusterInfo? = nil
        ) {
            self.nodeID = nodeID
            self.nodeAddr = nodeAddr
            self.localNodeState = localNodeState
            self.controlAvailable = controlAvailable
            self.error = error
            self.remoteManagers = remoteManagers
            self.nodes = nodes
            self.managers = managers
            self.cluster = cluster
        }

        enum CodingKeys: String, CodingKey {
            case nodeID = "NodeID"
            case nodeAddr = "NodeAddr"
            case localNodeState = "LocalNodeState"
            case controlAvailable = "ControlAvailable"
            case error = "Error"
            case remoteManagers = "RemoteManagers"
            case nodes = "Nodes"
            case managers = "Managers"
            case cluster = "Cluster"
        }
    }
}

extension Swarm {
    /// A manager another node knows about.
    public struct PeerNode: Codable, Sendable, Hashable {
        /// The manager's node ID.
        public var nodeID: String?
        /// Its cluster address, `ip:2377`.
        public var addr: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(nodeID: String? = nil, addr: String? = nil) {
            self.nodeID = nodeID
            self.addr = addr
        }

        enum CodingKeys: String, CodingKey {
            case nodeID = "NodeID"
            case addr = "Addr"
        }
    }
}

extension Swarm {
    /// Whether the engine is part of a swarm.
    ///
    /// Docker may send an empty string, which arrives as `.unknown("")`.
    public enum LocalNodeState: LenientEnum {
        /// Not in a swarm.
        case inactive
        /// Joining.
        case pending
        /// In a swarm.
        case active
        /// In an error state (see ``SwarmInfo/error``).
        case error
        /// Autolocked: waiting for the unlock key.
        case locked
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [LocalNodeState] = [.inactive, .pending, .active, .error, .locked]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .inactive: return "inactive"
            case .pending: return "pending"
            case .active: return "active"
            case .error: return "error"
            case .locked: return "locked"
            case .unknown(let value): return value
            }
        }
    }
}
