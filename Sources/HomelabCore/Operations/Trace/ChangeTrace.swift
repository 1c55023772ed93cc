import Foundation

/// One service's change followed from git to the running service: the last commit touching its stack file in
/// Forgejo, the Woodpecker pipeline that checked that commit, the Komodo deploy that carried it, and the Swarm
/// service as it runs now, each with its time; then a verdict (see ``verdict`` and ``reason``).
///
/// Every link is there (``LinkState/ok``), under way, failed, missing (with why: "no pipeline for abc1234"),
/// unknown (its component could not be read: the error says why) or skipped (the component is not in the
/// inventory). ``ChangeTracer`` makes one; a component that cannot be reached makes its link unknown, never the
/// whole trace fail.
public struct ChangeTrace: Sendable, Hashable {
    /// The Swarm service (`stack_service`).
    public var service: String
    /// Its stack.
    public var stack: String
    /// The repository holding the stack file (`homelab/stacks`).
    public var repository: String
    /// The branch Komodo deploys (`nil`: the repository's default branch).
    public var ref: String?
    /// The stack file in the repository (`stacks/<stack>/compose.yaml`).
    public var file: String
    /// The last commit touching ``file`` on ``ref``.
    public var commit: Link<Commit>
    /// Woodpecker's pipeline for that commit.
    public var pipeline: Link<Pipeline>
    /// Komodo's deploy carrying that commit (or, when none does, the last deploy, in the link's detail).
    public var deploy: Link<Deploy>
    /// The Swarm service now.
    public var running: Link<Running>

    /// Where one link of the chain stands.
    public enum LinkState: String, Sendable, Hashable, CaseIterable {
        /// Present and done.
        case ok
        /// Present and still going (a pipeline running, a deploy queued, a rolling update).
        case inProgress = "in_progress"
        /// Present and failed.
        case failed
        /// Absent: the note says what is missing.
        case missing
        /// Its component could not be read: the note says why.
        case unknown
        /// Its component is not in the inventory.
        case skipped
    }

    /// One link: its state, what was found (also for a missing link: the last deploy, say) and why.
    public struct Link<Detail: Sendable & Hashable>: Sendable, Hashable {
        public var state: LinkState
        public var detail: Detail?
        /// Why it is missing, unknown, failed or skipped; a remark for a present one.
        public var note: String?

        /// A link.
        public init(_ state: LinkState, _ detail: Detail? = nil, note: String? = nil) {
            self.state = state
            self.detail = detail
            self.note = note
        }
    }

    /// A commit of the stack repository.
    public struct Commit: Sendable, Hashable {
        public var sha: String
        /// The first line of its message.
        public var title: String
        public var author: String?
        public var date: Date?

        /// Ten characters, as Forgejo shows it.
        public var shortSHA: String { String(sha.prefix(10)) }
    }

    /// A Woodpecker pipeline.
    public struct Pipeline: Sendable, Hashable {
        public var number: Int64
        /// `success`, `failure`, `running`, ... (Woodpecker's words).
        public var status: String
        public var event: String?
        public var started: Date?
        public var finished: Date?
    }

    /// A Komodo update that deployed (or tried to deploy) the stack.
    public struct Deploy: Sendable, Hashable {
        /// The update's ID.
        public var update: String
        public var operation: String
        /// The short commit hash it deployed.
        public var commit: String?
        /// `Queued`, `InProgress`, `Complete`.
        public var status: String
        public var success: Bool
        public var started: Date?
        public var ended: Date?
        /// The first failed stage's output, when one failed.
        public var failure: String?
    }

    /// The Swarm service as it runs.
    public struct Running: Sendable, Hashable {
        public var name: String
        /// The image its spec runs.
        public var image: String?
        /// The image the stack file names for it at the commit, when it could be read.
        public var expectedImage: String?
        /// When its spec last changed.
        public var updatedAt: Date?
        /// Its last rolling update's state (`completed`, `paused`, `rollback_completed`, ...).
        public var updateState: String?
        public var updateMessage: String?
        public var runningTasks: Int?
        public var desiredTasks: Int?
    }

    /// What the chain adds up to.
    public enum Verdict: String, Sendable, Hashable, CaseIterable {
        /// The stack file's last commit is deployed and its service runs what the file says.
        case deployed
        /// The commit is not deployed yet (or its deploy is under way).
        case pendingDeploy = "pending_deploy"
        /// Woodpecker's checks of the commit failed.
        case ciFailed = "ci_failed"
        /// Komodo tried to deploy it and failed.
        case deployFailed = "deploy_failed"
        /// Komodo deployed it, but the service does not run what git says (another image, no task, a paused or
        /// rolled-back update, no service).
        case notRunning = "not_running"
        /// A link could not be read, so nothing can be said.
        case unknown

        /// In words.
        public var phrase: String {
            switch self {
            case .deployed: return "deployed"
            case .pendingDeploy: return "pending deploy"
            case .ciFailed: return "CI failed"
            case .deployFailed: return "deploy failed"
            case .notRunning: return "not running what git says"
            case .unknown: return "unknown"
            }
        }
    }

    /// The verdict the links add up to.
    public var verdict: Verdict { conclusion.verdict }
    /// Why, in one sentence.
    public var reason: String { conclusion.reason }

    /// The verdict and its reason: a failed check first (CI, then the deploy), then a deploy still to come, then a
    /// service not running what was deployed, then anything unknown; deployed only when every link that was read
    /// is fine (a pipeline still running does not hold a deploy back: Komodo deploys on push).
    public var conclusion: (verdict: Verdict, reason: String) {
        guard commit.state == .ok, let change = commit.detail else {
            return (.unknown, "the last commit of \(file) is not known: \(commit.note ?? commit.state.rawValue)")
        }
        let short = String(change.sha.prefix(7))
        if pipeline.state == .failed {
            let number = pipeline.detail.map { "#\($0.number) " } ?? ""
            let anyway = deploy.state == .ok ? "; Komodo deployed it anyway" : ""
            return (.ciFailed, "Woodpecker pipeline \(number)failed for \(short)\(anyway)")
        }
        if deploy.state == .failed { return (.deployFailed, deploy.note ?? "Komodo's deploy of \(short) failed") }
        if deploy.state == .missing || deploy.state == .inProgress {
            return (.pendingDeploy, deploy.note ?? "Komodo has not deployed \(short) yet")
        }
        if running.state == .failed || running.state == .missing {
            return (.notRunning, running.note ?? "\(service) does not run what \(short) says")
        }
        let unknown = [("Woodpecker", pipeline), ("Komodo", deploy.erased), ("Swarm", running.erased)]
            .filter { $0.1.state == .unknown }
        if let first = unknown.first {
            return (.unknown, "\(first.0) could not be read: \(first.1.note ?? "unknown")")
        }
        if deploy.state == .skipped {
            return (.unknown, "Komodo is not in the inventory: nothing says \(short) was deployed")
        }
        var reason = "\(short) \"\(change.title)\" is deployed and \(service) runs it"
        if running.state == .inProgress { reason += " (its rolling update is still going)" }
        if pipeline.state == .inProgress { reason += "; Woodpecker is still checking it" }
        return (.deployed, reason)
    }
}

extension ChangeTrace.Link {
    /// The link without its detail (to list links of different kinds together).
    var erased: ChangeTrace.Link<ChangeTrace.Pipeline> { ChangeTrace.Link<ChangeTrace.Pipeline>(state, nil, note: note) }
}
