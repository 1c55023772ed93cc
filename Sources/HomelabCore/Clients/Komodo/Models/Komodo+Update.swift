import Foundation

extension Komodo {
    /// What one stage of an operation printed (`Log`).
    public struct Log: Codable, Sendable, Hashable {
        /// A label (`Deploy`, `Pull`, `Clone Repo`).
        public var stage: String
        /// The command run.
        public var command: String?
        /// Standard output.
        public var stdout: String?
        /// Standard error.
        public var stderr: String?
        /// Whether it succeeded.
        public var success: Bool
        /// Start, Unix ms.
        public var startTs: Int64?
        /// End, Unix ms.
        public var endTs: Int64?
    }

    /// An action performed by Komodo (`Update`): what every execute returns at once, then polled until complete.
    public struct Update: Codable, Sendable, Hashable {
        /// Its ID.
        public var id: String
        /// The operation (`DeployStack`, `RunSync`, ...).
        public var operation: String
        /// When it started, Unix ms.
        public var startTs: Int64
        /// When it ended, Unix ms (absent while running).
        public var endTs: Int64?
        /// Whether it succeeded (meaningful once ``status`` is complete).
        public var success: Bool
        /// Who started it: a user ID, or `Procedure`, `Github`, `Auto Redeploy`.
        public var `operator`: String?
        /// The resource it acted on.
        public var target: ResourceTarget
        /// `Queued`, `InProgress`, `Complete`.
        public var status: UpdateStatus
        /// What each stage printed.
        public var logs: [Log]
        /// A version it concerns (a build's).
        public var version: Version?
        /// The commit hash it cloned or deployed, when it concerns a repository.
        public var commitHash: String?
        /// Operation-specific data.
        public var otherData: String?

        /// When it started.
        public var started: Date? { Komodo.date(startTs) }
        /// When it ended.
        public var ended: Date? { Komodo.date(endTs) }
        /// Whether it has finished (successfully or not).
        public var isComplete: Bool { status == .complete }
        /// The first failed stage's output (standard error, else standard output), clipped; `nil` when none failed.
        public var failureText: String? {
            guard let log = logs.first(where: { !$0.success }) else { return nil }
            let text = [log.stderr, log.stdout].compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }
                .first { !$0.isEmpty } ?? "failed"
            return "\(log.stage): " + (text.count > 400 ? String(text.prefix(400)) + "…" : text)
        }

        enum CodingKeys: String, CodingKey {
            case mongoID = "_id"
            case id, operation, startTs, endTs, success, `operator`, target, status, logs, version, commitHash, otherData
        }

        /// An update value.
        public init(
            id: String, operation: String, startTs: Int64, endTs: Int64? = nil, success: Bool, operator: String? = nil,
            target: ResourceTarget, status: UpdateStatus, logs: [Log] = [], version: Version? = nil, commitHash: String? = nil
        ) {
            self.id = id
            self.operation = operation
            self.startTs = startTs
            self.endTs = endTs
            self.success = success
            self.operator = `operator`
            self.target = target
            self.status = status
            self.logs = logs
            self.version = version
            self.commitHash = commitHash
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let mongo = try container.decodeIfPresent(MongoID.self, forKey: .mongoID) {
                id = mongo.oid
            } else {
                id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
            }
            operation = try container.decode(String.self, forKey: .operation)
            startTs = try container.decode(Int64.self, forKey: .startTs)
            endTs = try container.decodeIfPresent(Int64.self, forKey: .endTs)
            success = try container.decode(Bool.self, forKey: .success)
            `operator` = try container.decodeIfPresent(String.self, forKey: .operator)
            target = try container.decode(ResourceTarget.self, forKey: .target)
            status = try container.decode(UpdateStatus.self, forKey: .status)
            logs = try container.decodeIfPresent([Log].self, forKey: .logs) ?? []
            version = try container.decodeIfPresent(Version.self, forKey: .version)
            commitHash = try container.decodeIfPresent(String.self, forKey: .commitHash)
            otherData = try container.decodeIfPresent(String.self, forKey: .otherData)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(MongoID(oid: id), forKey: .mongoID)
            try container.encode(operation, forKey: .operation)
            try container.encode(startTs, forKey: .startTs)
            try container.encodeIfPresent(endTs, forKey: .endTs)
            try container.encode(success, forKey: .success)
            try container.encodeIfPresent(`operator`, forKey: .operator)
            try container.encode(target, forKey: .target)
            try container.encode(status, forKey: .status)
            try container.encode(logs, forKey: .logs)
            try container.encodeIfPresent(version, forKey: .version)
            try container.encodeIfPresent(commitHash, forKey: .commitHash)
            try container.encodeIfPresent(otherData, forKey: .otherData)
        }
    }

    /// An update as `ListUpdates` lists it (`UpdateListItem`: no logs, no commit hash).
    public struct UpdateListItem: Codable, Sendable, Hashable {
        /// Its ID.
        public var id: String
        /// The operation.
        public var operation: String
        /// When it started, Unix ms.
        public var startTs: Int64
        /// Whether it succeeded.
        public var success: Bool
        /// The user's name.
        public var username: String?
        /// Who started it.
        public var `operator`: String?
        /// The resource it acted on.
        public var target: ResourceTarget
        /// `Queued`, `InProgress`, `Complete`.
        public var status: UpdateStatus
        /// A version it concerns.
        public var version: Version?

        /// When it started.
        public var started: Date? { Komodo.date(startTs) }
    }

    /// An alert (`Alert`).
    public struct Alert: Codable, Sendable, Hashable {
        /// Its ID.
        public var id: String?
        /// When it opened, Unix ms.
        public var ts: Int64
        /// Whether it is resolved.
        public var resolved: Bool
        /// `OK`, `WARNING` or `CRITICAL`.
        public var level: String
        /// The resource it concerns.
        public var target: ResourceTarget
        /// Its kind (`ServerUnreachable`, `StackStateChange`, ...) and details.
        public var data: AlertData
        /// When it was resolved, Unix ms.
        public var resolvedTs: Int64?

        /// An alert's kind and details (`AlertData`: `{type, data}`).
        public struct AlertData: Codable, Sendable, Hashable {
            /// `ServerUnreachable`, `StackStateChange`, `ResourceSyncPendingUpdates`, ...
            public var type: String
            /// The details, as Komodo sends them.
            public var data: JSONValue?
        }

        /// When it opened.
        public var opened: Date? { Komodo.date(ts) }

        enum CodingKeys: String, CodingKey {
            case mongoID = "_id"
            case ts, resolved, level, target, data, resolvedTs
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(MongoID.self, forKey: .mongoID)?.oid
            ts = try container.decode(Int64.self, forKey: .ts)
            resolved = try container.decode(Bool.self, forKey: .resolved)
            level = try container.decode(String.self, forKey: .level)
            target = try container.decode(ResourceTarget.self, forKey: .target)
            data = try container.decode(AlertData.self, forKey: .data)
            resolvedTs = try container.decodeIfPresent(Int64.self, forKey: .resolvedTs)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(id.map { MongoID(oid: $0) }, forKey: .mongoID)
            try container.encode(ts, forKey: .ts)
            try container.encode(resolved, forKey: .resolved)
            try container.encode(level, forKey: .level)
            try container.encode(target, forKey: .target)
            try container.encode(data, forKey: .data)
            try container.encodeIfPresent(resolvedTs, forKey: .resolvedTs)
        }
    }

    /// One pending change of a resource sync (`ResourceDiff`): create, update or delete, with the TOML on each side.
    public struct ResourceDiff: Codable, Sendable, Hashable {
        /// The resource (its ID is empty for a create).
        public var target: ResourceTarget
        /// What changes.
        public var data: DiffData

        /// `{type: Create|Update|Delete, data: {name?, proposed?, current?}}`.
        public struct DiffData: Codable, Sendable, Hashable {
            /// `Create`, `Update` or `Delete`.
            public var type: String
            /// The TOML on each side.
            public var data: Sides
        }

        /// The TOML on each side of a change.
        public struct Sides: Codable, Sendable, Hashable {
            /// The name of a resource to create.
            public var name: String?
            /// The TOML the sync would apply.
            public var proposed: String?
            /// The TOML now.
            public var current: String?
        }
    }

    /// The pending part of a sync's info (`ResourceSyncInfo`), read by `GetResourceSync`.
    public struct SyncPending: Codable, Sendable, Hashable {
        /// Pending changes to resources.
        public var resourceUpdates: [ResourceDiff]?
        /// Why the pending changes could not be computed.
        public var pendingError: String?
        /// The commit the pending changes come from.
        public var pendingHash: String?
        /// That commit's message.
        public var pendingMessage: String?
        /// The last applied commit.
        public var lastSyncHash: String?
        /// When it last ran, Unix ms.
        public var lastSyncTs: Int64?
    }
}
