import ArgumentParser
import Foundation
import HomelabCore

/// `homelab trace SERVICE`: a change followed from commit to running service: the last commit touching the
/// service's stack file in Forgejo (at the branch Komodo deploys), Woodpecker's pipeline for it, Komodo's deploy
/// carrying it, and the Swarm service now, each with its time; then a verdict. Exit 0 when the commit is deployed
/// and running, 5 when a link is missing, failed or could not be read (the trace is still shown), 1 when nothing
/// can be traced (an unknown service, no inventory).
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Follow a SERVICE's change from its commit to the running service: Forgejo, Woodpecker, Komodo, Swarm.",
        discussion: """
            Exit 0 when the stack file's last commit is deployed and running; 5 when a link is missing or failed \
            (CI failed, pending deploy, deploy failed, not running what git says) or a component could not be read.
            """)
    @OptionGroup var config: ConfigOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The SERVICE: stack_service, or a service name the inventory knows.", valueName: "service"),
              completion: LiveNames.services)
    var service: String
    @Option(name: .long, help: "Seconds each component may take.") var timeout: Double = 30

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let (service, timeout) = (self.service, self.timeout)
        let trace = try await HomelabContext.withConnections(config) { connections in
            try await ChangeTracer(connections: connections, timeout: .milliseconds(Int(timeout * 1000))).trace(service)
        }
        let document = TraceDocument(trace)
        try output.show(document, ids: [document.verdict]) { wide in document.text(wide: wide, terminal: output.writer.terminal) }
        if trace.verdict != .deployed { throw ExitStatus.degraded.code }
    }
}

/// `homelab trace SERVICE -o json`: the service, where its stack file is, one object per link (`state`: ok,
/// in_progress, failed, missing, unknown, skipped; `note`: why) and the verdict.
struct TraceDocument: Encodable, Sendable {
    var service: String
    var stack: String
    var repository: String
    var ref: String?
    var file: String
    /// `deployed`, `pending_deploy`, `ci_failed`, `deploy_failed`, `not_running`, `unknown`.
    var verdict: String
    var reason: String
    var commit: CommitLink
    var pipeline: PipelineLink
    var deploy: DeployLink
    var running: RunningLink

    struct CommitLink: Encodable, Sendable {
        var state: String
        var note: String?
        var sha: String?
        var title: String?
        var author: String?
        var date: Date?
    }

    struct PipelineLink: Encodable, Sendable {
        var state: String
        var note: String?
        var number: Int64?
        var status: String?
        var event: String?
        var started_at: Date?
        var finished_at: Date?
    }

    struct DeployLink: Encodable, Sendable {
        var state: String
        var note: String?
        var update: String?
        var operation: String?
        var commit: String?
        var status: String?
        var success: Bool?
        var started_at: Date?
        var ended_at: Date?
        var failure: String?
    }

    struct RunningLink: Encodable, Sendable {
        var state: String
        var note: String?
        var image: String?
        var expected_image: String?
        var updated_at: Date?
        var update_state: String?
        var update_message: String?
        var running_tasks: Int?
        var desired_tasks: Int?
    }

    init(_ trace: ChangeTrace) {
        service = trace.service
        stack = trace.stack
        repository = trace.repository
        ref = trace.ref
        file = trace.file
        verdict = trace.verdict.rawValue
        reason = trace.reason
        let c = trace.commit.detail
        commit = CommitLink(
            state: trace.commit.state.rawValue, note: trace.commit.note, sha: c?.sha, title: c?.title, author: c?.author, date: c?.date)
        let p = trace.pipeline.detail
        pipeline = PipelineLink(
            state: trace.pipeline.state.rawValue, note: trace.pipeline.note, number: p?.number, status: p?.status, event: p?.event,
            started_at: p?.started, finished_at: p?.finished)
        let d = trace.deploy.detail
        deploy = DeployLink(
            state: trace.deploy.state.rawValue, note: trace.deploy.note, update: d?.update, operation: d?.operation, commit: d?.commit,
            status: d?.status, success: d?.success, started_at: d?.started, ended_at: d?.ended, failure: d?.failure)
        let r = trace.running.detail
        running = RunningLink(
            state: trace.running.state.rawValue, note: trace.running.note, image: r?.image, expected_image: r?.expectedImage,
            updated_at: r?.updatedAt, update_state: r?.updateState, update_message: r?.updateMessage, running_tasks: r?.runningTasks,
            desired_tasks: r?.desiredTasks)
    }

    /// One line of the table: a link.
    struct StepRow: Sendable {
        var step: String
        var state: String
        var what: String
        var when: Date?
        var note: String
    }

    static let table = Table<StepRow>([
        .init("STEP") { .text($0.step) },
        .init("STATE") { .state($0.state, TraceDocument.tone($0.state)) },
        .init("WHAT") { .text($0.what) },
        .init("WHEN") { .time($0.when) },
        .init("NOTE") { .text($0.note.isEmpty ? "-" : $0.note) },
    ], indent: 2)

    static func tone(_ state: String) -> Tone {
        switch state {
        case "ok": return .good
        case "failed", "missing": return .bad
        case "skipped": return .muted
        default: return .warning
        }
    }

    var rows: [StepRow] {
        let short = commit.sha.map { String($0.prefix(10)) }
        let tasks = running.running_tasks.map { "\($0)/\(running.desired_tasks ?? 0) tasks" }
        return [
            StepRow(
                step: "commit", state: commit.state,
                what: [short, commit.title.map { "\"\($0)\"" }, commit.author.map { "by \($0)" }].compactMap { $0 }.joined(separator: " "),
                when: commit.date, note: commit.note ?? ""),
            StepRow(
                step: "pipeline", state: pipeline.state,
                what: [pipeline.number.map { "#\($0)" }, pipeline.status].compactMap { $0 }.joined(separator: " "),
                when: pipeline.finished_at ?? pipeline.started_at, note: pipeline.note ?? ""),
            StepRow(
                step: "deploy", state: deploy.state,
                what: [deploy.operation, deploy.commit.map { "at \($0)" }, deploy.success.map { $0 ? "ok" : "failed" }].compactMap { $0 }
                    .joined(separator: " "),
                when: deploy.ended_at ?? deploy.started_at, note: deploy.note ?? ""),
            StepRow(
                step: "running", state: running.state,
                what: [running.image, tasks, running.update_state].compactMap { $0 }.joined(separator: ", "),
                when: running.updated_at, note: running.note ?? ""),
        ]
    }

    /// The table view: where the file is, a line per link, the verdict.
    func text(wide: Bool, terminal: Terminal) -> String {
        let phrase = ChangeTrace.Verdict(rawValue: verdict)?.phrase ?? verdict
        let tone: Tone = verdict == ChangeTrace.Verdict.deployed.rawValue ? .good : .bad
        return "\(service): \(file) in \(repository)\(ref.map { "@\($0)" } ?? "")\n"
            + Self.table.render(rows, wide: wide, terminal: terminal) + "\n"
            + "verdict: " + tone.apply(to: phrase, colour: terminal.usesColour) + " — " + reason
    }
}
