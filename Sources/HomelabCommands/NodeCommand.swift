import ArgumentParser
import Foundation
import HomelabCore
import Logging

/// `homelab node`: list the swarm's nodes, maintain them one batch at a time, reactivate one.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "List swarm nodes and maintain them (drain, command over SSH, wait Ready, activate).",
        subcommands: [List.self, Maintain.self, Activate.self])

    /// Exit codes of `maintain`: 0 done, 2 refused (nothing changed), 3 failed.
    static let refused = ExitStatus.pausedOrRefused.code
    static let failed = ExitStatus.failed.code
}

extension NodeCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls", abstract: "Name, role, availability, state, manager status and pinned stateful services.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await HomelabContext.with(config) { context in
                let nodes = try await context.swarm.nodes.list().sorted { $0.nodeName < $1.nodeName }
                let services = try await context.swarm.services.list()
                let pinned = PinnedServices.byNode(nodes: nodes, services: services, homelab: context.homelab)
                let rows = nodes.map { NodeRow($0, pinned: pinned[$0.nodeName]?.map(\.name) ?? []) }
                try output.list(rows, table: NodeRow.table, id: \.name)
                let quorum = ManagerQuorum(nodes: nodes)
                if output.format == .table || output.format == .wide {
                    output.line(
                        "managers: \(quorum.managers.count), unavailable: \(quorum.unavailable.count), "
                            + "may be unavailable at once: \(quorum.tolerance)")
                }
            }
        }
    }

    /// One node in `homelab node ls -o json` (a row of the README's table).
    struct NodeRow: Encodable {
        var name: String
        var id: String
        var role: String
        var availability: String
        var state: String
        var manager_status: String?
        var address: String?
        var engine_version: String?
        var pinned_stateful: [String]

        init(_ node: Swarm.Node, pinned: [String]) {
            name = node.nodeName
            id = node.id ?? ""
            role = ManagerQuorum.isManager(node) ? "manager" : "worker"
            availability = node.spec?.availability?.rawValue ?? "-"
            state = node.status?.state?.rawValue ?? "-"
            let status = NodeCommand.managerStatus(node)
            manager_status = status.isEmpty ? nil : status
            address = node.status?.addr
            engine_version = node.description?.engine?.engineVersion
            pinned_stateful = pinned
        }

        static let table = Table<NodeRow>([
            .init("NAME") { .text($0.name) },
            .init("ID", wide: true) { .text($0.id) },
            .init("ROLE") { .text($0.role) },
            .init("AVAILABILITY") { .state($0.availability, $0.availability == "active" ? .good : .warning) },
            .init("STATE") { .state($0.state, $0.state == "ready" ? .good : .bad) },
            .init("MANAGER") { .text($0.manager_status ?? "") },
            .init("ADDRESS", wide: true) { .text($0.address ?? "") },
            .init("ENGINE", wide: true) { .text($0.engine_version ?? "") },
            .init("PINNED STATEFUL") { .text($0.pinned_stateful.joined(separator: ",")) },
        ])
    }

    /// Reads the live nodes and services, warns on standard error about each requested node's pinned stateful
    /// services, and plans their maintenance.
    /// - Throws: ``HomelabError`` when the plan is refused (unknown node, quorum, unconfirmed stateful drain).
    static func plan(
        swarm: SwarmClient, homelab: Homelab, nodes requested: [String], options: NodeMaintenanceOptions
    ) async throws -> NodeMaintenancePlan {
        let swarmNodes = try await swarm.nodes.list()
        let services = try await swarm.services.list()
        let pinned = PinnedServices.byNode(nodes: swarmNodes, services: services, homelab: homelab)
        for name in requested {
            guard let node = swarmNodes.first(where: { $0.nodeName.lowercased() == name.lowercased() }),
                let held = pinned[node.nodeName]
            else { continue }
            StandardError.print("warning: draining \(node.nodeName) stops its pinned stateful services until it is active again:")
            for service in held { StandardError.print("  \(service.name)  (\(service.reasons.joined(separator: "; ")))") }
        }
        return try NodeMaintenancePlan(nodes: swarmNodes, services: services, homelab: homelab, requested: requested, options: options)
    }

    /// Node-step tools for a rollout runner, or `nil` (node steps then fail, saying so) without a known_hosts file.
    static func rolloutTools(_ context: HomelabContext, knownHosts: String?) -> RolloutNodeTools? {
        HomelabContext.nodeShell(knownHosts: knownHosts, environment: Terminal.active.environment, logger: logger(context))
            .map { RolloutNodeTools(swarm: context.swarm, shell: $0) }
    }

    /// The context's logger with --verbose; else one that stays quiet (the events say everything, the
    /// library's log lines would repeat them).
    static func logger(_ context: HomelabContext) -> Logger {
        context.logger ?? { var quiet = Logger(label: "homelab.node"); quiet.logLevel = .critical; return quiet }()
    }

    static func managerStatus(_ node: Swarm.Node) -> String {
        guard let status = node.managerStatus else { return "" }
        if status.leader == true { return "leader" }
        return status.reachability?.rawValue ?? "unknown"
    }

    struct Maintain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "maintain",
            abstract: "Drain, run a command over SSH, wait until Ready, activate; exit 0 done, 2 refused, 3 failed.",
            discussion: """
                Workers go first (--worker-budget at once), then managers, as many at once as the Raft quorum \
                allows ((managers-1)/2, minus those already down, unreachable or drained), the leader last. \
                A node holding pinned stateful services is drained only with --confirm-stateful.
                """)
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The nodes to maintain (names as in the inventory).", completion: LiveNames.nodes)
        var nodes: [String]
        @OptionGroup var maintenance: NodeMaintenanceArguments
        @Option(name: .long, help: "Seconds each step may take: tasks stopping, the command, going down, coming back.")
        var timeout: Double?

        func validate() throws { _ = try maintenance.options(phaseTimeout: timeout) }

        func run() async throws {
            try await HomelabContext.with(config) { context in
                let options = try maintenance.options(phaseTimeout: timeout)
                let plan: NodeMaintenancePlan
                do {
                    plan = try await NodeCommand.plan(swarm: context.swarm, homelab: context.homelab, nodes: nodes, options: options)
                } catch let error as HomelabError {
                    StandardError.print("refused: \(error.message)")
                    throw NodeCommand.refused
                }
                if plan.losesQuorum {
                    StandardError.print("warning: the swarm loses its Raft quorum while a manager is under maintenance (--allow-quorum-loss)")
                }
                for (index, batch) in plan.batches.enumerated() {
                    print("batch \(index + 1): \(batch.map(\.name).joined(separator: " "))")
                }
                let environment = Terminal.active.environment
                let logger = NodeCommand.logger(context)
                let store = try StateStore(path: StateStore.defaultPath(environment: environment))
                guard
                    let shell = HomelabContext.nodeShell(
                        knownHosts: maintenance.knownHosts, environment: environment, logger: logger)
                else {
                    throw HomelabContext.knownHostsMissing
                }
                let runner = NodeMaintenanceRunner(
                    swarm: context.swarm,
                    shell: shell,
                    audit: store.auditLog, user: environment["USER"] ?? NSUserName(), logger: logger)
                let printer = Task { for await event in runner.events { NodeCommand.show(event) } }
                let result = await runner.run(plan)
                await printer.value
                print(
                    "maintained: \(result.completed.isEmpty ? "none" : result.completed.joined(separator: " "))"
                        + (result.failed.isEmpty ? "" : "  failed: \(result.failed.keys.sorted().joined(separator: " "))")
                        + (result.notStarted.isEmpty ? "" : "  not started: \(result.notStarted.joined(separator: " "))"))
                if !result.succeeded { throw NodeCommand.failed }
            }
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "activate", abstract: "Set a node back to active (after a failed maintenance).")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The node.", completion: LiveNames.nodes) var node: String

        func run() async throws {
            try await HomelabContext.with(config) { context in
                let nodes = try await context.swarm.nodes.list()
                guard let found = nodes.first(where: { $0.nodeName.lowercased() == node.lowercased() || $0.id == node }),
                    let id = found.id
                else { throw HomelabError(.notFound, "the swarm has no node \(node)", component: "docker") }
                try await context.swarm.nodes.setAvailability(id, .active)
                print("\(found.nodeName): active")
            }
        }
    }

    static func show(_ event: NodeMaintenanceEvent) {
        for line in lines(event) { print(line) }
    }

    /// A node-maintenance event as lines for people: the event, and the end of a command's output.
    static func lines(_ event: NodeMaintenanceEvent) -> [String] {
        switch event {
        case .batchStarted(let nodes): return ["batch    \(nodes.joined(separator: " "))"]
        case .draining(let node): return ["draining \(node)"]
        case .drained(let node): return ["drained  \(node): no task runs there"]
        case .commandFinished(let node, let outcome):
            return ["command  \(node): \(outcome.summary)"]
                + outcome.stdoutTail.split(separator: "\n").suffix(10).map { "  | \($0)" }
                + outcome.stderrTail.split(separator: "\n").suffix(10).map { "  ! \($0)" }
        case .nodeDown(let node, let state): return ["down     \(node) (\(state))"]
        case .nodeReady(let node): return ["ready    \(node)"]
        case .activated(let node): return ["active   \(node)"]
        case .failed(let node, let message): return ["FAILED   \(node): \(message)"]
        case .notStarted(let nodes): return ["skipped  \(nodes.joined(separator: " ")) (an earlier batch failed)"]
        }
    }
}
