import Foundation
import HomelabCore

/// The simulated Woodpecker CI's state: the repositories it builds (those of the simulated Forgejo), their
/// pipelines in every state, step logs, agents and the queue.
///
/// Seeded so that `homelab/stacks` has one push pipeline per commit of ``StacksRepositoryHistory`` (the same
/// shas; the newest still running, its last step logging a line every 30 simulated seconds; one failed),
/// plus a pull request from `renovate/updates` blocked awaiting approval; `homelab/exporter-image` has one
/// pipeline in each remaining state (success, failure, killed, canceled, error, skipped, declined, blocked,
/// pending, created). Pipelines started through the API (manual runs, restarts, approvals) run three short steps
/// in simulated time, one log line every 2 simulated seconds.
public actor WoodpeckerWorld {
    /// The personal token of `ops` (an admin), which the written inventory uses.
    public nonisolated let token: String
    /// What `GET /version` answers.
    public private(set) var version = "3.8.0"
    let clock: SimulatedClock

    struct RepoRecord {
        var id: Int64
        var forgeRemoteID: String
        var owner: String
        var name: String
        var active: Bool
        var isPrivate: Bool
        var requireApproval: String
        var fullName: String { "\(owner)/\(name)" }
    }

    struct StepRecord {
        var id: Int64
        var pid: Int64
        var name: String
        var type: String
        var state: Woodpecker.Status
        var exitCode: Int = 0
        var started: Int64 = 0
        var finished: Int64 = 0
        var error: String = ""
    }

    struct PipelineRecord {
        var id: Int64
        var repoID: Int64
        var number: Int64
        var status: Woodpecker.Status
        var event: String
        var branch: String
        var commit: String
        var message: String
        var author: String
        var created: Int64
        var started: Int64 = 0
        var finished: Int64 = 0
        var reviewedBy: String = ""
        var errors: [JSONValue] = []
        var platform = "linux/amd64"
        var agentID: Int64 = 0
        var workflowID: Int64
        var steps: [StepRecord]

        var ref: String {
            switch event {
            case "pull_request": return "refs/pull/\(number)/head"
            case "tag", "release": return "refs/tags/\(branch)"
            default: return "refs/heads/\(branch)"
            }
        }
    }

    struct AgentRecord {
        var id: Int64
        var name: String
        var platform: String
        var capacity: Int
        /// Seconds since its last contact, at any moment.
        var silentFor: TimeInterval
        var created: Int64
    }

    var repos: [RepoRecord] = []
    var pipelines: [PipelineRecord] = []
    /// Step ID → its log lines (text and seconds since the step started).
    var logs: [Int64: [(line: Int64, time: Int64, text: String)]] = [:]
    var agents: [AgentRecord] = []
    var nextID: Int64 = 1000
    var runners: [Task<Void, Never>] = []

    /// The CI for `history` (the stack repository's commits).
    init(history: StacksRepositoryHistory, clock: SimulatedClock, now: Date = Date()) async {
        token = "wp_" + ForgejoWorld.randomHex(24)
        self.clock = clock
        let epoch = Int64(now.timeIntervalSince1970)
        repos = [
            RepoRecord(id: 1, forgeRemoteID: "20", owner: "homelab", name: "stacks", active: true, isPrivate: true, requireApproval: "pull_requests"),
            RepoRecord(id: 2, forgeRemoteID: "21", owner: "homelab", name: "exporter-image", active: true, isPrivate: false, requireApproval: "forks"),
            RepoRecord(id: 3, forgeRemoteID: "22", owner: "homelab", name: "infra", active: true, isPrivate: true, requireApproval: "none"),
            RepoRecord(id: 4, forgeRemoteID: "24", owner: "ops", name: "dotfiles", active: false, isPrivate: false, requireApproval: "none"),
        ]
        agents = [
            AgentRecord(id: 1, name: "barbary", platform: "linux/amd64", capacity: 2, silentFor: 3, created: epoch - 300 * 86_400),
            AgentRecord(id: 2, name: "lorcha", platform: "linux/amd64", capacity: 1, silentFor: 5, created: epoch - 200 * 86_400),
            AgentRecord(id: 3, name: "dhow", platform: "linux/arm64", capacity: 1, silentFor: 2 * 3600, created: epoch - 100 * 86_400),
        ]
        seedStacks(history, now: epoch)
        seedImagePipelines(now: epoch)
        pipelines.append(finishedPipeline(repo: 3, number: 1, status: .success, event: "push", branch: "main",
                                          commit: StacksRepositoryHistory.digest("infra"), message: "Hardening script", created: epoch - 20 * 86_400))
    }

    /// Starts the seeded running pipeline's log.
    func start() {
        guard let running = pipelines.first(where: { $0.status == .running }), let step = running.steps.last(where: { $0.state == .running }) else { return }
        let first = Int64(logs[step.id]?.count ?? 0)
        runners.append(Task { [clock] in
            var line = first
            while !Task.isCancelled && line < 600 {
                try? await clock.sleep(for: .seconds(30))
                if Task.isCancelled { return }
                guard self.appendLog(step: step.id, text: "watch: \(line) services converged", pipelineID: running.id) else { return }
                line += 1
            }
            self.finishStep(pipelineID: running.id, stepID: step.id, state: .success)
        })
    }

    /// Stops every runner.
    func stop() {
        for runner in runners { runner.cancel() }
        runners.removeAll()
    }

    /// Makes the server report `version`.
    public func setVersion(_ version: String) { self.version = version }

    func takeID() -> Int64 {
        nextID += 1
        return nextID
    }

    // MARK: Seeding

    private func steps(_ names: [(String, String)], state: Woodpecker.Status, start: Int64, failing: Int? = nil) -> [StepRecord] {
        var out: [StepRecord] = []
        for (index, entry) in names.enumerated() {
            var step = StepRecord(id: takeID(), pid: Int64(index + 2), name: entry.0, type: entry.1, state: state)
            step.started = state == .pending || state == .blocked || state == .created || state == .skipped ? 0 : start + Int64(index * 20)
            step.finished = step.started == 0 || state == .running ? 0 : step.started + 18
            if let failing {
                if index == failing { step.state = .failure; step.exitCode = 1 }
                if index > failing { step.state = .skipped; step.started = 0; step.finished = 0 }
            }
            out.append(step)
        }
        return out
    }

    static let stackSteps = [("clone", "clone"), ("validate", "commands"), ("lint", "commands")]

    private func finishedPipeline(
        repo: Int64, number: Int64, status: Woodpecker.Status, event: String, branch: String, commit: String, message: String,
        created: Int64, author: String = "ops", failing: Int? = nil
    ) -> PipelineRecord {
        let started = [.pending, .blocked, .created, .declined, .skipped].contains(status) ? Int64(0) : created + 3
        let stepState: Woodpecker.Status = status == .failure ? .success : (status == .declined ? .skipped : status)
        var record = PipelineRecord(
            id: takeID(), repoID: repo, number: number, status: status, event: event, branch: branch, commit: commit, message: message,
            author: author, created: created, started: started, finished: status.isFinished && started > 0 ? created + 70 : 0,
            workflowID: takeID(), steps: steps(Self.stackSteps, state: stepState, start: started, failing: status == .failure ? failing ?? 1 : nil))
        if started > 0 { record.agentID = 1 }
        for step in record.steps where step.started > 0 {
            logs[step.id] = Self.lines(for: step.name, failed: step.state == .failure).enumerated().map { (Int64($0.offset), Int64($0.offset), $0.element) }
        }
        return record
    }

    static func lines(for step: String, failed: Bool) -> [String] {
        switch step {
        case "clone": return ["+ git init", "+ git fetch --depth=1 origin", "+ git checkout FETCH_HEAD"]
        case "validate":
            return failed
                ? ["+ for f in stacks/*/compose.yaml", "checking stacks/media-core/compose.yaml", "error: services.plex.image: empty image", "exit status 1"]
                : ["+ for f in stacks/*/compose.yaml", "checking stacks/ingress/compose.yaml", "checking stacks/media-core/compose.yaml", "all stacks valid"]
        case "lint": return ["+ yamllint stacks/", "0 problems"]
        default: return ["+ \(step)", "done"]
        }
    }

    private func seedStacks(_ history: StacksRepositoryHistory, now: Int64) {
        for (index, commit) in history.commits.enumerated() {
            let created = Int64(commit.date.timeIntervalSince1970) + 2
            let isNewest = index == history.commits.count - 1
            let status: Woodpecker.Status = isNewest ? .running : (index == StacksRepositoryHistory.failedCheckIndex ? .failure : .success)
            var record = finishedPipeline(
                repo: 1, number: Int64(index + 1), status: status == .running ? .success : status, event: "push", branch: "main",
                commit: commit.sha, message: commit.message, created: created, author: commit.author)
            if isNewest {
                record.status = .running
                record.finished = 0
                record.steps[2].name = "watch"
                record.steps[2].state = .running
                record.steps[2].finished = 0
                record.steps[2].started = now - 30
                logs[record.steps[2].id] = [(0, 0, "+ homelab-watch --until converged"), (1, 1, "watch: waiting for Komodo's sync")]
            }
            pipelines.append(record)
        }
        let pull = finishedPipeline(
            repo: 1, number: Int64(history.commits.count + 1), status: .blocked, event: "pull_request", branch: "renovate/updates",
            commit: history.commits.count > 1 ? history.commits[history.commits.count - 2].sha : StacksRepositoryHistory.digest("pr"),
            message: "Update images", created: now - 600, author: "renovate")
        pipelines.append(pull)
    }

    private func seedImagePipelines(now: Int64) {
        let states: [(Woodpecker.Status, String, String)] = [
            (.success, "tag", "v1.1.0"), (.failure, "push", "main"), (.killed, "push", "main"), (.canceled, "push", "main"),
            (.error, "push", "main"), (.skipped, "cron", "main"), (.declined, "pull_request", "fork/feature"),
            (.blocked, "pull_request", "fork/arm"), (.pending, "manual", "main"), (.created, "push", "main"),
        ]
        for (index, entry) in states.enumerated() {
            var record = finishedPipeline(
                repo: 2, number: Int64(index + 1), status: entry.0, event: entry.1, branch: entry.2,
                commit: StacksRepositoryHistory.digest("image\(index)"), message: "exporter image change \(index + 1)",
                created: now - Int64(states.count - index) * 7200)
            if entry.0 == .error {
                record.errors = [.object([
                    "type": .string("linter"), "message": .string("steps.build.image: image is required"), "is_warning": .bool(false),
                    "data": .object(["file": .string(".woodpecker.yaml"), "field": .string("steps.build.image")]),
                ])]
            }
            if entry.0 == .pending { record.platform = "windows/amd64" }
            if entry.0 == .declined { record.reviewedBy = "ops" }
            pipelines.append(record)
        }
    }
}
