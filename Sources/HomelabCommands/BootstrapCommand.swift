import ArgumentParser
import Foundation
import HomelabCore
import Logging

/// `homelab bootstrap [STACK...]`: brings a fresh cluster up from its stack files, tier by tier, with readiness
/// gates, as one journaled rollout (see ``BootstrapPlan``).
public struct BootstrapCommand: AsyncParsableCommand {
    /// `bootstrap`'s name and help.
    public static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Bring the cluster up from the stack files, tier by tier, each tier healthy before the next starts.",
        discussion: """
            Reads the inventory (--config) and STACKS/<stack>/compose.yaml for each of its stacks (as `homelab lint`
            does; STACKS is --stacks-directory or the folder `stacks` beside the inventory). Services that do not
            exist are created (with the stack's networks, and its secrets and configs from their files; external
            ones must exist), services that differ from their file are updated as `rollout apply` would, services
            that match are left unchanged and only checked. Tiers go in the inventory's order: every service of a tier waits until every
            service of the tier below has converged, passed its Swarm health check and (unless --no-health-check)
            answered 2xx on its inventory health_url; depends_on orders services within a tier.

            Every step is journaled: after a crash or Ctrl-C, `homelab bootstrap --resume ID` (or `rollout resume
            ID`) finishes the work, finding what was already created by name instead of creating it twice.

            Exits 0 when every tier is up, 5 when a tier is blocked (it says which service never became healthy
            and which tiers were not started), 2 when interrupted, 1 on errors.
            """)

    /// Only these stacks.
    @Argument(help: "Stacks to bring up (default: every stack of the inventory with a stack file).")
    public var stacks: [String] = []

    /// The stacks directory.
    @Option(help: "The folder holding <stack>/compose.yaml (default: `stacks` beside the inventory).", completion: .directory)
    public var stacksDirectory: String?

    /// Plan only.
    @Flag(help: "Show the tiers and the order, change nothing.")
    public var dryRun = false

    /// Global budget.
    @Option(help: "Services starting at once.")
    public var budget = 1

    /// Node budget.
    @Option(help: "Services starting at once on any one node.")
    public var nodeBudget: Int?

    /// Convergence timeout.
    @Option(help: "Seconds each service may take to converge and become healthy (default: from its UpdateConfig).")
    public var timeout: Double?

    /// No health URLs.
    @Flag(help: "Do not require the inventory's health_url of each service to answer 2xx.")
    public var noHealthCheck = false

    /// The run ID.
    @Option(help: "Run ID (default: generated).")
    public var id: String?

    /// Resume a run.
    @Option(help: "Finish an interrupted bootstrap from its journal.", completion: LiveNames.resumableRollouts)
    public var resume: String?

    @OptionGroup var interrupts: RolloutInterruptOptions
    /// `--config`, `--context`, `--verbose`.
    @OptionGroup public var config: ConfigOptions
    /// `-o`, `-q`.
    @OptionGroup public var output: OutputOptions

    /// Parsed from arguments by ArgumentParser.
    public init() {}

    /// Plans, then brings the tiers up (or only shows the plan with `--dry-run`).
    /// - Throws: exit 5 when a tier is blocked, 2 when paused; errors (exit 1).
    public func run() async throws {
        if let resume {
            guard stacks.isEmpty, !dryRun else { throw ValidationError("--resume takes no stacks and no --dry-run") }
            let report = try await HomelabContext.with(config) { context in try await self.resume(resume, context: context) }
            try show(report)
            return
        }
        let source = try config.source()
        let files = try stackFiles(homelab: try source.load(), inventoryPath: source.path)
        let report = try await HomelabContext.with(config) { context -> BootstrapReport? in
            let plan = try await BootstrapPlan.make(
                homelab: context.homelab, stacks: files, live: context.swarm,
                options: .init(budget: budget, nodeBudget: nodeBudget, timeoutSeconds: timeout, healthChecks: !noHealthCheck))
            if dryRun {
                try output.show(BootstrapPlanDocument(plan), ids: plan.tiers.flatMap { $0.services.map(\.name) }) { _ in
                    Self.text(plan)
                }
                return nil
            }
            output.line(Self.text(plan))
            if plan.isUpToDate { output.line("every service exists as its stack file says: checking that each is up") }
            return try await apply(plan, context: context)
        }
        if let report { try show(report) }
    }

    private func apply(_ plan: BootstrapPlan, context: HomelabContext) async throws -> BootstrapReport {
        let journal = try RolloutCommand.store().rolloutJournal
        let runner = RolloutRunner(
            swarm: context.swarm, journal: journal, logger: context.logger ?? Logger(label: "homelab.bootstrap"),
            healthCheck: HealthProbe(transport: context.transport).check)
        let result = try await RolloutCommand.watch(runner, request: plan.request, interrupts: interrupts, journal: journal) {
            try await runner.apply(plan.request, runID: id)
        }
        return BootstrapReport(
            runID: result.runID, status: result.status, tiers: plan.tiers, steps: try await journal.steps(runID: result.runID))
    }

    private func resume(_ runID: String, context: HomelabContext) async throws -> BootstrapReport {
        let journal = try RolloutCommand.store().rolloutJournal
        guard let run = try await journal.run(runID) else {
            throw HomelabError(.notFound, "no bootstrap or rollout with ID \(runID) in the state store", component: "bootstrap")
        }
        let request = try JSONDecoder().decode(RolloutRequest.self, from: run.request)
        let runner = RolloutRunner(
            swarm: context.swarm, journal: journal, logger: context.logger ?? Logger(label: "homelab.bootstrap"),
            healthCheck: HealthProbe(transport: context.transport).check)
        let result = try await RolloutCommand.watch(runner, request: request, interrupts: interrupts, journal: journal) {
            try await runner.resume(runID: runID)
        }
        return BootstrapReport(
            runID: result.runID, status: result.status, tiers: BootstrapPlan.tiers(of: request, homelab: context.homelab),
            steps: try await journal.steps(runID: result.runID))
    }

    /// Prints the report and ends with its exit code.
    private func show(_ report: BootstrapReport) throws {
        try output.show(BootstrapReportDocument(report), ids: report.tiers.map(\.name)) { _ in report.lines.joined(separator: "\n") }
        if report.isUp { return }
        if report.blockedTier != nil { throw ExitStatus.degraded.code }
        if report.status == .paused {
            output.writer.warn("bootstrap \(report.runID) paused; finish it with: homelab bootstrap --resume \(report.runID)")
            throw ExitStatus.pausedOrRefused.code
        }
        throw ExitStatus.failed.code
    }

    /// The stack files to bring up, loaded and converted: the inventory's stacks (all, or those named) that have a
    /// compose file in the stacks folder.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for a missing folder, a named stack without a file or
    ///   not in the inventory, and the compose loader's located errors.
    func stackFiles(homelab: Homelab, inventoryPath: String) throws -> [BootstrapPlan.Stack] {
        let directory =
            stacksDirectory
            ?? URL(fileURLWithPath: inventoryPath).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("stacks").path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HomelabError(
                .invalidConfiguration, "no stacks folder at \(directory); point --stacks-directory at the folder holding <stack>/compose.yaml",
                component: "bootstrap")
        }
        for stack in stacks where homelab.stack(named: stack) == nil {
            throw HomelabError(
                .invalidConfiguration, "no stack \(stack) in the inventory (bootstrap needs its tier)", component: "bootstrap")
        }
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        for folder in folders where homelab.stack(named: folder) == nil && stacks.isEmpty {
            if LintCommand.composeFile(in: (directory as NSString).appendingPathComponent(folder)) != nil {
                output.writer.warn("note: \(directory)/\(folder) is not a stack of the inventory (it has no tier); not brought up")
            }
        }
        var result: [BootstrapPlan.Stack] = []
        for stack in homelab.stacks where stacks.isEmpty || stacks.contains(stack.name) {
            let folder = (directory as NSString).appendingPathComponent(stack.name)
            guard let path = LintCommand.composeFile(in: folder) else {
                if !stacks.isEmpty {
                    throw HomelabError(.invalidConfiguration, "no compose file for stack \(stack.name) in \(folder)", component: "bootstrap")
                }
                output.writer.warn("note: no stack file for \(stack.name) in \(folder); not brought up")
                continue
            }
            let compose = try ComposeLoader.load(path: path, environment: Terminal.active.environment)
            for warning in compose.warnings { output.writer.warn("warning: \(warning)") }
            result.append(
                BootstrapPlan.Stack(
                    stack: try ComposeConverter.convert(compose, stack: stack.name), file: compose, directory: folder))
        }
        guard !result.isEmpty else {
            throw HomelabError(.invalidConfiguration, "no stack files to bring up in \(directory)", component: "bootstrap")
        }
        return result
    }

    /// The plan as text: the tiers in order, each service with what happens to it and when it is predicted to start.
    static func text(_ plan: BootstrapPlan) -> String {
        let all = plan.tiers.flatMap(\.services)
        let count = { (action: BootstrapPlan.Action) in all.filter { $0.action == action }.count }
        var header = "bootstrap plan: \(plan.tiers.count) tier\(plan.tiers.count == 1 ? "" : "s"), \(all.count) services "
        header += "(\(count(.create)) to create, \(count(.update)) to update, \(count(.present)) to check), budget \(plan.request.budget)"
        if let nodeBudget = plan.request.nodeBudget { header += ", node budget \(nodeBudget)" }
        var lines = [header]
        let start = Dictionary(plan.plan.schedule.map { ($0.id, $0.start) }, uniquingKeysWith: { a, _ in a })
        let width = all.map(\.name.count).max() ?? 0
        var number = 0
        for tier in plan.tiers {
            lines.append("tier \(tier.name)")
            for service in tier.services {
                let name = service.name.padding(toLength: width, withPad: " ", startingAt: 0)
                number += 1
                let action = (service.action == .present ? "check" : service.action.rawValue).padding(toLength: 7, withPad: " ", startingAt: 0)
                let at = start[service.name].map { "  at +\(RolloutPlanRenderer.duration($0))" } ?? ""
                lines.append("  \(String(number).leftPadded(to: 2)). \(action) \(name)\(at)")
            }
        }
        if !plan.plan.order.isEmpty {
            lines.append("predicted: \(RolloutPlanRenderer.duration(plan.plan.makespan)) (lower bound \(RolloutPlanRenderer.duration(plan.plan.lowerBound.value)))")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// `homelab bootstrap --dry-run -o json`.
struct BootstrapPlanDocument: Encodable {
    struct Service: Encodable {
        var name: String
        var stack: String
        var action: String
        var startSeconds: Double?
    }

    struct Tier: Encodable {
        var name: String
        var services: [Service]
    }

    var budget: Int
    var nodeBudget: Int?
    var tiers: [Tier]
    var makespanSeconds: Double
    var lowerBoundSeconds: Double

    init(_ plan: BootstrapPlan) {
        let start = Dictionary(plan.plan.schedule.map { ($0.id, $0.start.seconds) }, uniquingKeysWith: { a, _ in a })
        budget = plan.request.budget
        nodeBudget = plan.request.nodeBudget
        tiers = plan.tiers.map { tier in
            Tier(name: tier.name, services: tier.services.map {
                Service(name: $0.name, stack: $0.stack, action: $0.action.rawValue, startSeconds: start[$0.name])
            })
        }
        makespanSeconds = plan.plan.makespan.seconds
        lowerBoundSeconds = plan.plan.lowerBound.value.seconds
    }
}

/// `homelab bootstrap -o json`: the report.
struct BootstrapReportDocument: Encodable {
    struct Failure: Encodable {
        var service: String
        var message: String
    }

    struct Tier: Encodable {
        var name: String
        var state: String
        var up: [String]
        var failed: [Failure]
        var notStarted: [String]
        var blockedBy: String?
    }

    var runID: String
    var status: String
    var tiers: [Tier]

    init(_ report: BootstrapReport) {
        runID = report.runID
        status = report.status.rawValue
        tiers = report.tiers.map { tier in
            Tier(
                name: tier.name, state: tier.state.rawValue, up: tier.up,
                failed: tier.failed.map { Failure(service: $0.service, message: $0.message) }, notStarted: tier.notStarted,
                blockedBy: tier.blockedBy)
        }
    }
}
