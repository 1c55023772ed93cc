extension Swarm {
    /// What each task of a service runs (`TaskTemplate`): the container, resources,
    /// restart policy, placement, networks and log driver.
    public struct TaskSpec: Codable, Sendable, Hashable {
        /// A plugin to run instead of a container (rare; exclusive with `containerSpec`).
        public var pluginSpec: PluginSpec?
        /// The container each task runs.
        public var containerSpec: ContainerSpec?
        /// Set by Docker for network-attachment tasks; read-only.
        public var networkAttachmentSpec: NetworkAttachmentSpec?
        /// CPU and memory limits and reservations.
        public var resources: ResourceRequirements?
        /// When a stopped task is restarted.
        public var restartPolicy: RestartPolicy?
        /// Where tasks may run.
        public var placement: Placement?
        /// A counter: changing it forces an update even when nothing else changed.
        public var forceUpdate: UInt64?
        /// The runtime type (`container`, `plugin`, `attachment`).
        public var runtime: String?
        /// Networks the tasks join.
        public var networks: [NetworkAttachmentConfig]?
        /// The log driver and its options; the engine default when absent.
        public var logDriver: DriverConfig?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            pluginSpec: PluginSpec? = nil,
            containerSpec: ContainerSpec? = nil,
            networkAttachmentSpec: NetworkAttachmentSpec? = nil,
            resources: ResourceRequirements? = nil,
            restartPolicy: RestartPolicy? = nil,
            placement: Placement? = nil,
            forceUpdate: UInt64? = nil,
            runtime: String? = nil,
            networks: [NetworkAttachmentConfig]? = nil,
            logDriver: DriverConfig? = nil
        ) {
            self.pluginSpec = pluginSpec
            self.containerSpec = containerSpec
            self.networkAttachmentSpec = networkAttachmentSpec
            self.resources = resources
            self.restartPolicy = restartPolicy
            self.placement = placement
            self.forceUpdate = forceUpdate
            self.runtime = runtime
            self.networks = networks
            self.logDriver = logDriver
        }

        enum CodingKeys: String, CodingKey {
            case pluginSpec = "PluginSpec"
            case containerSpec = "ContainerSpec"
            case networkAttachmentSpec = "NetworkAttachmentSpec"
            case resources = "Resources"
            case restartPolicy = "RestartPolicy"
            case placement = "Placement"
            case forceUpdate = "ForceUpdate"
            case runtime = "Runtime"
            case networks = "Networks"
            case logDriver = "LogDriver"
        }
    }
}

extension Swarm {
    /// A plugin a task runs instead of a container.
    public struct PluginSpec: Codable, Sendable, Hashable {
        /// The plugin name.
        public var name: String?
        /// The plugin image reference.
        public var remote: String?
        /// Install it disabled.
        public var disabled: Bool?
        /// The privileges granted to it.
        public var pluginPrivilege: [PluginPrivilege]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil,
            remote: String? = nil,
            disabled: Bool? = nil,
            pluginPrivilege: [PluginPrivilege]? = nil
        ) {
            self.name = name
            self.remote = remote
            self.disabled = disabled
            self.pluginPrivilege = pluginPrivilege
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case remote = "Remote"
            case disabled = "Disabled"
            case pluginPrivilege = "PluginPrivilege"
        }
    }
}

extension Swarm {
    /// A privilege granted to a plugin.
    public struct PluginPrivilege: Codable, Sendable, Hashable {
        /// The privilege name.
        public var name: String?
        /// What it allows.
        public var description: String?
        /// Its values.
        public var value: [String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(name: String? = nil, description: String? = nil, value: [String]? = nil) {
            self.name = name
            self.description = description
            self.value = value
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case description = "Description"
            case value = "Value"
        }
    }
}

extension Swarm {
    /// The container a network-attachment task belongs to.
    public struct NetworkAttachmentSpec: Codable, Sendable, Hashable {
        /// The container ID.
        public var containerID: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(containerID: String? = nil) {
            self.containerID = containerID
        }

        enum CodingKeys: String, CodingKey {
            case containerID = "ContainerID"
        }
    }
}

extension Swarm {
    /// A task's resource limits and reservations (`TaskTemplate.Resources`).
    public struct ResourceRequirements: Codable, Sendable, Hashable {
        /// Hard limits.
        public var limits: Limit?
        /// What the scheduler sets aside on the node.
        public var reservations: ResourceObject?
        /// Swap available to the task, in bytes (API 1.52+).
        public var swapBytes: Int64?
        /// Kernel swappiness 0–100 (API 1.52+).
        public var memorySwappiness: Int64?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            limits: Limit? = nil,
            reservations: ResourceObject? = nil,
            swapBytes: Int64? = nil,
            memorySwappiness: Int64? = nil
        ) {
            self.limits = limits
            self.reservations = reservations
            self.swapBytes = swapBytes
            self.memorySwappiness = memorySwappiness
        }

        enum CodingKeys: String, CodingKey {
            case limits = "Limits"
            case reservations = "Reservations"
            case swapBytes = "SwapBytes"
            case memorySwappiness = "MemorySwappiness"
        }
    }
}

extension Swarm {
    /// Hard resource limits for a task.
    public struct Limit: Codable, Sendable, Hashable {
        /// CPU in units of 10⁻⁹ CPUs.
        public var nanoCPUs: Int64?
        /// Memory in bytes.
        public var memoryBytes: Int64?
        /// Maximum number of processes; 0 means unlimited.
        public var pids: Int64?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(nanoCPUs: Int64? = nil, memoryBytes: Int64? = nil, pids: Int64? = nil) {
            self.nanoCPUs = nanoCPUs
            self.memoryBytes = memoryBytes
            self.pids = pids
        }

        enum CodingKeys: String, CodingKey {
            case nanoCPUs = "NanoCPUs"
            case memoryBytes = "MemoryBytes"
            case pids = "Pids"
        }
    }
}

extension Swarm {
    /// When and how a stopped task is restarted.
    public struct RestartPolicy: Codable, Sendable, Hashable {
        /// Which exits restart the task.
        public var condition: RestartCondition?
        /// The wait between restart attempts.
        public var delay: Nanoseconds?
        /// Attempts before giving up; 0 means no limit.
        public var maxAttempts: Int64?
        /// The window in which restarts count towards `maxAttempts`; 0 means unbounded.
        public var window: Nanoseconds?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            condition: RestartCondition? = nil,
            delay: Nanoseconds? = nil,
            maxAttempts: Int64? = nil,
            window: Nanoseconds? = nil
        ) {
            self.condition = condition
            self.delay = delay
            self.maxAttempts = maxAttempts
            self.window = window
        }

        enum CodingKeys: String, CodingKey {
            case condition = "Condition"
            case delay = "Delay"
            case maxAttempts = "MaxAttempts"
            case window = "Window"
        }
    }
}

extension Swarm {
    /// Which task exits cause a restart.
    public enum RestartCondition: LenientEnum {
        /// Never restart.
        case none
        /// Restart after a non-zero exit.
        case onFailure
        /// Always restart.
        case any
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [RestartCondition] = [.none, .onFailure, .any]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .none: return "none"
            case .onFailure: return "on-failure"
            case .any: return "any"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// Where a service's tasks may run.
    public struct Placement: Codable, Sendable, Hashable {
        /// Expressions that must all hold, e.g. `node.role==manager`, `node.labels.disk==ssd`.
        public var constraints: [String]?
        /// Soft spreading rules, applied in order.
        public var preferences: [PlacementPreference]?
        /// At most this many tasks per node; 0 means no limit.
        public var maxReplicas: Int64?
        /// Platforms the image supports (filled in by the CLI).
        public var platforms: [Platform]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            constraints: [String]? = nil,
            preferences: [PlacementPreference]? = nil,
            maxReplicas: Int64? = nil,
            platforms: [Platform]? = nil
        ) {
            self.constraints = constraints
            self.preferences = preferences
            self.maxReplicas = maxReplicas
            self.platforms = platforms
        }

        enum CodingKeys: String, CodingKey {
            case constraints = "Constraints"
            case preferences = "Preferences"
            case maxReplicas = "MaxReplicas"
            case platforms = "Platforms"
        }
    }
}

extension Swarm {
    /// A soft placement rule.
    public struct PlacementPreference: Codable, Sendable, Hashable {
        /// Spread tasks evenly over the values of a label.
        public var spread: SpreadOver?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(spread: SpreadOver? = nil) {
            self.spread = spread
        }

        enum CodingKeys: String, CodingKey {
            case spread = "Spread"
        }
    }
}

extension Swarm {
    /// Spread tasks over the values of a node label.
    public struct SpreadOver: Codable, Sendable, Hashable {
        /// The label, e.g. `node.labels.datacenter`.
        public var spreadDescriptor: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(spreadDescriptor: String? = nil) {
            self.spreadDescriptor = spreadDescriptor
        }

        enum CodingKeys: String, CodingKey {
            case spreadDescriptor = "SpreadDescriptor"
        }
    }
}

extension Swarm {
    /// A driver name and its options: a log driver, a volume driver, a secret driver or
    /// a templating driver.
    public struct DriverConfig: Codable, Sendable, Hashable {
        /// The driver name, e.g. `json-file`, `local`, `golang`.
        public var name: String?
        /// Driver-specific options.
        public var options: [String: String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(name: String? = nil, options: [String: String]? = nil) {
            self.name = name
            self.options = options
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case options = "Options"
        }
    }
}

extension Swarm {
    /// The log driver of a task (`TaskTemplate.LogDriver`).
    public typealias LogDriver = DriverConfig
}
