import Foundation

/// The steps `homelab provision NODE` runs for one node, in order, and what the journal says about each: a pure
/// value (no I/O), so the dry run shows exactly the plan the run follows.
///
/// The pipeline is the seed's: the machine (a Proxmox VM from its template, or a PXE registration), SSH with the
/// expected host key, the declared setup steps (check, apply only when the check fails, check again), the swarm
/// join with a manager's token, the inventory's labels, and Komodo deploying the stacks the node now fits.
public struct ProvisionPlan: Sendable, Hashable {
    /// What kind of step.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Create or register the machine.
        case machine
        /// SSH answers with the expected host key.
        case ssh
        /// One declared setup step over SSH.
        case setup
        /// `docker swarm join` with a manager's token.
        case join
        /// The inventory's node labels.
        case labels
        /// Komodo deploys the stacks the node fits.
        case deploy
    }

    /// One planned step.
    public struct Step: Sendable, Hashable {
        /// Unique in the plan: the kind, or `setup:NAME` for a setup step.
        public var id: String
        public var kind: Kind
        /// What it does, in a few words.
        public var summary: String
        /// The setup step it runs (``Kind/setup`` only).
        public var setup: ProvisionStep?
        /// Whether an earlier run finished it (the journal says succeeded): it is not run again.
        public var done: Bool
        /// The journal's detail of that earlier run.
        public var previousDetail: String?
    }

    /// The node.
    public var node: Homelab.Node
    /// The steps in order.
    public var steps: [Step]

    /// The plan for `node`: its machine step by platform, SSH, `homelab.provisionSteps(for:)`, join, labels, deploy;
    /// steps the journal records as succeeded are marked done.
    public init(node: Homelab.Node, homelab: Homelab, journal: [ProvisionJournal.Entry] = [], hostKeySource: String? = nil) {
        self.node = node
        let machine: String
        switch node.platform {
        case .proxmoxVM:
            let placement = node.proxmox.map { "VM \($0.vmid) on \($0.node)\($0.template.map { " from template \($0)" } ?? "")" } ?? "no proxmox block"
            machine = "Proxmox: \(placement), cloud-init, start"
        case .bareMetal: machine = "PXE: matchbox group for \(node.mac ?? "no mac"), dnsmasq entry"
        case .truenas: machine = "none: a TrueNAS node is installed by hand"
        }
        let role = node.role == .manager ? "manager" : "worker"
        let labels = node.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        var steps = [
            Step(id: Kind.machine.rawValue, kind: .machine, summary: machine, done: false),
            Step(
                id: Kind.ssh.rawValue, kind: .ssh,
                summary: "\(node.ssh.user)@\(node.address):\(node.ssh.port), host key \(hostKeySource ?? "from known_hosts")", done: false),
        ]
        for setup in homelab.provisionSteps(for: node) {
            steps.append(Step(id: "setup:\(setup.name)", kind: .setup, summary: "check: \(setup.check)", setup: setup, done: false))
        }
        steps += [
            Step(id: Kind.join.rawValue, kind: .join, summary: "docker swarm join as a \(role) with a manager's \(role) token", done: false),
            Step(id: Kind.labels.rawValue, kind: .labels, summary: labels.isEmpty ? "no labels in the inventory" : labels, done: false),
            Step(id: Kind.deploy.rawValue, kind: .deploy, summary: "Komodo deploys the stacks whose placement constraints \(node.name) satisfies", done: false),
        ]
        let succeeded = Dictionary(journal.filter { $0.status == .succeeded }.map { ($0.stepID, $0.detail) }) { first, _ in first }
        for index in steps.indices {
            if let detail = succeeded[steps[index].id] {
                steps[index].done = true
                steps[index].previousDetail = detail
            }
        }
        self.steps = steps
    }

    /// Whether an earlier run left work behind (some steps done, not all).
    public var isPartlyDone: Bool { steps.contains(where: \.done) && !steps.allSatisfy(\.done) }
}

/// What happened to one step of a run.
public struct ProvisionStepReport: Sendable, Hashable, Codable {
    /// How a step ended.
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        /// Not run: an earlier run finished it, or it does not apply to this node.
        case skipped
        /// Looked, and everything was already in place.
        case ok
        /// Acted, and the result is in place.
        case changed
        /// Did not reach its result; the run stopped here.
        case failed
    }

    /// The step (``ProvisionPlan/Step/id``).
    public var step: String
    public var kind: ProvisionPlan.Kind
    public var outcome: Outcome
    /// What it found or did, or why it failed.
    public var detail: String
    /// For a failed setup step: what its check (or its apply, when that failed) printed, redacted and cut to its
    /// last lines.
    public var output: String?
    /// Whether it failed on an error (a component refused or was unreachable) rather than a check that still fails.
    public var isError: Bool

    /// A report; see each property.
    public init(step: String, kind: ProvisionPlan.Kind, outcome: Outcome, detail: String, output: String? = nil, isError: Bool = false) {
        self.step = step
        self.kind = kind
        self.outcome = outcome
        self.detail = detail
        self.output = output
        self.isError = isError
    }
}
