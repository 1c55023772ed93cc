import Foundation
import HomelabCore

extension Woodpecker.Status {
    /// How a table colours the state.
    var tone: Tone {
        switch self {
        case .success: return .good
        case .failure, .error, .killed: return .bad
        default: return .warning
        }
    }
}

/// One repository in `homelab ci repos -o json`.
struct WoodpeckerRepoRow: Encodable, Sendable {
    var id: Int64
    var full_name: String
    var active: Bool
    var require_approval: String?
    var last_pipeline: Int64?
    var last_status: String?
    var last_commit: String?
    var last_finished_at: Date?

    init(_ repo: Woodpecker.Repo) {
        id = repo.id
        full_name = repo.fullName
        active = repo.active ?? false
        require_approval = repo.requireApproval
        last_pipeline = repo.lastPipeline?.number
        last_status = repo.lastPipeline?.status.rawValue
        last_commit = repo.lastPipeline?.commit
        last_finished_at = repo.lastPipeline?.finishedAt
    }

    static let table = Table<WoodpeckerRepoRow>([
        .init("ID") { .text(String($0.id)) },
        .init("REPOSITORY") { .text($0.full_name) },
        .init("ACTIVE") { .state($0.active ? "yes" : "no", $0.active ? .good : .warning) },
        .init("LAST") { .text($0.last_pipeline.map { "#\($0)" } ?? "-") },
        .init("STATUS") { row -> Cell in row.last_status.map { Cell.state($0, Woodpecker.Status(rawValue: $0).tone) } ?? Cell.text("-") },
        .init("FINISHED") { .time($0.last_finished_at) },
        .init("APPROVAL", wide: true) { .text($0.require_approval ?? "-") },
        .init("COMMIT", wide: true) { .text(String(($0.last_commit ?? "-").prefix(10))) },
    ])
}

/// One pipeline in `homelab ci pipelines REPO -o json`.
struct WoodpeckerPipelineRow: Encodable, Sendable {
    var number: Int64
    var status: String
    var event: String?
    var branch: String?
    var commit: String?
    var title: String
    var author: String?
    var created_at: Date?
    var started_at: Date?
    var finished_at: Date?
    var duration_seconds: Double?

    init(_ pipeline: Woodpecker.Pipeline, now: Date = Date()) {
        number = pipeline.number
        status = pipeline.status.rawValue
        event = pipeline.event
        branch = pipeline.branch
        commit = pipeline.commit
        title = pipeline.title
        author = pipeline.author
        created_at = pipeline.createdAt
        started_at = pipeline.startedAt
        finished_at = pipeline.finishedAt
        duration_seconds = pipeline.duration(now: now).map { $0.rounded() }
    }

    static let table = Table<WoodpeckerPipelineRow>([
        .init("#") { .text(String($0.number)) },
        .init("STATUS") { .state($0.status, Woodpecker.Status(rawValue: $0.status).tone) },
        .init("EVENT") { .text($0.event ?? "-") },
        .init("BRANCH") { .text($0.branch ?? "-") },
        .init("COMMIT") { .text(String(($0.commit ?? "-").prefix(10))) },
        .init("CREATED") { .time($0.created_at) },
        .init("DURATION") { .text($0.duration_seconds.map { WoodpeckerPipelineRow.duration($0) } ?? "-") },
        .init("TITLE") { .text($0.title) },
        .init("AUTHOR", wide: true) { .text($0.author ?? "-") },
    ])

    /// `1m05s`, `42s`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds)
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}

/// One step in `homelab ci pipelines REPO NUMBER -o json`.
struct WoodpeckerStepRow: Encodable, Sendable {
    var id: Int64
    var workflow: String
    var name: String
    var state: String
    var exit_code: Int?
    var started_at: Date?
    var finished_at: Date?

    init(_ step: Woodpecker.Step, workflow: String) {
        id = step.id
        self.workflow = workflow
        name = step.name
        state = step.state.rawValue
        exit_code = step.exitCode
        started_at = Woodpecker.date(step.started)
        finished_at = Woodpecker.date(step.finished)
    }

    static let table = Table<WoodpeckerStepRow>([
        .init("STEP") { .text(String($0.id)) },
        .init("NAME") { .text($0.name) },
        .init("STATE") { .state($0.state, Woodpecker.Status(rawValue: $0.state).tone) },
        .init("EXIT") { .text($0.exit_code.map(String.init) ?? "-") },
        .init("STARTED") { .time($0.started_at) },
        .init("WORKFLOW", wide: true) { .text($0.workflow) },
    ])
}

/// One agent in `homelab ci agents -o json`.
struct WoodpeckerAgentRow: Encodable, Sendable {
    var id: Int64
    var name: String
    var up: Bool
    var platform: String?
    var backend: String?
    var capacity: Int?
    var version: String?
    var last_contact_at: Date?

    init(_ agent: Woodpecker.Agent, now: Date = Date()) {
        id = agent.id
        name = agent.name
        up = agent.isUp(now: now)
        platform = agent.platform
        backend = agent.backend
        capacity = agent.capacity
        version = agent.version
        last_contact_at = agent.lastContactAt
    }

    static let table = Table<WoodpeckerAgentRow>([
        .init("ID") { .text(String($0.id)) },
        .init("NAME") { .text($0.name) },
        .init("STATE") { .state($0.up ? "up" : "silent", $0.up ? .good : .bad) },
        .init("PLATFORM") { .text($0.platform ?? "-") },
        .init("CAPACITY") { .text($0.capacity.map(String.init) ?? "-") },
        .init("LAST CONTACT") { .time($0.last_contact_at) },
        .init("VERSION", wide: true) { .text($0.version ?? "-") },
        .init("BACKEND", wide: true) { .text($0.backend ?? "-") },
    ])
}

/// One queued or running workflow in `homelab ci queue -o json`.
struct WoodpeckerQueueRow: Encodable, Sendable {
    var state: String
    var repo_id: Int64?
    var pipeline: Int64?
    var workflow: String?
    var agent: String?
    var platform: String?

    init(_ task: Woodpecker.QueueTask, state: String) {
        self.state = state
        repo_id = task.repoID
        pipeline = task.pipelineNumber
        workflow = task.name
        agent = task.agentName
        platform = task.labels?["platform"]
    }

    static let table = Table<WoodpeckerQueueRow>([
        .init("STATE") { .state($0.state, $0.state == "running" ? .good : .warning) },
        .init("REPO") { .text($0.repo_id.map(String.init) ?? "-") },
        .init("PIPELINE") { .text($0.pipeline.map { "#\($0)" } ?? "-") },
        .init("WORKFLOW") { .text($0.workflow ?? "-") },
        .init("AGENT") { .text($0.agent ?? "-") },
        .init("PLATFORM") { .text($0.platform ?? "-") },
    ])
}

/// One log line in `homelab ci logs ... -o json` (and each line of `--follow -o json`, one object per line).
struct WoodpeckerLogRow: Encodable, Sendable {
    var step: String
    var line: Int64
    var time: Int64?
    var text: String
}
