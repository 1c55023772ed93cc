import Foundation
import HomelabCore
import Hummingbird

/// An error answer of the simulated Woodpecker: a status and a plain-text body, as its handlers write them
/// (`c.String(status, message)`).
struct WoodpeckerAPIError: SimulatedAPIError, HTTPResponseError {
    let code: Int
    let message: String
    var status: HTTPResponse.Status { HTTPResponse.Status(code: code) }

    static func notFound(_ what: String) -> WoodpeckerAPIError { WoodpeckerAPIError(code: 404, message: what) }
    static func badRequest(_ message: String) -> WoodpeckerAPIError { WoodpeckerAPIError(code: 400, message: message) }
    static func conflict(_ message: String) -> WoodpeckerAPIError { WoodpeckerAPIError(code: 409, message: message) }
    static let unauthorized = WoodpeckerAPIError(code: 401, message: "Unauthorized")

    func response(from request: Request, context: some RequestContext) throws -> Response {
        WoodpeckerText.response(status, message)
    }
}

/// Woodpecker's plain-text answers.
enum WoodpeckerText {
    /// `message` as `text/plain`.
    static func response(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }
}

/// What the simulated Woodpecker's routes ask, in the JSON shapes of its swagger.
extension WoodpeckerWorld {
    // MARK: JSON

    func userJSON() -> JSONValue {
        .object([
            "id": .integer(1), "login": .string("ops"), "email": .string("ops@home.arpa"), "avatar_url": .string("https://git.home.arpa/avatars/ops"),
            "admin": .bool(true), "forge_id": .integer(1), "forge_remote_id": .string("1"), "org_id": .integer(1),
        ])
    }

    func repoJSON(_ repo: RepoRecord, lastPipeline: Bool = false) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(repo.id), "forge_id": .integer(1), "forge_remote_id": .string(repo.forgeRemoteID), "org_id": .integer(repo.owner == "ops" ? 1 : 2),
            "owner": .string(repo.owner), "name": .string(repo.name), "full_name": .string(repo.fullName),
            "avatar_url": .string("https://git.home.arpa/avatars/\(repo.owner)"), "forge_url": .string("https://git.home.arpa/\(repo.fullName)"),
            "clone_url": .string("https://git.home.arpa/\(repo.fullName).git"),
            "clone_url_ssh": .string("ssh://git@git.home.arpa:2222/\(repo.fullName).git"), "default_branch": .string("main"),
            "private": .bool(repo.isPrivate), "visibility": .string(repo.isPrivate ? "private" : "public"), "active": .bool(repo.active),
            "allow_pr": .bool(true), "allow_deploy": .bool(false), "config_file": .string(""), "timeout": .integer(60),
            "require_approval": .string(repo.requireApproval), "approval_allowed_users": .array([]),
            "trusted": .object(["network": .bool(false), "security": .bool(false), "volumes": .bool(false)]),
            "cancel_previous_pipeline_events": .array([.string("push")]), "netrc_trusted": .array([]), "pr_enabled": .bool(true),
        ]
        if lastPipeline, let last = pipelines.filter({ $0.repoID == repo.id }).max(by: { $0.number < $1.number }) {
            object["last_pipeline"] = pipelineJSON(last, workflows: false)
        }
        return .object(object)
    }

    func pipelineJSON(_ pipeline: PipelineRecord, workflows: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(pipeline.id), "number": .integer(pipeline.number), "parent": .integer(0), "event": .string(pipeline.event),
            "event_reason": .array([]), "status": .string(pipeline.status.rawValue), "errors": .array(pipeline.errors),
            "created": .integer(pipeline.created), "updated": .integer(Swift.max(pipeline.finished, pipeline.started, pipeline.created)),
            "started": .integer(pipeline.started), "finished": .integer(pipeline.finished), "deploy_to": .string(""), "deploy_task": .string(""),
            "commit": .string(pipeline.commit), "branch": .string(pipeline.branch), "ref": .string(pipeline.ref), "refspec": .string(""),
            "title": .string(""), "message": .string(pipeline.message), "timestamp": .integer(pipeline.created), "sender": .string(pipeline.author),
            "author": .string(pipeline.author), "author_avatar": .string("https://git.home.arpa/avatars/\(pipeline.author)"),
            "author_email": .string("\(pipeline.author)@home.arpa"),
            "forge_url": .string("https://git.home.arpa/\(repos.first { $0.id == pipeline.repoID }?.fullName ?? "")/commit/\(pipeline.commit)"),
            "reviewed_by": .string(pipeline.reviewedBy), "reviewed": .integer(pipeline.reviewedBy.isEmpty ? 0 : pipeline.created + 60),
            "from_fork": .bool(pipeline.branch.hasPrefix("fork/")), "is_prerelease": .bool(false), "pr_labels": .array([]),
            "changed_files": .array([]), "rerun_count": .integer(0),
        ]
        if workflows {
            let state = workflowState(pipeline)
            object["workflows"] = .array([.object([
                "id": .integer(pipeline.workflowID), "pipeline_id": .integer(pipeline.id), "pid": .integer(1), "name": .string("woodpecker"),
                "state": .string(state.rawValue), "error": .string(""), "started": .integer(pipeline.started),
                "finished": .integer(pipeline.finished), "agent_id": .integer(pipeline.agentID), "platform": .string(pipeline.platform),
                "environ": .object([:]),
                "children": .array(pipeline.steps.map { stepJSON($0, pipeline) }),
            ])])
        }
        return .object(object)
    }

    private func workflowState(_ pipeline: PipelineRecord) -> Woodpecker.Status { pipeline.status }

    func stepJSON(_ step: StepRecord, _ pipeline: PipelineRecord) -> JSONValue {
        .object([
            "id": .integer(step.id), "uuid": .string("\(pipeline.id)-\(step.id)"), "pipeline_id": .integer(pipeline.id), "pid": .integer(step.pid),
            "ppid": .integer(1), "name": .string(step.name), "state": .string(step.state.rawValue), "error": .string(step.error),
            "exit_code": .integer(Int64(step.exitCode)), "started": .integer(step.started), "finished": .integer(step.finished),
            "type": .string(step.type),
        ])
    }

    func logJSON(step: Int64, _ entry: (line: Int64, time: Int64, text: String)) -> JSONValue {
        .object([
            "id": .integer(step * 10_000 + entry.line), "step_id": .integer(step), "time": .integer(entry.time), "line": .integer(entry.line),
            "data": .string(Data(entry.text.utf8).base64EncodedString()), "type": .integer(0),
        ])
    }

    func agentJSON(_ agent: AgentRecord, now: Date = Date()) -> JSONValue {
        let contact = Int64(now.timeIntervalSince1970 - agent.silentFor)
        return .object([
            "id": .integer(agent.id), "name": .string(agent.name), "owner_id": .integer(1), "org_id": .integer(-1),
            "created": .integer(agent.created), "updated": .integer(contact), "last_contact": .integer(contact), "last_work": .integer(contact - 60),
            "platform": .string(agent.platform), "backend": .string("docker"), "capacity": .integer(Int64(agent.capacity)),
            "version": .string(version), "no_schedule": .bool(false), "custom_labels": .object([:]), "token": .string(""),
        ])
    }

    // MARK: Reads

    func userRepos(all: Bool) -> [JSONValue] {
        repos.filter { all || $0.active }.map { repoJSON($0, lastPipeline: true) }
    }

    func repoList(active: Bool?) -> [JSONValue] {
        repos.filter { active == nil || $0.active == active }.map { repoJSON($0) }
    }

    func repo(_ id: Int64) throws -> RepoRecord {
        guard let repo = repos.first(where: { $0.id == id }) else { throw WoodpeckerAPIError.notFound("Repo not found") }
        return repo
    }

    func lookup(_ fullName: String) throws -> JSONValue {
        guard let repo = repos.first(where: { $0.fullName.lowercased() == fullName.lowercased() }) else {
            throw WoodpeckerAPIError.notFound("Repo not found")
        }
        return repoJSON(repo)
    }

    func activate(forgeRemoteID: String) throws -> JSONValue {
        if let index = repos.firstIndex(where: { $0.forgeRemoteID == forgeRemoteID }) {
            guard !repos[index].active else { throw WoodpeckerAPIError.conflict("Repository is already active.") }
            repos[index].active = true
            return repoJSON(repos[index])
        }
        guard forgeRemoteID == "23" else { throw WoodpeckerAPIError.notFound("Could not fetch repository from forge.") }
        let repo = RepoRecord(
            id: Int64(repos.count + 1), forgeRemoteID: "23", owner: "homelab", name: "scratch", active: true, isPrivate: false, requireApproval: "forks")
        repos.append(repo)
        return repoJSON(repo)
    }

    func pipelineList(repo id: Int64, branch: String?, event: String?, status: String?) throws -> [JSONValue] {
        _ = try repo(id)
        return pipelines.filter { pipeline in
            pipeline.repoID == id && (branch.map { $0.isEmpty || $0 == pipeline.branch } ?? true)
                && (event.map { $0.isEmpty || $0.split(separator: ",").contains(Substring(pipeline.event)) } ?? true)
                && (status.map { $0.isEmpty || $0 == pipeline.status.rawValue } ?? true)
        }.sorted { $0.number > $1.number }.map { pipelineJSON($0, workflows: false) }
    }

    func pipelineIndex(_ repoID: Int64, _ number: Int64) throws -> Int {
        _ = try repo(repoID)
        guard let index = pipelines.firstIndex(where: { $0.repoID == repoID && $0.number == number }) else {
            throw WoodpeckerAPIError.notFound("Pipeline not found")
        }
        return index
    }

    func pipeline(_ repoID: Int64, _ number: Int64) throws -> JSONValue {
        pipelineJSON(pipelines[try pipelineIndex(repoID, number)], workflows: true)
    }

    func logLines(_ repoID: Int64, _ number: Int64, step: Int64) throws -> [JSONValue] {
        let pipeline = pipelines[try pipelineIndex(repoID, number)]
        guard pipeline.steps.contains(where: { $0.id == step }) else { throw WoodpeckerAPIError.notFound("Step not found") }
        return (logs[step] ?? []).map { logJSON(step: step, $0) }
    }

    /// The step's state and its log lines from `after` on, for the stream; `nil` when there is no such step.
    func streamState(_ repoID: Int64, _ number: Int64, step: Int64, after: Int) -> (running: Bool, lines: [JSONValue])? {
        guard let index = try? pipelineIndex(repoID, number), let record = pipelines[index].steps.first(where: { $0.id == step }) else {
            return nil
        }
        let all = logs[step] ?? []
        return (record.state == .running, all.dropFirst(after).map { logJSON(step: step, $0) })
    }

    func agentList() -> [JSONValue] { agents.map { agentJSON($0) } }

    func queueInfo() -> JSONValue {
        func task(_ pipeline: PipelineRecord, running: Bool) -> JSONValue {
            var object: [String: JSONValue] = [
                "id": .string(String(pipeline.workflowID)), "pid": .integer(1), "name": .string("woodpecker"),
                "labels": .object(["platform": .string(pipeline.platform), "repo": .string(repos.first { $0.id == pipeline.repoID }?.fullName ?? "")]),
                "dependencies": .array([]), "run_on": .array([]), "dep_status": .object([:]), "repo_id": .integer(pipeline.repoID),
                "pipeline_id": .integer(pipeline.id), "pipeline_number": .integer(pipeline.number), "created": .integer(pipeline.created),
            ]
            if running {
                object["agent_id"] = .integer(pipeline.agentID)
                object["agent_name"] = .string(agents.first { $0.id == pipeline.agentID }?.name ?? "")
            }
            return .object(object)
        }
        let pending = pipelines.filter { $0.status == .pending }
        let running = pipelines.filter { $0.status == .running }
        let workers = agents.filter { $0.silentFor < 60 }.reduce(0) { $0 + $1.capacity }
        return .object([
            "pending": .array(pending.map { task($0, running: false) }), "waiting_on_deps": .array([]),
            "running": .array(running.map { task($0, running: true) }), "paused": .bool(false),
            "stats": .object([
                "worker_count": .integer(Int64(workers)), "pending_count": .integer(Int64(pending.count)),
                "waiting_on_deps_count": .integer(0), "running_count": .integer(Int64(running.count)),
            ]),
        ])
    }

    // MARK: Changes

    /// A manual run of `branch`: a new pipeline that runs three short steps.
    func create(repo id: Int64, branch: String, message: String = "Manual run") throws -> JSONValue {
        let record = try self.repo(id)
        guard record.active else { throw WoodpeckerAPIError.badRequest("repository is not active") }
        let commit = pipelines.filter { $0.repoID == id && $0.branch == branch }.max { $0.number < $1.number }?.commit
            ?? StacksRepositoryHistory.digest("manual\(id)\(branch)")
        return pipelineJSON(startRun(repo: id, event: "manual", branch: branch, commit: commit, message: message), workflows: true)
    }

    func restart(_ repoID: Int64, _ number: Int64) throws -> JSONValue {
        let old = pipelines[try pipelineIndex(repoID, number)]
        guard !old.status.isActive else { throw WoodpeckerAPIError.badRequest("Cannot restart a pipeline with status \(old.status.rawValue)") }
        return pipelineJSON(startRun(repo: repoID, event: old.event, branch: old.branch, commit: old.commit, message: old.message), workflows: true)
    }

    func cancel(_ repoID: Int64, _ number: Int64) throws {
        let index = try pipelineIndex(repoID, number)
        let status = pipelines[index].status
        guard [.running, .pending, .blocked, .created].contains(status) else {
            throw WoodpeckerAPIError.badRequest("Cannot cancel a non-running or non-pending or non-blocked pipeline")
        }
        let now = Int64(Date().timeIntervalSince1970)
        pipelines[index].status = status == .running ? .killed : .canceled
        pipelines[index].finished = now
        for step in pipelines[index].steps.indices where pipelines[index].steps[step].state.isActive {
            let running = pipelines[index].steps[step].state == .running
            pipelines[index].steps[step].state = running ? .killed : .canceled
            pipelines[index].steps[step].finished = running ? now : 0
            if running { pipelines[index].steps[step].exitCode = 137 }
        }
    }

    func approve(_ repoID: Int64, _ number: Int64) throws -> JSONValue {
        let index = try pipelineIndex(repoID, number)
        guard pipelines[index].status == .blocked else {
            throw WoodpeckerAPIError.badRequest("cannot approve a pipeline with status \(pipelines[index].status.rawValue)")
        }
        pipelines[index].reviewedBy = "ops"
        pipelines[index].status = .pending
        for step in pipelines[index].steps.indices { pipelines[index].steps[step].state = .pending }
        run(pipelineID: pipelines[index].id)
        return pipelineJSON(pipelines[index], workflows: true)
    }

    func decline(_ repoID: Int64, _ number: Int64) throws -> JSONValue {
        let index = try pipelineIndex(repoID, number)
        guard pipelines[index].status == .blocked else {
            throw WoodpeckerAPIError.badRequest("cannot decline a pipeline with status \(pipelines[index].status.rawValue)")
        }
        pipelines[index].reviewedBy = "ops"
        pipelines[index].status = .declined
        pipelines[index].finished = Int64(Date().timeIntervalSince1970)
        for step in pipelines[index].steps.indices { pipelines[index].steps[step].state = .skipped }
        return pipelineJSON(pipelines[index], workflows: true)
    }

    private func startRun(repo: Int64, event: String, branch: String, commit: String, message: String) -> PipelineRecord {
        let number = (pipelines.filter { $0.repoID == repo }.map(\.number).max() ?? 0) + 1
        var record = PipelineRecord(
            id: takeID(), repoID: repo, number: number, status: .pending, event: event, branch: branch, commit: commit, message: message,
            author: "ops", created: Int64(Date().timeIntervalSince1970), workflowID: takeID(), steps: [])
        record.steps = Self.stackSteps.enumerated().map { StepRecord(id: takeID(), pid: Int64($0.offset + 2), name: $0.element.0, type: $0.element.1, state: .pending) }
        pipelines.append(record)
        run(pipelineID: record.id)
        return record
    }

    /// Runs a pending pipeline's steps one after the other, a log line every 2 simulated seconds.
    private func run(pipelineID: Int64) {
        runners.append(Task { [clock] in
            try? await clock.sleep(for: .seconds(1))
            guard self.begin(pipelineID: pipelineID) else { return }
            for stepIndex in 0..<Self.stackSteps.count {
                guard let stepID = self.beginStep(pipelineID: pipelineID, index: stepIndex) else { return }
                for text in Self.lines(for: Self.stackSteps[stepIndex].0, failed: false) {
                    try? await clock.sleep(for: .seconds(2))
                    if Task.isCancelled { return }
                    guard self.appendLog(step: stepID, text: text, pipelineID: pipelineID) else { return }
                }
                self.finishStep(pipelineID: pipelineID, stepID: stepID, state: .success)
            }
        })
    }

    private func begin(pipelineID: Int64) -> Bool {
        guard let index = pipelines.firstIndex(where: { $0.id == pipelineID }), pipelines[index].status == .pending else { return false }
        pipelines[index].status = .running
        pipelines[index].started = Int64(Date().timeIntervalSince1970)
        pipelines[index].agentID = 1
        return true
    }

    private func beginStep(pipelineID: Int64, index: Int) -> Int64? {
        guard let pipeline = pipelines.firstIndex(where: { $0.id == pipelineID }), pipelines[pipeline].status == .running,
            index < pipelines[pipeline].steps.count
        else { return nil }
        pipelines[pipeline].steps[index].state = .running
        pipelines[pipeline].steps[index].started = Int64(Date().timeIntervalSince1970)
        return pipelines[pipeline].steps[index].id
    }

    /// Appends a log line to a running step; false once the pipeline stopped running (cancelled).
    func appendLog(step: Int64, text: String, pipelineID: Int64) -> Bool {
        guard let pipeline = pipelines.first(where: { $0.id == pipelineID }), pipeline.status == .running,
            let record = pipeline.steps.first(where: { $0.id == step }), record.state == .running
        else { return false }
        var lines = logs[step] ?? []
        let time = Swift.max(0, Int64(Date().timeIntervalSince1970) - record.started)
        lines.append((Int64(lines.count), time, text))
        logs[step] = lines
        return true
    }

    /// Ends a step; the pipeline succeeds when its last step does.
    func finishStep(pipelineID: Int64, stepID: Int64, state: Woodpecker.Status) {
        guard let index = pipelines.firstIndex(where: { $0.id == pipelineID }), pipelines[index].status == .running,
            let step = pipelines[index].steps.firstIndex(where: { $0.id == stepID })
        else { return }
        let now = Int64(Date().timeIntervalSince1970)
        pipelines[index].steps[step].state = state
        pipelines[index].steps[step].finished = now
        if step == pipelines[index].steps.count - 1 || state != .success {
            pipelines[index].status = state
            pipelines[index].finished = now
        }
    }
}
