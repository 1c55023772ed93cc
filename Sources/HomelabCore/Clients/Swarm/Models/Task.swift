extension Swarm {
    /// A task (one container of a service in one slot) as `GET /tasks` returns it.
    public struct Task: Codable, Sendable, Hashable {
        /// The task ID.
        public var id: String?
        /// The task object's version.
        public var version: ObjectVersion?
        /// When the task was created (RFC 3339).
        public var createdAt: String?
        /// When it last changed (RFC 3339).
        public var updatedAt: String?
        /// The task name.
        public var name: String?
        /// Task labels.
        public var labels: [String: String]?
        /// The task spec it was created from (compare with the service's to find stale tasks).
        public var spec: TaskSpec?
        /// The service it belongs to.
        public var serviceID: String?
        /// The replica slot (replicated mode); absent in global mode.
        public var slot: Int?
        /// The node it was assigned to.
        public var nodeID: String?
        /// Generic resources assigned to it.
        public var assignedGenericResources: [GenericResource]?
        /// The observed state.
        public var status: TaskStatus?
        /// The state the orchestrator wants (running, shutdown, ...).
        public var desiredState: TaskState?
        /// The job run it belongs to (job modes).
        public var jobIteration: ObjectVersion?
        /// The networks it is attached to, with its addresses.
        public var networksAttachments: [NetworkAttachment]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            id: String? = nil,
            version: ObjectVersion? = nil,
            createdAt: String? = nil,
            updatedAt: String? = nil,
            name: String? = nil,
            labels: [String: String]? = nil,
            spec: TaskSpec? = nil,
            serviceID: String? = nil,
            slot: Int? = nil,
            nodeID: String? = nil,
            assignedGenericResources: [GenericResource]? = nil,
            status: TaskStatus? = nil,
            desiredState: TaskState? = nil,
            jobIteration: ObjectVersion? = nil,
            networksAttachments: [NetworkAttachment]? = nil
        ) {
            self.id = id
            self.version = version
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.name = name
            self.labels = labels
            self.spec = spec
            self.serviceID = serviceID
            self.slot = slot
            self.nodeID = nodeID
            self.assignedGenericResources = assignedGenericResources
            self.status = status
            self.desiredState = desiredState
            self.jobIteration = jobIteration
            self.networksAttachments = networksAttachments
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case version = "Version"
            case createdAt = "CreatedAt"
            case updatedAt = "UpdatedAt"
            case name = "Name"
            case labels = "Labels"
            case spec = "Spec"
            case serviceID = "ServiceID"
            case slot = "Slot"
            case nodeID = "NodeID"
            case assignedGenericResources = "AssignedGenericResources"
            case status = "Status"
            case desiredState = "DesiredState"
            case jobIteration = "JobIteration"
            case networksAttachments = "NetworksAttachments"
        }
    }
}

extension Swarm {
    /// A task's observed state.
    public struct TaskStatus: Codable, Sendable, Hashable {
        /// When the state was observed (RFC 3339).
        public var timestamp: String?
        /// The observed state.
        public var state: TaskState?
        /// A short description of the state.
        public var message: String?
        /// The error, when the task failed or was rejected.
        public var err: String?
        /// The container behind the task.
        public var containerStatus: ContainerStatus?
        /// Ports published in host mode.
        public var portStatus: PortStatus?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            timestamp: String? = nil,
            state: TaskState? = nil,
            message: String? = nil,
            err: String? = nil,
            containerStatus: ContainerStatus? = nil,
            portStatus: PortStatus? = nil
        ) {
            self.timestamp = timestamp
            self.state = state
            self.message = message
            self.err = err
            self.containerStatus = containerStatus
            self.portStatus = portStatus
        }

        enum CodingKeys: String, CodingKey {
            case timestamp = "Timestamp"
            case state = "State"
            case message = "Message"
            case err = "Err"
            case containerStatus = "ContainerStatus"
            case portStatus = "PortStatus"
        }
    }
}

extension Swarm {
    /// A task's lifecycle state, in order; states after `running` are terminal.
    public enum TaskState: LenientEnum {
        /// Created.
        case new
        /// Network resources allocated.
        case allocated
        /// Waiting for a node.
        case pending
        /// Assigned to a node.
        case assigned
        /// Accepted by the node.
        case accepted
        /// Pulling the image, preparing.
        case preparing
        /// Prepared, ready to start.
        case ready
        /// Starting.
        case starting
        /// Running (and healthy, when it has a health check).
        case running
        /// Exited successfully.
        case complete
        /// Stopped on request.
        case shutdown
        /// Exited with an error.
        case failed
        /// The node could not run it.
        case rejected
        /// Marked for removal.
        case remove
        /// Its node has been down too long.
        case orphaned
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [TaskState] = [
            .new,
            .allocated,
            .pending,
            .assigned,
            .accepted,
            .preparing,
            .ready,
            .starting,
            .running,
            .complete,
            .shutdown,
            .failed,
            .rejected,
            .remove,
            .orphaned,
        ]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .new: return "new"
            case .allocated: return "allocated"
            case .pending: return "pending"
            case .assigned: return "assigned"
            case .accepted: return "accepted"
            case .preparing: return "preparing"
            case .ready: return "ready"
            case .starting: return "starting"
            case .running: return "running"
            case .complete: return "complete"
            case .shutdown: return "shutdown"
            case .failed: return "failed"
            case .rejected: return "rejected"
            case .remove: return "remove"
            case .orphaned: return "orphaned"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// The container behind a task.
    public struct ContainerStatus: Codable, Sendable, Hashable {
        /// The container ID.
        public var containerID: String?
        /// The main process ID.
        public var pid: Int?
        /// The exit code, once it exited.
        public var exitCode: Int?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(containerID: String? = nil, pid: Int? = nil, exitCode: Int? = nil) {
            self.containerID = containerID
            self.pid = pid
            self.exitCode = exitCode
        }

        enum CodingKeys: String, CodingKey {
            case containerID = "ContainerID"
            case pid = "PID"
            case exitCode = "ExitCode"
        }
    }
}

extension Swarm {
    /// Ports a task published in host mode.
    public struct PortStatus: Codable, Sendable, Hashable {
        /// The published ports.
        public var ports: [EndpointPortConfig]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(ports: [EndpointPortConfig]? = nil) {
            self.ports = ports
        }

        enum CodingKeys: String, CodingKey {
            case ports = "Ports"
        }
    }
}

extension Swarm {
    /// A network a task is attached to.
    public struct NetworkAttachment: Codable, Sendable, Hashable {
        /// The network.
        public var network: TaskNetwork?
        /// The task's addresses on it, in CIDR form.
        public var addresses: [String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(network: TaskNetwork? = nil, addresses: [String]? = nil) {
            self.network = network
            self.addresses = addresses
        }

        enum CodingKeys: String, CodingKey {
            case network = "Network"
            case addresses = "Addresses"
        }
    }
}

extension Swarm.TaskState {
    /// Whether the task has stopped for good (`complete`, `shutdown`, `failed`, `rejected`, `remove`, `orphaned`).
    /// Unknown states are not terminal.
    public var isTerminal: Bool {
        switch self {
        case .complete, .shutdown, .failed, .rejected, .remove, .orphaned: return true
        default: return false
        }
    }
}
