import Foundation
import Logging

/// Runs a ``ProvisionPlan``: each step journaled (``ProvisionJournal``) as `running` before it acts and
/// `succeeded`/`failed` after, so that re-running the plan continues after the steps that succeeded and never
/// repeats one. Every step also looks before it acts (the VM exists, SSH answers, the check passes, the node is in
/// the swarm, the labels are set), so a step that was interrupted half-way is finished, not redone.
///
/// The run stops at the first failed step; the steps after it are not run.
public struct NodeProvisioning: Sendable {
    /// What the steps act through.
    public struct Parts: Sendable {
        /// The machine step (`nil`: nothing to create, as for a TrueNAS node).
        public var machine: (any ProvisioningMachine)?
        /// SSH to the node, host key checked (the expected key, or known_hosts).
        public var shell: any NodeMaintenanceShell
        /// A manager of the swarm the node joins (tokens, nodes, services).
        public var manager: SwarmClient
        /// How the node's engine is told to join.
        public var joiner: any SwarmJoining
        /// Komodo, which deploys the stacks the node fits (`nil`: the deploy step is skipped).
        public var komodo: KomodoClient?
        /// Where the steps are journaled.
        public var journal: ProvisionJournal

        /// Parts; see each property.
        public init(
            machine: (any ProvisioningMachine)?, shell: any NodeMaintenanceShell, manager: SwarmClient, joiner: any SwarmJoining,
            komodo: KomodoClient?, journal: ProvisionJournal
        ) {
            self.machine = machine
            self.shell = shell
            self.manager = manager
            self.joiner = joiner
            self.komodo = komodo
            self.journal = journal
        }
    }

    /// Limits of the steps that wait.
    public struct Timeouts: Sendable, Hashable {
        /// Until SSH answers (a VM booting, a machine installing over PXE).
        public var ssh: Duration
        /// Until the joined node is ready in the manager's node list.
        public var join: Duration
        /// For each Komodo deploy.
        public var deploy: Duration

        /// Timeouts; see each property.
        public init(ssh: Duration = .seconds(900), join: Duration = .seconds(120), deploy: Duration = .seconds(600)) {
            self.ssh = ssh
            self.join = join
            self.deploy = deploy
        }
    }

    let parts: Parts
    let timeouts: Timeouts
    /// `host:pid` holding the node while it runs.
    let owner: String
    let logger: Logger?

    /// A runner acting through `parts`.
    /// - Parameter owner: `host:pid` claiming the node's provisioning (``ProvisionJournal/claim(node:owner:isAlive:now:)``);
    ///   this process by default.
    public init(parts: Parts, timeouts: Timeouts = Timeouts(), owner: String = JournalOwner.current, logger: Logger? = nil) {
        self.parts = parts
        self.timeouts = timeouts
        self.owner = owner
        self.logger = logger
    }

    /// Runs the plan's steps that are not done, reporting each as it ends; stops after a failed one.
    /// - Returns: the reports, in order (done steps as ``ProvisionStepReport/Outcome/skipped``).
    /// - Throws: `.conflict` naming the owner when another live process provisions the node (nothing is run);
    ///   ``HomelabError/Code/storeFailure`` when the journal cannot be written (the step is not run);
    ///   `.cancelled` when the task is cancelled (the step is journaled as failed first).
    public func run(_ plan: ProvisionPlan, progress: @Sendable (ProvisionStepReport) -> Void = { _ in }) async throws -> [ProvisionStepReport] {
        let node = plan.node.name
        try await parts.journal.claim(node: node, owner: owner)
        do {
            let reports = try await runSteps(plan, progress: progress)
            try? await parts.journal.release(node: node, owner: owner)
            return reports
        } catch {
            try? await parts.journal.release(node: node, owner: owner)
            throw error
        }
    }

    private func runSteps(_ plan: ProvisionPlan, progress: @Sendable (ProvisionStepReport) -> Void) async throws -> [ProvisionStepReport] {
        var reports: [ProvisionStepReport] = []
        let node = plan.node.name
        for (position, step) in plan.steps.enumerated() {
            if step.done {
                let report = ProvisionStepReport(
                    step: step.id, kind: step.kind, outcome: .skipped,
                    detail: "done in an earlier run" + (step.previousDetail.map { $0.isEmpty ? "" : ": \($0)" } ?? ""))
                reports.append(report)
                progress(report)
                continue
            }
            try await parts.journal.record(node: node, stepID: step.id, position: position, status: .running)
            var report: ProvisionStepReport
            do {
                report = try await perform(step, node: plan.node)
            } catch let error as HomelabError where error.code == .cancelled {
                try? await parts.journal.record(node: node, stepID: step.id, position: position, status: .failed, detail: "interrupted")
                throw error
            } catch is CancellationError {
                try? await parts.journal.record(node: node, stepID: step.id, position: position, status: .failed, detail: "interrupted")
                throw HomelabError(.cancelled, "provisioning \(node) was interrupted during step \(step.id)", component: "provision")
            } catch {
                let text = (error as? HomelabError)?.description ?? Redaction.redactText(String(describing: error))
                report = ProvisionStepReport(step: step.id, kind: step.kind, outcome: .failed, detail: text, isError: true)
            }
            let status: ProvisionJournal.Status = report.outcome == .failed ? .failed : .succeeded
            try await parts.journal.record(node: node, stepID: step.id, position: position, status: status, detail: report.detail)
            logger?.info("provision step", metadata: ["node": "\(node)", "step": "\(step.id)", "outcome": "\(report.outcome.rawValue)"])
            reports.append(report)
            progress(report)
            if report.outcome == .failed { break }
        }
        return reports
    }

    func perform(_ step: ProvisionPlan.Step, node: Homelab.Node) async throws -> ProvisionStepReport {
        func report(_ outcome: ProvisionStepReport.Outcome, _ detail: String, output: String? = nil) -> ProvisionStepReport {
            ProvisionStepReport(step: step.id, kind: step.kind, outcome: outcome, detail: detail, output: output)
        }
        switch step.kind {
        case .machine:
            guard let machine = parts.machine else {
                return report(.skipped, "no machine to create for a \(node.platform.rawValue) node")
            }
            let (changed, detail) = try await machine.provision(node)
            return report(changed ? .changed : .ok, detail)
        case .ssh:
            return report(.ok, try await waitForSSH(node))
        case .setup:
            guard let setup = step.setup else { return report(.failed, "setup step without its commands") }
            return try await runSetup(setup, node: node, report: report)
        case .join:
            let (changed, detail) = try await join(node)
            return report(changed ? .changed : .ok, detail)
        case .labels:
            let (changed, detail) = try await label(node)
            return report(changed ? .changed : .ok, detail)
        case .deploy:
            guard let komodo = parts.komodo else {
                return report(.skipped, "no components.komodo in the inventory")
            }
            let (changed, detail) = try await deploy(node, komodo: komodo)
            return report(changed ? .changed : .ok, detail)
        }
    }

    /// Runs `true` until SSH answers; a refused or dropped connection is retried until the timeout, a host key
    /// that is not the expected one (or unknown) fails at once.
    func waitForSSH(_ node: Homelab.Node) async throws -> String {
        let clock = ContinuousClock()
        let shell = parts.shell
        _ = try await poll(
            "SSH on \(node.name) (\(node.address):\(node.ssh.port))", component: "ssh",
            every: PollSchedule(initial: .milliseconds(250), maximum: .seconds(5)), deadline: clock.now + timeouts.ssh, clock: clock
        ) { () -> Bool? in
            do {
                let result = try await shell.run("true", on: node, timeout: .seconds(30))
                guard result.exitStatus == 0 else {
                    throw HomelabError(.commandFailed, "SSH to \(node.name) answers, but 'true' exited \(result.exitStatus.map(String.init) ?? "by a signal")", component: "ssh")
                }
                return true
            } catch let error as HomelabError where error.code == .connectionFailed || error.code == .timedOut {
                logger?.debug("SSH not up yet", metadata: ["node": "\(node.name)", "error": "\(error.code)"])
                return nil
            }
        }
        return "\(node.ssh.user)@\(node.address):\(node.ssh.port) answers; host key checked"
    }

    /// Check; apply only when the check fails; check again.
    func runSetup(
        _ setup: ProvisionStep, node: Homelab.Node, report: (ProvisionStepReport.Outcome, String, String?) -> ProvisionStepReport
    ) async throws -> ProvisionStepReport {
        let timeout = Duration.seconds(setup.timeoutSeconds)
        let first = try await parts.shell.run(setup.check, on: node, timeout: timeout)
        if first.exitStatus == 0 { return report(.ok, "check passes; apply not run", nil) }
        let applied = try await parts.shell.run(setup.apply, on: node, timeout: timeout)
        guard applied.exitStatus == 0 else {
            return report(.failed, "apply exited \(Self.exitText(applied)) (the check had exited \(Self.exitText(first)))", Self.tail(applied))
        }
        let second = try await parts.shell.run(setup.check, on: node, timeout: timeout)
        guard second.exitStatus == 0 else {
            return report(.failed, "the check still fails after apply (exit \(Self.exitText(second)))", Self.tail(second))
        }
        return report(.changed, "check failed (exit \(Self.exitText(first))); applied; check passes", nil)
    }

    static func exitText(_ result: SSHCommandResult) -> String {
        result.exitStatus.map(String.init) ?? "by signal \(result.exitSignal ?? "?")"
    }

    /// The last 20 lines of a command's output (stdout, then stderr), redacted.
    static func tail(_ result: SSHCommandResult) -> String {
        let text = String(decoding: result.stdout, as: UTF8.self) + String(decoding: result.stderr, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).suffix(20)
        return Redaction.redactText(lines.joined(separator: "\n"))
    }
}
