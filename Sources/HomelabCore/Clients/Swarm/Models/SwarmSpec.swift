extension Swarm {
    /// Cluster-wide settings; `POST /swarm/update` replaces them whole.
    public struct SwarmSpec: Codable, Sendable, Hashable {
        /// The swarm name (always `default`).
        public var name: String?
        /// Cluster labels.
        public var labels: [String: String]?
        /// Task history settings.
        public var orchestration: OrchestrationConfig?
        /// Raft consensus settings.
        public var raft: RaftConfig?
        /// Heartbeat settings.
        public var dispatcher: DispatcherConfig?
        /// Certificate authority settings.
        public var caConfig: CAConfig?
        /// Autolock settings.
        public var encryptionConfig: EncryptionConfig?
        /// Defaults for new tasks.
        public var taskDefaults: TaskDefaults?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil,
            labels: [String: String]? = nil,
            orchestration: OrchestrationConfig? = nil,
            raft: RaftConfig? = nil,
            dispatcher: DispatcherConfig? = nil,
            caConfig: CAConfig? = nil,
            encryptionConfig: EncryptionConfig? = nil,
            taskDefaults: TaskDefaults? = nil
        ) {
            self.name = name
            self.labels = labels
            self.orchestration = orchestration
            self.raft = raft
            self.dispatcher = dispatcher
            self.caConfig = caConfig
            self.encryptionConfig = encryptionConfig
            self.taskDefaults = taskDefaults
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case labels = "Labels"
            case orchestration = "Orchestration"
            case raft = "Raft"
            case dispatcher = "Dispatcher"
            case caConfig = "CAConfig"
            case encryptionConfig = "EncryptionConfig"
            case taskDefaults = "TaskDefaults"
        }
    }
}

extension Swarm {
    /// How much task history the swarm keeps.
    public struct OrchestrationConfig: Codable, Sendable, Hashable {
        /// Old tasks kept per slot.
        public var taskHistoryRetentionLimit: Int64?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(taskHistoryRetentionLimit: Int64? = nil) {
            self.taskHistoryRetentionLimit = taskHistoryRetentionLimit
        }

        enum CodingKeys: String, CodingKey {
            case taskHistoryRetentionLimit = "TaskHistoryRetentionLimit"
        }
    }
}

extension Swarm {
    /// Raft consensus settings.
    public struct RaftConfig: Codable, Sendable, Hashable {
        /// Log entries between snapshots.
        public var snapshotInterval: UInt64?
        /// Snapshots kept besides the current one.
        public var keepOldSnapshots: UInt64?
        /// Log entries kept for slow followers after a snapshot.
        public var logEntriesForSlowFollowers: UInt64?
        /// Ticks without a leader before an election.
        public var electionTick: Int?
        /// Ticks between leader heartbeats.
        public var heartbeatTick: Int?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            snapshotInterval: UInt64? = nil,
            keepOldSnapshots: UInt64? = nil,
            logEntriesForSlowFollowers: UInt64? = nil,
            electionTick: Int? = nil,
            heartbeatTick: Int? = nil
        ) {
            self.snapshotInterval = snapshotInterval
            self.keepOldSnapshots = keepOldSnapshots
            self.logEntriesForSlowFollowers = logEntriesForSlowFollowers
            self.electionTick = electionTick
            self.heartbeatTick = heartbeatTick
        }

        enum CodingKeys: String, CodingKey {
            case snapshotInterval = "SnapshotInterval"
            case keepOldSnapshots = "KeepOldSnapshots"
            case logEntriesForSlowFollowers = "LogEntriesForSlowFollowers"
            case electionTick = "ElectionTick"
            case heartbeatTick = "HeartbeatTick"
        }
    }
}

extension Swarm {
    /// How often nodes report to the managers.
    public struct DispatcherConfig: Codable, Sendable, Hashable {
        /// The heartbeat period.
        public var heartbeatPeriod: Nanoseconds?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(heartbeatPeriod: Nanoseconds? = nil) {
            self.heartbeatPeriod = heartbeatPeriod
        }

        enum CodingKeys: String, CodingKey {
            case heartbeatPeriod = "HeartbeatPeriod"
        }
    }
}

extension Swarm {
    /// An external certificate authority that signs node certificates.
    public struct ExternalCA: Codable, Sendable, Hashable {
        /// The protocol; only `cfssl`.
        public var caProtocol: String?
        /// The CA's URL.
        public var url: String?
        /// Protocol-specific options.
        public var options: [String: String]?
        /// The CA certificate, PEM.
        public var caCert: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            caProtocol: String? = nil,
            url: String? = nil,
            options: [String: String]? = nil,
            caCert: String? = nil
        ) {
            self.caProtocol = caProtocol
            self.url = url
            self.options = options
            self.caCert = caCert
        }

        enum CodingKeys: String, CodingKey {
            case caProtocol = "Protocol"
            case url = "URL"
            case options = "Options"
            case caCert = "CACert"
        }
    }
}

extension Swarm {
    /// Cluster autolock settings.
    public struct EncryptionConfig: Codable, Sendable, Hashable {
        /// Require the unlock key after a manager restarts.
        public var autoLockManagers: Bool?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(autoLockManagers: Bool? = nil) {
            self.autoLockManagers = autoLockManagers
        }

        enum CodingKeys: String, CodingKey {
            case autoLockManagers = "AutoLockManagers"
        }
    }
}

extension Swarm {
    /// Defaults applied to new tasks.
    public struct TaskDefaults: Codable, Sendable, Hashable {
        /// The default log driver.
        public var logDriver: DriverConfig?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(logDriver: DriverConfig? = nil) {
            self.logDriver = logDriver
        }

        enum CodingKeys: String, CodingKey {
            case logDriver = "LogDriver"
        }
    }
}

extension Swarm {
    /// Certificate authority settings. The signing key is a ``Secret``: it never prints.
    public struct CAConfig: Codable, Sendable, Hashable {
        /// How long node certificates are valid.
        public var nodeCertExpiry: Nanoseconds?
        /// External CAs that sign node certificates.
        public var externalCAs: [ExternalCA]?
        /// The CA certificate to sign with, PEM (for a CA rotation).
        public var signingCACert: String?
        /// The CA private key to sign with, PEM (for a CA rotation).
        public var signingCAKey: HomelabCore.Secret?
        /// A counter: changing it forces a CA rotation.
        public var forceRotate: UInt64?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            nodeCertExpiry: Nanoseconds? = nil,
            externalCAs: [ExternalCA]? = nil,
            signingCACert: String? = nil,
            signingCAKey: HomelabCore.Secret? = nil,
            forceRotate: UInt64? = nil
        ) {
            self.nodeCertExpiry = nodeCertExpiry
            self.externalCAs = externalCAs
            self.signingCACert = signingCACert
            self.signingCAKey = signingCAKey
            self.forceRotate = forceRotate
        }

        enum CodingKeys: String, CodingKey {
            case nodeCertExpiry = "NodeCertExpiry"
            case externalCAs = "ExternalCAs"
            case signingCACert = "SigningCACert"
            case signingCAKey = "SigningCAKey"
            case forceRotate = "ForceRotate"
        }

        /// Decodes the wire shape; the signing key becomes a ``Secret``.
        /// - Throws: `DecodingError` when a present field has the wrong type.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            nodeCertExpiry = try container.decodeIfPresent(Nanoseconds.self, forKey: .nodeCertExpiry)
            externalCAs = try container.decodeIfPresent([ExternalCA].self, forKey: .externalCAs)
            signingCACert = try container.decodeIfPresent(String.self, forKey: .signingCACert)
            signingCAKey = try container.decodeSecretIfPresent(forKey: .signingCAKey)
            forceRotate = try container.decodeIfPresent(UInt64.self, forKey: .forceRotate)
        }

        /// Encodes the wire shape, omitting absent fields; reveals the signing key only into the JSON.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(nodeCertExpiry, forKey: .nodeCertExpiry)
            try container.encodeIfPresent(externalCAs, forKey: .externalCAs)
            try container.encodeIfPresent(signingCACert, forKey: .signingCACert)
            try container.encodeSecretIfPresent(signingCAKey, forKey: .signingCAKey)
            try container.encodeIfPresent(forceRotate, forKey: .forceRotate)
        }
    }
}

