extension Swarm {
    /// What a service should be. `POST /services/create` takes it, and
    /// `POST /services/{id}/update` replaces the stored spec with it whole (it is not a merge).
    public struct ServiceSpec: Codable, Sendable, Hashable {
        /// The service name (cannot be changed by an update).
        public var name: String?
        /// Service labels.
        public var labels: [String: String]?
        /// What each task runs and how it is placed and restarted.
        public var taskTemplate: TaskSpec?
        /// Replicated, global, or a job (cannot be changed by an update).
        public var mode: ServiceMode?
        /// How a rolling update proceeds; absent means SwarmKit defaults.
        public var updateConfig: UpdateConfig?
        /// How a rollback proceeds; absent means SwarmKit defaults.
        public var rollbackConfig: UpdateConfig?
        /// Deprecated since API 1.44: use ``TaskSpec/networks``.
        public var networks: [NetworkAttachmentConfig]?
        /// Published ports and the load-balancing mode.
        public var endpointSpec: EndpointSpec?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil,
            labels: [String: String]? = nil,
            taskTemplate: TaskSpec? = nil,
            mode: ServiceMode? = nil,
            updateConfig: UpdateConfig? = nil,
            rollbackConfig: UpdateConfig? = nil,
            networks: [NetworkAttachmentConfig]? = nil,
            endpointSpec: EndpointSpec? = nil
        ) {
            self.name = name
            self.labels = labels
            self.taskTemplate = taskTemplate
            self.mode = mode
            self.updateConfig = updateConfig
            self.rollbackConfig = rollbackConfig
            self.networks = networks
            self.endpointSpec = endpointSpec
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case labels = "Labels"
            case taskTemplate = "TaskTemplate"
            case mode = "Mode"
            case updateConfig = "UpdateConfig"
            case rollbackConfig = "RollbackConfig"
            case networks = "Networks"
            case endpointSpec = "EndpointSpec"
        }
    }
}

extension Swarm {
    /// How a rolling update (or, as `RollbackConfig`, a rollback) proceeds.
    ///
    /// If the whole config is absent SwarmKit uses Parallelism 1, Delay 0, FailureAction pause,
    /// Monitor 5 s, MaxFailureRatio 0, Order stop-first.
    public struct UpdateConfig: Codable, Sendable, Hashable {
        /// How many tasks are updated at once. `0` means unlimited.
        /// - Important: `nil` is omitted on the wire, and Docker then treats it as 0, i.e. **unlimited**,
        ///   whenever this config is present. Only a wholly absent config gets SwarmKit's default of 1.
        public var parallelism: Int64?
        /// The pause each worker takes after finishing a task before taking the next.
        public var delay: Nanoseconds?
        /// What to do when a task fails. Empty means `pause`.
        public var failureAction: UpdateFailureAction?
        /// How long after a task starts a failure still counts. 0 means SwarmKit's 5 s.
        public var monitor: Nanoseconds?
        /// Failures tolerated, as a fraction of tasks (0–1); 0 means the first failure acts.
        public var maxFailureRatio: Double?
        /// Stop the old task first (default) or start the new one first.
        public var order: UpdateOrder?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            parallelism: Int64? = nil,
            delay: Nanoseconds? = nil,
            failureAction: UpdateFailureAction? = nil,
            monitor: Nanoseconds? = nil,
            maxFailureRatio: Double? = nil,
            order: UpdateOrder? = nil
        ) {
            self.parallelism = parallelism
            self.delay = delay
            self.failureAction = failureAction
            self.monitor = monitor
            self.maxFailureRatio = maxFailureRatio
            self.order = order
        }

        enum CodingKeys: String, CodingKey {
            case parallelism = "Parallelism"
            case delay = "Delay"
            case failureAction = "FailureAction"
            case monitor = "Monitor"
            case maxFailureRatio = "MaxFailureRatio"
            case order = "Order"
        }
    }
}

extension Swarm {
    /// What an update does when a task fails.
    public enum UpdateFailureAction: LenientEnum {
        /// Keep going.
        case `continue`
        /// Stop the update; it stays paused until the next update is submitted.
        case pause
        /// Roll back to the previous spec (not allowed in a rollback config).
        case rollback
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [UpdateFailureAction] = [.continue, .pause, .rollback]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .continue: return "continue"
            case .pause: return "pause"
            case .rollback: return "rollback"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// Whether an update stops the old task before starting the new one.
    public enum UpdateOrder: LenientEnum {
        /// Stop the old task, then start the new one (the default).
        case stopFirst
        /// Start the new task; stop the old one once the new one runs.
        case startFirst
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [UpdateOrder] = [.stopFirst, .startFirst]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .stopFirst: return "stop-first"
            case .startFirst: return "start-first"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// How a service is reached: virtual IP or DNS round-robin, and published ports.
    public struct EndpointSpec: Codable, Sendable, Hashable {
        /// Load-balancing mode; `vip` when absent.
        public var mode: EndpointMode?
        /// Published ports (only with `vip`).
        public var ports: [EndpointPortConfig]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(mode: EndpointMode? = nil, ports: [EndpointPortConfig]? = nil) {
            self.mode = mode
            self.ports = ports
        }

        enum CodingKeys: String, CodingKey {
            case mode = "Mode"
            case ports = "Ports"
        }
    }
}

extension Swarm {
    /// How a service's tasks are load-balanced.
    public enum EndpointMode: LenientEnum {
        /// One virtual IP in front of all tasks.
        case vip
        /// DNS round-robin over the tasks' addresses.
        case dnsrr
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [EndpointMode] = [.vip, .dnsrr]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .vip: return "vip"
            case .dnsrr: return "dnsrr"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// One published port.
    public struct EndpointPortConfig: Codable, Sendable, Hashable {
        /// An optional port name.
        public var name: String?
        /// tcp (default), udp or sctp.
        public var portProtocol: PortProtocol?
        /// The port inside the container.
        public var targetPort: Int?
        /// The port on the swarm (ingress) or host; assigned when absent.
        public var publishedPort: Int?
        /// Ingress routing mesh (default) or the host's own port.
        public var publishMode: PublishMode?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil,
            portProtocol: PortProtocol? = nil,
            targetPort: Int? = nil,
            publishedPort: Int? = nil,
            publishMode: PublishMode? = nil
        ) {
            self.name = name
            self.portProtocol = portProtocol
            self.targetPort = targetPort
            self.publishedPort = publishedPort
            self.publishMode = publishMode
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case portProtocol = "Protocol"
            case targetPort = "TargetPort"
            case publishedPort = "PublishedPort"
            case publishMode = "PublishMode"
        }
    }
}

extension Swarm {
    /// A transport protocol.
    public enum PortProtocol: LenientEnum {
        /// TCP.
        case tcp
        /// UDP.
        case udp
        /// SCTP.
        case sctp
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [PortProtocol] = [.tcp, .udp, .sctp]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .tcp: return "tcp"
            case .udp: return "udp"
            case .sctp: return "sctp"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// How a published port is exposed.
    public enum PublishMode: LenientEnum {
        /// Through the routing mesh on every node.
        case ingress
        /// Only on the node running the task.
        case host
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [PublishMode] = [.ingress, .host]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .ingress: return "ingress"
            case .host: return "host"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// A network a service's tasks join.
    public struct NetworkAttachmentConfig: Codable, Sendable, Hashable {
        /// The network name or ID.
        public var target: String?
        /// Extra DNS names on that network.
        public var aliases: [String]?
        /// Driver options for the attachment.
        public var driverOpts: [String: String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(target: String? = nil, aliases: [String]? = nil, driverOpts: [String: String]? = nil) {
            self.target = target
            self.aliases = aliases
            self.driverOpts = driverOpts
        }

        enum CodingKeys: String, CodingKey {
            case target = "Target"
            case aliases = "Aliases"
            case driverOpts = "DriverOpts"
        }
    }
}

extension Swarm {
    /// A fixed number of replicas.
    public struct ReplicatedMode: Codable, Sendable, Hashable {
        /// How many tasks should run.
        public var replicas: UInt64?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(replicas: UInt64? = nil) {
            self.replicas = replicas
        }

        enum CodingKeys: String, CodingKey {
            case replicas = "Replicas"
        }
    }
}

extension Swarm {
    /// A job that runs to completion a number of times.
    public struct ReplicatedJobMode: Codable, Sendable, Hashable {
        /// How many tasks may run at once.
        public var maxConcurrent: UInt64?
        /// How many successful completions finish the job.
        public var totalCompletions: UInt64?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(maxConcurrent: UInt64? = nil, totalCompletions: UInt64? = nil) {
            self.maxConcurrent = maxConcurrent
            self.totalCompletions = totalCompletions
        }

        enum CodingKeys: String, CodingKey {
            case maxConcurrent = "MaxConcurrent"
            case totalCompletions = "TotalCompletions"
        }
    }
}
