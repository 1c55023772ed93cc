extension Swarm {
    /// What a listing of services shows (`docker service ls`, `homelab swarm services`): identity, name and labels,
    /// mode, image, published ports and the status counts, read from the same `GET /services` answer as
    /// ``Service`` without the rest of each spec.
    ///
    /// A service's spec is most of its answer (task template, container spec, update and rollback policies, and the
    /// previous spec again), and a listing shows a few fields of it; ``SwarmClient/Services/summaries(filters:status:logger:)``
    /// checks the whole answer as JSON but reads only these fields, so it costs a fraction of
    /// ``SwarmClient/Services/list(filters:status:logger:)``. Each field is the full model's, at the same place:
    /// `Swarm.ServiceSummary(service)` of a decoded ``Service`` equals the summary decoded from the same answer, and
    /// a field of the wrong type fails with the same error and coding path (fields outside the summary are not
    /// looked at). Encoded, a summary is a service object with only these fields, so it decodes again as either.
    public struct ServiceSummary: Codable, Sendable, Hashable {
        /// The service ID (`ID`).
        public var id: String?
        /// The version to send with an update (`Version`).
        public var version: ObjectVersion?
        /// When the service was created (`CreatedAt`, RFC 3339).
        public var createdAt: String?
        /// When it last changed (`UpdatedAt`, RFC 3339).
        public var updatedAt: String?
        /// `Spec.Name`.
        public var name: String?
        /// `Spec.Labels` (the stack's `com.docker.stack.namespace` among them).
        public var labels: [String: String]?
        /// `Spec.Mode`: replicated (with its replica count), global, or a job mode.
        public var mode: ServiceMode?
        /// `Spec.TaskTemplate.ContainerSpec.Image`: the image reference, with its digest when the engine pinned one.
        public var image: String?
        /// `Endpoint.Ports`: the ports as published.
        public var ports: [EndpointPortConfig]?
        /// `UpdateStatus`: the last update or rollback; absent if there was none.
        public var updateStatus: UpdateStatus?
        /// `ServiceStatus`: running and desired task counts; only with `?status=true`.
        public var serviceStatus: ServiceStatus?
        /// `JobStatus`: a job's progress; only for job modes.
        public var jobStatus: JobStatus?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            id: String? = nil, version: ObjectVersion? = nil, createdAt: String? = nil, updatedAt: String? = nil,
            name: String? = nil, labels: [String: String]? = nil, mode: ServiceMode? = nil, image: String? = nil,
            ports: [EndpointPortConfig]? = nil, updateStatus: UpdateStatus? = nil, serviceStatus: ServiceStatus? = nil,
            jobStatus: JobStatus? = nil
        ) {
            self.id = id
            self.version = version
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.name = name
            self.labels = labels
            self.mode = mode
            self.image = image
            self.ports = ports
            self.updateStatus = updateStatus
            self.serviceStatus = serviceStatus
            self.jobStatus = jobStatus
        }

        /// The summary of a service already decoded whole.
        public init(_ service: Service) {
            let spec = service.spec
            self.init(
                id: service.id, version: service.version, createdAt: service.createdAt, updatedAt: service.updatedAt,
                name: spec?.name, labels: spec?.labels, mode: spec?.mode, image: spec?.taskTemplate?.containerSpec?.image,
                ports: service.endpoint?.ports, updateStatus: service.updateStatus, serviceStatus: service.serviceStatus,
                jobStatus: service.jobStatus)
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case version = "Version"
            case createdAt = "CreatedAt"
            case updatedAt = "UpdatedAt"
            case spec = "Spec"
            case endpoint = "Endpoint"
            case updateStatus = "UpdateStatus"
            case serviceStatus = "ServiceStatus"
            case jobStatus = "JobStatus"
        }

        /// The parts of `Spec` a summary reads, nested as in the answer (so `null` and type errors are the full
        /// model's at each level).
        struct SpecPart: Codable {
            var name: String?
            var labels: [String: String]?
            var mode: ServiceMode?
            var taskTemplate: TaskTemplatePart?

            enum CodingKeys: String, CodingKey {
                case name = "Name"
                case labels = "Labels"
                case mode = "Mode"
                case taskTemplate = "TaskTemplate"
            }
        }

        struct TaskTemplatePart: Codable {
            var containerSpec: ContainerSpecPart?

            enum CodingKeys: String, CodingKey { case containerSpec = "ContainerSpec" }
        }

        struct ContainerSpecPart: Codable {
            var image: String?

            enum CodingKeys: String, CodingKey { case image = "Image" }
        }

        struct EndpointPart: Codable {
            var ports: [EndpointPortConfig]?

            enum CodingKeys: String, CodingKey { case ports = "Ports" }
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            version = try c.decodeIfPresent(ObjectVersion.self, forKey: .version)
            createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
            updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
            if let spec = try c.decodeIfPresent(SpecPart.self, forKey: .spec) {
                name = spec.name
                labels = spec.labels
                mode = spec.mode
                image = spec.taskTemplate?.containerSpec?.image
            }
            ports = try c.decodeIfPresent(EndpointPart.self, forKey: .endpoint)?.ports
            updateStatus = try c.decodeIfPresent(UpdateStatus.self, forKey: .updateStatus)
            serviceStatus = try c.decodeIfPresent(ServiceStatus.self, forKey: .serviceStatus)
            jobStatus = try c.decodeIfPresent(JobStatus.self, forKey: .jobStatus)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(id, forKey: .id)
            try c.encodeIfPresent(version, forKey: .version)
            try c.encodeIfPresent(createdAt, forKey: .createdAt)
            try c.encodeIfPresent(updatedAt, forKey: .updatedAt)
            if name != nil || labels != nil || mode != nil || image != nil {
                let template = image.map { TaskTemplatePart(containerSpec: ContainerSpecPart(image: $0)) }
                try c.encode(SpecPart(name: name, labels: labels, mode: mode, taskTemplate: template), forKey: .spec)
            }
            if let ports { try c.encode(EndpointPart(ports: ports), forKey: .endpoint) }
            try c.encodeIfPresent(updateStatus, forKey: .updateStatus)
            try c.encodeIfPresent(serviceStatus, forKey: .serviceStatus)
            try c.encodeIfPresent(jobStatus, forKey: .jobStatus)
        }
    }
}
