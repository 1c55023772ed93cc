import Foundation

extension Woodpecker {
    /// An agent (`Agent`): a runner that takes workflows. Its registration token is not kept.
    public struct Agent: Codable, Sendable, Hashable {
        public var id: Int64
        public var name: String
        /// `docker`, `kubernetes`, `local`.
        public var backend: String?
        /// `linux/amd64`.
        public var platform: String?
        /// Workflows it runs at once.
        public var capacity: Int?
        public var version: String?
        /// Unix seconds of its last contact; 0 when it never connected.
        public var lastContact: Int64?
        /// Unix seconds of its last workflow.
        public var lastWork: Int64?
        public var noSchedule: Bool?
        public var orgID: Int64?

        enum CodingKeys: String, CodingKey {
            case id, name, backend, platform, capacity, version
            case lastContact = "last_contact"
            case lastWork = "last_work"
            case noSchedule = "no_schedule"
            case orgID = "org_id"
        }

        /// An agent.
        public init(id: Int64, name: String, capacity: Int? = 1, lastContact: Int64? = nil) {
            self.id = id
            self.name = name
            self.capacity = capacity
            self.lastContact = lastContact
        }

        /// When it last called the server.
        public var lastContactAt: Date? { Woodpecker.date(lastContact) }

        /// Whether it called within `window` before `now` (agents poll every few seconds; Woodpecker's UI calls
        /// an agent silent for a minute offline).
        public func isUp(now: Date = Date(), window: TimeInterval = 60) -> Bool {
            guard let contact = lastContactAt else { return false }
            return now.timeIntervalSince(contact) <= window
        }
    }

    /// The scheduler's queue (`QueueInfo`).
    public struct QueueInfo: Codable, Sendable, Hashable {
        public var pending: [QueueTask]?
        public var waitingOnDeps: [QueueTask]?
        public var running: [QueueTask]?
        public var stats: Stats?
        public var paused: Bool?

        enum CodingKeys: String, CodingKey {
            case pending, running, stats, paused
            case waitingOnDeps = "waiting_on_deps"
        }

        /// A queue.
        public init(pending: [QueueTask] = [], running: [QueueTask] = [], stats: Stats? = nil, paused: Bool = false) {
            self.pending = pending
            self.running = running
            self.stats = stats
            self.paused = paused
        }

        /// The counts (`stats`), or counted from the lists when a server sends no stats.
        public var counts: Stats {
            stats ?? Stats(
                workerCount: 0, pendingCount: pending?.count ?? 0, waitingOnDepsCount: waitingOnDeps?.count ?? 0,
                runningCount: running?.count ?? 0)
        }

        /// The queue's counts.
        public struct Stats: Codable, Sendable, Hashable {
            public var workerCount: Int
            public var pendingCount: Int
            public var waitingOnDepsCount: Int
            public var runningCount: Int

            enum CodingKeys: String, CodingKey {
                case workerCount = "worker_count"
                case pendingCount = "pending_count"
                case waitingOnDepsCount = "waiting_on_deps_count"
                case runningCount = "running_count"
            }

            /// Counts.
            public init(workerCount: Int, pendingCount: Int, waitingOnDepsCount: Int, runningCount: Int) {
                self.workerCount = workerCount
                self.pendingCount = pendingCount
                self.waitingOnDepsCount = waitingOnDepsCount
                self.runningCount = runningCount
            }

            /// Reads the counts; a missing one is 0.
            /// - Throws: `DecodingError` for a count that is not a number.
            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                workerCount = try container.decodeIfPresent(Int.self, forKey: .workerCount) ?? 0
                pendingCount = try container.decodeIfPresent(Int.self, forKey: .pendingCount) ?? 0
                waitingOnDepsCount = try container.decodeIfPresent(Int.self, forKey: .waitingOnDepsCount) ?? 0
                runningCount = try container.decodeIfPresent(Int.self, forKey: .runningCount) ?? 0
            }
        }
    }

    /// A workflow in the queue (`model.QueueTask`).
    public struct QueueTask: Codable, Sendable, Hashable {
        public var id: String
        public var name: String?
        public var pipelineID: Int64?
        public var pipelineNumber: Int64?
        public var repoID: Int64?
        public var agentID: Int64?
        public var agentName: String?
        public var labels: [String: String]?

        enum CodingKeys: String, CodingKey {
            case id, name, labels
            case pipelineID = "pipeline_id"
            case pipelineNumber = "pipeline_number"
            case repoID = "repo_id"
            case agentID = "agent_id"
            case agentName = "agent_name"
        }

        /// A queued workflow.
        public init(id: String, name: String? = nil, pipelineNumber: Int64? = nil, repoID: Int64? = nil) {
            self.id = id
            self.name = name
            self.pipelineNumber = pipelineNumber
            self.repoID = repoID
        }
    }
}
