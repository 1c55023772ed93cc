extension Swarm {
    /// A swarm service as `GET /services` and `GET /services/{id}` return it.
    public struct Service: Codable, Sendable, Hashable {
        /// The service ID.
        public var id: String?
        /// The version to send with `POST /services/{id}/update`; it also moves on every
        /// internal change (such as update status), so re-read before each update.
        public var version: ObjectVersion?
        /// When the service was created (RFC 3339, see ``Timestamp``).
        public var createdAt: String?
        /// When it last changed (RFC 3339).
        public var updatedAt: String?
        /// The current spec.
        public var spec: ServiceSpec?
        /// The spec before the last update: what a rollback restores.
        public var previousSpec: ServiceSpec?
        /// The endpoint as realised: ports and virtual IPs.
        public var endpoint: ServiceEndpoint?
        /// The state of the last update or rollback; absent if there was none.
        public var updateStatus: UpdateStatus?
        /// Running and desired task counts; only with `?status=true`.
        public var serviceStatus: ServiceStatus?
        /// The job's progress; only for job modes.
        public var jobStatus: JobStatus?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            id: String? = nil,
            version: ObjectVersion? = nil,
            createdAt: String? = nil,
            updatedAt: String? = nil,
            spec: ServiceSpec? = nil,
            previousSpec: ServiceSpec? = nil,
            endpoint: ServiceEndpoint? = nil,
            updateStatus: UpdateStatus? = nil,
            serviceStatus: ServiceStatus? = nil,
            jobStatus: JobStatus? = nil
        ) {
            self.id = id
            self.version = version
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.spec = spec
            self.previousSpec = previousSpec
            self.endpoint = endpoint
            self.updateStatus = updateStatus
            self.serviceStatus = serviceStatus
            self.jobStatus = jobStatus
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case version = "Version"
            case createdAt = "CreatedAt"
            case updatedAt = "UpdatedAt"
            case spec = "Spec"
            case previousSpec = "PreviousSpec"
            case endpoint = "Endpoint"
            case updateStatus = "UpdateStatus"
            case serviceStatus = "ServiceStatus"
            case jobStatus = "JobStatus"
        }
    }
}

extension Swarm {
    /// A service's endpoint as Docker realised it.
    public struct ServiceEndpoint: Codable, Sendable, Hashable {
        /// The endpoint spec in force.
        public var spec: EndpointSpec?
        /// Published ports, with assigned port numbers filled in.
        public var ports: [EndpointPortConfig]?
        /// The service's virtual IP on each network.
        public var virtualIPs: [VirtualIP]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(spec: EndpointSpec? = nil, ports: [EndpointPortConfig]? = nil, virtualIPs: [VirtualIP]? = nil) {
            self.spec = spec
            self.ports = ports
            self.virtualIPs = virtualIPs
        }

        enum CodingKeys: String, CodingKey {
            case spec = "Spec"
            case ports = "Ports"
            case virtualIPs = "VirtualIPs"
        }
    }
}

extension Swarm {
    /// A service's virtual IP on one network.
    public struct VirtualIP: Codable, Sendable, Hashable {
        /// The network ID.
        public var networkID: String?
        /// The address in CIDR form, e.g. `10.0.0.2/24`.
        public var addr: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(networkID: String? = nil, addr: String? = nil) {
            self.networkID = networkID
            self.addr = addr
        }

        enum CodingKeys: String, CodingKey {
            case networkID = "NetworkID"
            case addr = "Addr"
        }
    }
}

extension Swarm {
    /// Where the last rolling update or rollback of a service stands.
    public struct UpdateStatus: Codable, Sendable, Hashable {
        /// Updating, paused, completed, or their rollback counterparts.
        public var state: UpdateState?
        /// When it started (RFC 3339).
        public var startedAt: String?
        /// When it completed (RFC 3339).
        public var completedAt: String?
        /// Docker's explanation, e.g. "update paused due to failure or early termination of task ...".
        public var message: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            state: UpdateState? = nil,
            startedAt: String? = nil,
            completedAt: String? = nil,
            message: String? = nil
        ) {
            self.state = state
            self.startedAt = startedAt
            self.completedAt = completedAt
            self.message = message
        }

        enum CodingKeys: String, CodingKey {
            case state = "State"
            case startedAt = "StartedAt"
            case completedAt = "CompletedAt"
            case message = "Message"
        }
    }
}

extension Swarm {
    /// The state of a service's rolling update. The swagger lists only the first three; the
    /// daemon also sends the rollback states.
    public enum UpdateState: LenientEnum {
        /// An update is in progress.
        case updating
        /// An update stopped after failures; it stays paused until the next update.
        case paused
        /// The update finished.
        case completed
        /// A rollback (automatic or requested) is in progress.
        case rollbackStarted
        /// A rollback stopped after failures (a rollback is never rolled back).
        case rollbackPaused
        /// The rollback finished.
        case rollbackCompleted
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [UpdateState] = [
            .updating,
            .paused,
            .completed,
            .rollbackStarted,
            .rollbackPaused,
            .rollbackCompleted,
        ]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .updating: return "updating"
            case .paused: return "paused"
            case .completed: return "completed"
            case .rollbackStarted: return "rollback_started"
            case .rollbackPaused: return "rollback_paused"
            case .rollbackCompleted: return "rollback_completed"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// A service's task counts (`GET /services?status=true`).
    public struct ServiceStatus: Codable, Sendable, Hashable {
        /// Tasks whose observed state is running.
        public var runningTasks: UInt64?
        /// Tasks that should be running: replicas, or eligible nodes in global mode.
        public var desiredTasks: UInt64?
        /// Tasks that completed successfully (jobs).
        public var completedTasks: UInt64?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(runningTasks: UInt64? = nil, desiredTasks: UInt64? = nil, completedTasks: UInt64? = nil) {
            self.runningTasks = runningTasks
            self.desiredTasks = desiredTasks
            self.completedTasks = completedTasks
        }

        enum CodingKeys: String, CodingKey {
            case runningTasks = "RunningTasks"
            case desiredTasks = "DesiredTasks"
            case completedTasks = "CompletedTasks"
        }
    }
}

extension Swarm {
    /// The progress of a job-mode service.
    public struct JobStatus: Codable, Sendable, Hashable {
        /// Which run of the job this is.
        public var jobIteration: ObjectVersion?
        /// When the job last started (RFC 3339).
        public var lastExecution: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(jobIteration: ObjectVersion? = nil, lastExecution: String? = nil) {
            self.jobIteration = jobIteration
            self.lastExecution = lastExecution
        }

        enum CodingKeys: String, CodingKey {
            case jobIteration = "JobIteration"
            case lastExecution = "LastExecution"
        }
    }
}

extension Swarm {
    /// The answer to `POST /services/create`. It has no version: inspect the service before
    /// updating it.
    public struct ServiceCreateResponse: Codable, Sendable, Hashable {
        /// The new service's ID.
        public var id: String?
        /// Non-fatal problems, e.g. an image that could not be resolved to a digest.
        public var warnings: [String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(id: String? = nil, warnings: [String]? = nil) {
            self.id = id
            self.warnings = warnings
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case warnings = "Warnings"
        }
    }
}

extension Swarm {
    /// The answer to `POST /services/{id}/update`.
    public struct ServiceUpdateResponse: Codable, Sendable, Hashable {
        /// Non-fatal problems.
        public var warnings: [String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(warnings: [String]? = nil) {
            self.warnings = warnings
        }

        enum CodingKeys: String, CodingKey {
            case warnings = "Warnings"
        }
    }
}
