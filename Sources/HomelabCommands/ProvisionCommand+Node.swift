import ArgumentParser
import Foundation
import HomelabCore
import Logging

extension ProvisionCommand {
    /// `homelab provision NODE` (or `homelab provision node NODE`): the whole pipeline for one node, resumable.
    struct Node: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "node",
            abstract: "Provision NODE end to end: machine, SSH, setup steps, swarm join, labels, Komodo deploys (resumable).",
            discussion: """
                The steps: the machine (a Proxmox VM from its template for proxmox-vm nodes, the PXE registration for \
                bare-metal nodes); SSH with the expected host key (the node's provision.host_key or --host-key, else \
                its known_hosts entry; never accepted unseen); each setup step of the inventory's provision: block (or \
                the default list), its check run first and its apply only when the check fails, then the check again; \
                docker swarm join with a manager's token; the inventory's labels; Komodo deploying the stacks whose \
                placement constraints the node now satisfies. Each step is journaled in the state store: running the \
                command again (or --resume) continues after the steps that succeeded; --fresh starts over. \
                One line per step: skipped, ok, changed or failed. Exit 0 when every step is done, 3 when a step \
                failed (the step and what its check printed), 1 on an error.
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: ArgumentHelp("The inventory NODE to provision.", valueName: "node"), completion: LiveNames.inventoryNodes)
        var node: String
        @Flag(name: .long, help: "Show the plan (and what the journal says is done); change nothing.") var dryRun = false
        @Flag(name: .long, help: "Continue an earlier run that stopped; refused when none did.") var resume = false
        @Flag(name: .long, help: "Forget the node's journal and run every step again.") var fresh = false
        @Option(name: .long, help: "File with the node's SSH host public key (overrides provision.host_key).") var hostKey: String?
        @Option(name: .long, help: "A public key file cloud-init or the installer authorizes (repeatable; default: identity_file.pub).")
        var authorizedKey: [String] = []
        @Option(name: .long, help: "What a bare-metal node installs: debian or talos.") var os = "debian"
        @Option(name: .long, help: "Seconds to wait for SSH (a VM booting, a machine installing).") var sshTimeout = 900
        @Option(name: .long, help: "known_hosts for the other nodes (default $HOMELAB_KNOWN_HOSTS, ~/.ssh/known_hosts).")
        var knownHosts: String?

        func validate() throws {
            guard sshTimeout > 0 else { throw ValidationError("--ssh-timeout must be positive") }
            guard !(resume && fresh) else { throw ValidationError("--resume continues the journal and --fresh forgets it: give one") }
            guard BareMetalProvisioning.OperatingSystem(rawValue: os) != nil else { throw ValidationError("--os is debian or talos, not '\(os)'") }
        }

        func run() async throws {
            let environment = Terminal.active.environment
            let options = self
            let outcome = try await HomelabContext.withConnections(config, environment: environment) { connections in
                try await options.provision(connections: connections, environment: environment)
            }
            try output.show(outcome.document, ids: outcome.document.steps.map(\.step)) { _ in outcome.document.summary }
            if let failed = outcome.document.steps.first(where: { $0.outcome == ProvisionStepReport.Outcome.failed.rawValue }) {
                throw (failed.error ? ExitStatus.error : ExitStatus.failed).code
            }
        }

        struct Outcome: Sendable {
            var document: ProvisionDocument
        }

        func provision(connections: HomelabConnections, environment: [String: String]) async throws -> Outcome {
            let homelab = connections.homelab
            guard let target = homelab.node(named: node) else {
                throw ValidationError("no node '\(node)' in the inventory (nodes: \(homelab.nodes.map(\.name).joined(separator: ", ")))")
            }
            let store = try StateStore(path: try StateStore.defaultPath(environment: environment))
            let journal = store.provisionJournal
            if fresh, !dryRun { try await journal.reset(node: node) }
            let entries = fresh ? [] : try await journal.entries(node: node)
            let keyLine: String?
            let keySource: String?
            if let hostKey {
                keyLine = try ProvisionCommand.VM.read(hostKey, what: "--host-key")
                keySource = "expected (--host-key)"
            } else {
                keyLine = target.provision?.hostKey
                keySource = keyLine == nil ? nil : "expected (provision.host_key)"
            }
            let expected = try keyLine.map { try ExpectedHostKey(publicKeyLine: $0) }
            let plan = ProvisionPlan(node: target, homelab: homelab, journal: entries, hostKeySource: keySource)
            if resume, !entries.contains(where: { $0.status != .succeeded }), !plan.isPartlyDone {
                throw ValidationError("nothing to resume for \(node): no earlier run stopped part-way (run without --resume to start)")
            }
            if dryRun { return Outcome(document: ProvisionDocument(plan: plan)) }

            let logger = connections.logger ?? Logger(label: "homelab.provision")
            guard let baseShell = HomelabContext.nodeShell(knownHosts: knownHosts, environment: environment, logger: logger) else {
                throw HomelabContext.knownHostsMissing
            }
            var nodeShell = baseShell
            var knownHostsFile: String?
            if let expected {
                let file = try expected.knownHostsFile(host: target.address, port: target.ssh.port)
                knownHostsFile = file
                nodeShell.knownHostsFile = file
                nodeShell.hostKeyPolicy = .strict
            }
            defer { if let knownHostsFile { ExpectedHostKey.remove(knownHostsFile) } }
            let machineDone = plan.steps.first { $0.kind == .machine }?.done ?? true
            let machine = machineDone ? nil : try await self.machine(for: target, connections: connections, shell: baseShell, environment: environment)
            let komodo = homelab.components[.komodo] == nil ? nil : try await connections.komodo()
            let parts = NodeProvisioning.Parts(
                machine: machine, shell: nodeShell, manager: try await connections.swarm(), joiner: SSHSwarmJoin(shell: nodeShell), komodo: komodo,
                journal: journal)
            let runner = NodeProvisioning(parts: parts, timeouts: .init(ssh: .seconds(sshTimeout)), logger: connections.logger)
            let writer = output.writer
            let reports = try await runner.run(plan) { report in writer.line(ProvisionDocument.line(report)) }
            return Outcome(document: ProvisionDocument(plan: plan, reports: reports))
        }

        func machine(
            for target: HomelabCore.Homelab.Node, connections: HomelabConnections, shell: SSHNodeShell, environment: [String: String]
        ) async throws -> (any ProvisioningMachine)? {
            var files = authorizedKey
            if files.isEmpty, let identity = target.ssh.identityFile {
                let home = environment["HOME"] ?? ""
                let pub = (identity.hasPrefix("~/") ? home + identity.dropFirst(1) : identity) + ".pub"
                if FileManager.default.fileExists(atPath: pub) { files = [pub] }
            }
            let keys = try files.map { try ProvisionCommand.VM.read($0, what: "--authorized-key") }
            switch target.platform {
            case .proxmoxVM:
                guard !keys.isEmpty else {
                    throw ValidationError("give --authorized-key: cloud-init needs a key to authorize (the node has no identity_file with a .pub)")
                }
                let vms = VMProvisioning(proxmox: try await connections.proxmox(), ssh: shell, logger: connections.logger)
                return ProxmoxMachine(provisioning: vms, authorizedKeys: keys)
            case .bareMetal:
                let dnsmasq = connections.homelab.components[.dnsmasq] == nil ? nil : try connections.dnsmasqFile(shell: shell)
                let provisioning = BareMetalProvisioning(
                    homelab: connections.homelab, matchbox: try connections.matchboxDirectory(shell: shell), dnsmasq: dnsmasq,
                    logger: connections.logger)
                let system = BareMetalProvisioning.OperatingSystem(rawValue: os) ?? .debian
                return PXEMachine(provisioning: provisioning, request: .init(node: target, operatingSystem: system, authorizedKeys: keys))
            case .truenas:
                return nil
            }
        }
    }
}

/// `homelab provision NODE -o json`: the node, whether it was a dry run, the result (`planned`, `done`, `failed`), and
/// one object per step (`outcome` skipped|ok|changed|failed, or `planned`/`done` in a dry run).
struct ProvisionDocument: Encodable, Sendable {
    struct Step: Encodable, Sendable {
        var step: String
        var kind: String
        var outcome: String
        var detail: String
        /// A failed setup step: what its check (or apply) printed.
        var output: String?
        /// A failure on an error (a component), not a check.
        var error: Bool
        var check: String?
        var apply: String?
    }

    var node: String
    var platform: String
    var dry_run: Bool
    var result: String
    var failed_step: String?
    var steps: [Step]

    /// The dry run's document.
    init(plan: ProvisionPlan) {
        node = plan.node.name
        platform = plan.node.platform.rawValue
        dry_run = true
        result = "planned"
        steps = plan.steps.map { step in
            Step(
                step: step.id, kind: step.kind.rawValue, outcome: step.done ? "done" : "planned",
                detail: step.setup == nil ? step.summary : (step.done ? "done in an earlier run" : "check, then apply if it fails"),
                output: nil, error: false, check: step.setup?.check, apply: step.setup?.apply)
        }
    }

    /// A run's document.
    init(plan: ProvisionPlan, reports: [ProvisionStepReport]) {
        node = plan.node.name
        platform = plan.node.platform.rawValue
        dry_run = false
        let failed = reports.first { $0.outcome == .failed }
        result = failed == nil && reports.count == plan.steps.count ? "done" : "failed"
        failed_step = failed?.step
        steps = reports.map {
            Step(step: $0.step, kind: $0.kind.rawValue, outcome: $0.outcome.rawValue, detail: $0.detail, output: $0.output, error: $0.isError)
        }
    }

    /// One progress line: `STEP  OUTCOME  DETAIL`.
    static func line(_ report: ProvisionStepReport) -> String {
        let name = report.step.padding(toLength: max(report.step.count, 22), withPad: " ", startingAt: 0)
        let outcome = report.outcome.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        var text = "\(name) \(outcome) \(report.detail)"
        if let output = report.output, !output.isEmpty {
            text += "\n" + output.split(separator: "\n", omittingEmptySubsequences: false).map { "    | \($0)" }.joined(separator: "\n")
        }
        return text
    }

    /// What table output shows after the progress lines (the whole plan in a dry run).
    var summary: String {
        if dry_run {
            var lines = ["plan for \(node) (\(platform)); nothing changed:"]
            for step in steps {
                let name = step.step.padding(toLength: max(step.step.count, 22), withPad: " ", startingAt: 0)
                lines.append("  \(name) \(step.outcome.padding(toLength: 8, withPad: " ", startingAt: 0)) \(step.detail)")
                if let check = step.check, let apply = step.apply {
                    lines.append("      check: \(check)")
                    lines.append("      apply: \(apply)")
                }
            }
            return lines.joined(separator: "\n")
        }
        if let failed = steps.first(where: { $0.outcome == "failed" }) {
            return "\(node): step \(failed.step) failed; fix it and run `homelab provision \(node)` again to continue from there"
        }
        return "\(node): provisioned (\(steps.filter { $0.outcome == "changed" }.count) step(s) changed)"
    }
}
