import ArgumentParser
import Foundation
import HomelabCore
import Logging

/// `homelab rollout`: plan, apply, resume and inspect rolling updates driven by the scheduler.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Roll out stack files, image bumps and restarts in dependency order under concurrency budgets.",
        subcommands: [Plan.self, Apply.self, Resume.self, List.self, Show.self])

    /// Exit codes: 0 completed, 2 paused, 3 failed, 4 rolled back.
    static func exitCode(_ status: RolloutJournal.RunStatus) -> ExitCode {
        switch status {
        case .completed, .planned, .running: return ExitStatus.success.code
        case .paused: return ExitStatus.pausedOrRefused.code
        case .failed: return ExitStatus.failed.code
        case .rolledBack: return ExitStatus.rolledBack.code
        }
    }

    static func store() throws -> StateStore {
        try StateStore(path: StateStore.defaultPath(environment: Terminal.active.environment))
    }
}

extension RolloutCommand {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Show what would change, the dependency graph, the waves, the predicted makespan and the lower bound.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var rollout: RolloutOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            if rollout.stack.isEmpty, rollout.maintain.isEmpty {
                try await plan(homelab: try config.loadInventory(), live: nil)
            } else {
                // Stack files are compared with the live services, and nodes planned from the live swarm: only
                // then is the swarm needed.
                try await HomelabContext.with(config) { context in try await plan(homelab: context.homelab, live: context.swarm) }
            }
        }

        private func plan(homelab: Homelab, live: SwarmClient?) async throws {
            guard
                let prepared = try await rollout.prepare(
                    homelab: homelab,
                    live: {
                        guard let live else { throw HomelabError(.internalFailure, "no swarm connection for the stack files") }
                        return live
                    },
                    journal: try? RolloutCommand.store().rolloutJournal,
                    environment: Terminal.active.environment, warn: { Terminal.active.printError($0) })
            else { return output.line(RolloutCommand.upToDate) }
            let plan = RolloutScheduler().plan(try prepared.request.graph(), limits: try prepared.request.limits())
            try output.show(
                RolloutPlanRenderer.document(plan, stacks: prepared.stacks), ids: plan.order,
                mermaid: { RolloutPlanRenderer.mermaid(plan) }
            ) { _ in
                RolloutPlanRenderer.text(plan, request: prepared.request, stacks: prepared.stacks, historySamples: prepared.fromHistory)
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "apply", abstract: "Roll out and wait; exit 0 completed, 2 paused, 3 failed, 4 rolled back.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var rollout: RolloutOptions
        @Option(name: .long, help: "Run ID (default: generated).")
        var id: String?
        @OptionGroup var interrupts: RolloutInterruptOptions

        func run() async throws {
            let status = try await HomelabContext.with(config) { context in try await apply(context) }
            if let status { throw RolloutCommand.exitCode(status) }
        }

        private func apply(_ context: HomelabContext) async throws -> RolloutJournal.RunStatus? {
            let journal = try RolloutCommand.store().rolloutJournal
            guard
                let prepared = try await rollout.prepare(
                    homelab: context.homelab, live: { context.swarm }, journal: journal,
                    environment: Terminal.active.environment, warn: { Terminal.active.printError($0) })
            else {
                print(RolloutCommand.upToDate)
                return nil
            }
            for service in prepared.stacks?.changed ?? [] {
                var paths: [String] = []
                for field in service.fields where !paths.contains(field.path) { paths.append(field.path) }
                print("change   \(service.name): \(paths.joined(separator: ", "))")
            }
            let nodeTools = NodeCommand.rolloutTools(context, knownHosts: rollout.maintenance.knownHosts)
            if !rollout.maintain.isEmpty, nodeTools == nil { throw HomelabContext.knownHostsMissing }
            let runner = RolloutRunner(
                swarm: context.swarm, journal: journal, logger: context.logger ?? Logger(label: "homelab.rollout"),
                healthCheck: rollout.healthCheck ? HealthProbe(transport: context.transport).check : nil,
                nodes: nodeTools)
            let result = try await RolloutCommand.watch(
                runner, request: prepared.request, interrupts: interrupts, journal: journal
            ) { try await runner.apply(prepared.request, runID: id) }
            return result.status
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Continue an interrupted or paused rollout.")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The run ID.", completion: LiveNames.resumableRollouts) var id: String
        @Option(name: .long, help: "known_hosts file for node steps (default $HOMELAB_KNOWN_HOSTS, then ~/.ssh/known_hosts).")
        var knownHosts: String?
        @OptionGroup var interrupts: RolloutInterruptOptions

        func run() async throws {
            let status = try await HomelabContext.with(config) { context in
                // A run started with --health-check stored its URLs; the probe checks them again.
                let journal = try RolloutCommand.store().rolloutJournal
                let runner = RolloutRunner(
                    swarm: context.swarm, journal: journal,
                    logger: context.logger ?? Logger(label: "homelab.rollout"),
                    healthCheck: HealthProbe(transport: context.transport).check,
                    nodes: NodeCommand.rolloutTools(context, knownHosts: knownHosts))
                let request = try? await journal.run(id).map { try JSONDecoder().decode(RolloutRequest.self, from: $0.request) }
                let result = try await RolloutCommand.watch(runner, request: request, interrupts: interrupts, journal: journal) {
                    try await runner.resume(runID: id)
                }
                return result.status
            }
            throw RolloutCommand.exitCode(status)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List recent rollouts, newest first.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "How many runs.") var limit = 50

        func run() async throws {
            let runs = try await RolloutCommand.store().rolloutJournal.runs(limit: limit)
            try output.list(runs.map(RolloutRunRow.init), table: RolloutRunRow.table, id: \.id)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a rollout's steps and history.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The run ID.", completion: LiveNames.rollouts) var id: String

        func run() async throws {
            let journal = try RolloutCommand.store().rolloutJournal
            guard let run = try await journal.run(id) else {
                throw HomelabError(.notFound, "no rollout with ID \(id) in the state store", component: "rollout")
            }
            let document = RolloutRunDocument(run: run, steps: try await journal.steps(runID: id))
            try output.show(document, ids: document.steps.map(\.service)) { wide in document.text(wide: wide, terminal: output.writer.terminal) }
        }
    }

    static let upToDate = "nothing to roll out: every service already matches its stack file"

}
