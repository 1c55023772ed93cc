import Foundation
import Logging

/// Woodpecker's state as metric families: the version, pipelines by status per active repository (among each
/// one's newest 50), the queue (pending, waiting on dependencies, running; the workers), and each agent's
/// liveness.
///
/// ``families(_:now:)`` is a pure function of what Woodpecker answered.
public enum WoodpeckerMetrics {
    /// What one collection read.
    public struct Reading: Sendable {
        /// `GET /version`.
        public var version: Woodpecker.ServerVersion
        /// The active repositories, each with its newest pipelines.
        public var pipelines: [(repo: String, pipelines: [Woodpecker.Pipeline])]
        /// `GET /api/queue/info`.
        public var queue: Woodpecker.QueueInfo
        /// `GET /api/agents`.
        public var agents: [Woodpecker.Agent]

        /// A reading.
        public init(
            version: Woodpecker.ServerVersion, pipelines: [(repo: String, pipelines: [Woodpecker.Pipeline])], queue: Woodpecker.QueueInfo,
            agents: [Woodpecker.Agent]
        ) {
            self.version = version
            self.pipelines = pipelines
            self.queue = queue
            self.agents = agents
        }
    }

    /// How many of each repository's newest pipelines are counted.
    public static let pipelinesPerRepository = 50

    /// Reads the version, queue, agents and the active repositories' newest pipelines.
    /// - Throws: the first failed call's error.
    public static func read(_ woodpecker: WoodpeckerClient, logger: Logger? = nil) async throws -> Reading {
        async let version = woodpecker.version(logger: logger)
        async let queue = woodpecker.queue.info(logger: logger)
        async let agents = woodpecker.agents.list(logger: logger).collect()
        let repos = try await woodpecker.repos.mine(logger: logger).filter { $0.active != false }
        let pipelines = try await withThrowingTaskGroup(of: (String, [Woodpecker.Pipeline]).self) { group in
            for repo in repos {
                group.addTask {
                    var client = woodpecker
                    client.pageSize = pipelinesPerRepository
                    var found: [Woodpecker.Pipeline] = []
                    for try await pipeline in client.pipelines.list(repo: repo.id, logger: logger) {
                        found.append(pipeline)
                        if found.count >= pipelinesPerRepository { break }
                    }
                    return (repo.fullName, found)
                }
            }
            var out: [(repo: String, pipelines: [Woodpecker.Pipeline])] = []
            for try await entry in group { out.append((entry.0, entry.1)) }
            return out.sorted { $0.repo < $1.repo }
        }
        return Reading(version: try await version, pipelines: pipelines, queue: try await queue, agents: try await agents)
    }

    /// The families for one reading; agent liveness is judged at `now`.
    public static func families(_ reading: Reading, now: Date = Date()) -> [MetricFamily] {
        var info = MetricFamily("woodpecker_version_info", help: "Woodpecker's version as the server reports it.")
        info.add(1, ["version": reading.version.version])

        var pipelines = MetricFamily(
            "woodpecker_repo_pipelines", help: "Pipelines of each active repository by status, among its newest \(pipelinesPerRepository).")
        var last = MetricFamily(
            "woodpecker_repo_last_pipeline_timestamp_seconds", help: "When each repository's newest pipeline was created (Unix time).")
        for entry in reading.pipelines {
            var counts: [String: Int] = [:]
            for pipeline in entry.pipelines { counts[pipeline.status.rawValue, default: 0] += 1 }
            for status in Woodpecker.Status.knownCases.map(\.rawValue) + counts.keys.filter({ Woodpecker.Status(rawValue: $0).isKnown == false }).sorted() {
                pipelines.add(Double(counts[status] ?? 0), ["repo": entry.repo, "status": status])
            }
            if let newest = entry.pipelines.max(by: { $0.number < $1.number }), let created = newest.created {
                last.add(Double(created), ["repo": entry.repo])
            }
        }

        let counts = reading.queue.counts
        var queue = MetricFamily("woodpecker_queue_workflows", help: "Workflows in Woodpecker's queue by state.")
        queue.add(Double(counts.pendingCount), ["state": "pending"])
        queue.add(Double(counts.waitingOnDepsCount), ["state": "waiting_on_deps"])
        queue.add(Double(counts.runningCount), ["state": "running"])
        var workers = MetricFamily("woodpecker_queue_workers", help: "Workflow slots of the connected agents.")
        workers.add(Double(counts.workerCount))
        var paused = MetricFamily("woodpecker_queue_paused", help: "Whether the queue is paused (1) or not (0).")
        paused.add(reading.queue.paused == true ? 1 : 0)

        var up = MetricFamily("woodpecker_agent_up", help: "Whether the agent called the server within the last minute.")
        var contact = MetricFamily("woodpecker_agent_last_contact_timestamp_seconds", help: "When the agent last called the server (Unix time).")
        for agent in reading.agents.sorted(by: { $0.name < $1.name }) {
            up.add(agent.isUp(now: now) ? 1 : 0, ["agent": agent.name, "platform": agent.platform ?? ""])
            if let last = agent.lastContact, last > 0 { contact.add(Double(last), ["agent": agent.name]) }
        }
        return [info, pipelines, last, queue, workers, paused, up, contact]
    }
}
