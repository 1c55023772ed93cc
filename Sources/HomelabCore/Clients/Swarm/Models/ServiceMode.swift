extension Swarm {
    /// How many tasks a service runs: `Mode` in a ``ServiceSpec``. Exactly one of its keys is set on
    /// the wire (`{"Replicated": {"Replicas": 3}}`, `{"Global": {}}`, ...). The mode cannot be changed
    /// by an update.
    public enum ServiceMode: Codable, Sendable, Hashable {
        /// A fixed number of replicas (`nil` leaves the count to Docker: 1 on create).
        case replicated(replicas: UInt64?)
        /// One task on every eligible node.
        case global
        /// A job run to completion `totalCompletions` times, at most `maxConcurrent` at once.
        case replicatedJob(maxConcurrent: UInt64?, totalCompletions: UInt64?)
        /// A job run to completion once on every eligible node.
        case globalJob
        /// A mode this SDK does not know, kept verbatim so it re-encodes unchanged.
        case unknown([String: JSONValue])

        private enum CodingKeys: String, CodingKey {
            case replicated = "Replicated"
            case global = "Global"
            case replicatedJob = "ReplicatedJob"
            case globalJob = "GlobalJob"
        }

        /// The replica count of a replicated service, else `nil`.
        public var replicas: UInt64? {
            if case .replicated(let replicas) = self { return replicas }
            return nil
        }

        /// Whether the service runs to completion (a job) rather than forever.
        public var isJob: Bool {
            switch self {
            case .replicatedJob, .globalJob: return true
            default: return false
            }
        }

        /// Decodes whichever mode key is present; an object with none of them is kept as `.unknown`.
        /// - Throws: `DecodingError` when a known key holds the wrong type.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if container.contains(.replicated), !(try container.decodeNil(forKey: .replicated)) {
                let mode = try container.decode(ReplicatedMode.self, forKey: .replicated)
                self = .replicated(replicas: mode.replicas)
            } else if container.contains(.global), !(try container.decodeNil(forKey: .global)) {
                self = .global
            } else if container.contains(.replicatedJob), !(try container.decodeNil(forKey: .replicatedJob)) {
                let job = try container.decode(ReplicatedJobMode.self, forKey: .replicatedJob)
                self = .replicatedJob(maxConcurrent: job.maxConcurrent, totalCompletions: job.totalCompletions)
            } else if container.contains(.globalJob), !(try container.decodeNil(forKey: .globalJob)) {
                self = .globalJob
            } else {
                self = .unknown(try decoder.singleValueContainer().decode([String: JSONValue].self))
            }
        }

        /// Encodes the one key for this mode (`{"Global": {}}` for global modes).
        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .replicated(let replicas):
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(ReplicatedMode(replicas: replicas), forKey: .replicated)
            case .global:
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(EmptyObject(), forKey: .global)
            case .replicatedJob(let maxConcurrent, let totalCompletions):
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(
                    ReplicatedJobMode(maxConcurrent: maxConcurrent, totalCompletions: totalCompletions),
                    forKey: .replicatedJob)
            case .globalJob:
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(EmptyObject(), forKey: .globalJob)
            case .unknown(let object):
                var container = encoder.singleValueContainer()
                try container.encode(object)
            }
        }
    }
}
