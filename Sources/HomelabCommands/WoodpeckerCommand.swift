import ArgumentParser
import Foundation
import HomelabCore

/// `homelab ci`: the homelab's Woodpecker CI: repositories, pipelines (restart, cancel, approve, decline), step
/// logs (`--follow` streams them while the steps run), agents and the queue. Repositories are named `OWNER/NAME`
/// or by Woodpecker's numeric ID. Every listing takes `-o table|wide|json|yaml` and `-q`; the rows in
/// `WoodpeckerRows.swift` are the JSON shapes.
struct WoodpeckerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ci",
        abstract: "Woodpecker CI: repositories, pipelines, logs, agents, queue.",
        subcommands: [
            Repos.self, Pipelines.self, Logs.self, Restart.self, Cancel.self, Approve.self, Decline.self, Agents.self, Queue.self,
        ])

    /// Opens the inventory's Woodpecker and runs `body` with its client.
    static func with<T: Sendable>(_ config: ConfigOptions, _ body: (WoodpeckerClient) async throws -> T) async throws -> T {
        try await HomelabContext.withConnections(config) { connections in
            try await body(try await connections.woodpecker())
        }
    }

    /// Shows one pipeline as a row (what restart, cancel, approve and decline answer).
    static func show(_ pipeline: Woodpecker.Pipeline, _ output: OutputOptions) throws {
        try output.list([WoodpeckerPipelineRow(pipeline)], table: WoodpeckerPipelineRow.table, id: { String($0.number) })
    }
}

extension WoodpeckerCommand {
    struct Repos: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "repos", abstract: "Repositories Woodpecker builds, with their last pipeline.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Flag(name: .long, help: "Also the forge's repositories that are not active.") var all = false

        func run() async throws {
            let all = self.all
            let repos = try await WoodpeckerCommand.with(config) { try await $0.repos.mine(all: all) }
            let rows = repos.map(WoodpeckerRepoRow.init).sorted { $0.full_name < $1.full_name }
            try output.list(rows, table: WoodpeckerRepoRow.table, id: \.full_name)
        }
    }

    struct Pipelines: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pipelines",
            abstract: "Pipelines of a repository, newest first; with NUMBER, that pipeline's steps.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The repository: OWNER/NAME or its ID.", completion: LiveNames.repositories) var repository: String
        @Argument(help: "A pipeline number: list its steps.") var number: Int64?
        @Option(name: .long, help: "Only this branch.") var branch: String?
        @Option(name: .long, help: "Only this status (success, failure, running, blocked, ...).") var status: String?
        @Option(name: .long, help: "Only this event (push, pull_request, tag, manual, cron, ...).") var event: String?
        @Option(name: .long, help: "At most this many pipelines.") var limit = 20

        func run() async throws {
            let (repository, number, limit) = (self.repository, self.number, Swift.max(1, self.limit))
            let filter = WoodpeckerClient.Pipelines.Filter(branch: branch, event: event, status: status.map { Woodpecker.Status(rawValue: $0) })
            if let number {
                let pipeline = try await WoodpeckerCommand.with(config) { woodpecker in
                    let repo = try await woodpecker.repos.resolve(repository)
                    return try await woodpecker.pipelines.get(repo: repo.id, number: number)
                }
                let rows = (pipeline.workflows ?? []).flatMap { workflow in (workflow.children ?? []).map { WoodpeckerStepRow($0, workflow: workflow.name) } }
                output.line("#\(pipeline.number) \(pipeline.status) \(pipeline.event ?? "") \(pipeline.branch ?? "") \(String((pipeline.commit ?? "").prefix(10))) \(pipeline.title)")
                try output.list(rows, table: WoodpeckerStepRow.table, id: { String($0.id) })
                return
            }
            let pipelines = try await WoodpeckerCommand.with(config) { woodpecker in
                var client = woodpecker
                client.pageSize = Swift.min(limit, 50)
                let repo = try await client.repos.resolve(repository)
                var found: [Woodpecker.Pipeline] = []
                for try await pipeline in client.pipelines.list(repo: repo.id, filter: filter) {
                    found.append(pipeline)
                    if found.count >= limit { break }
                }
                return found
            }
            try output.list(pipelines.map { WoodpeckerPipelineRow($0) }, table: WoodpeckerPipelineRow.table, id: { String($0.number) })
        }
    }

    /// What restart, cancel, approve and decline take: a repository and a pipeline number.
    struct PipelineTarget: ParsableArguments {
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The repository: OWNER/NAME or its ID.", completion: LiveNames.repositories) var repository: String
        @Argument(help: "The pipeline number.") var number: Int64

        /// Resolves the repository, runs `action` on the pipeline and shows the pipeline as it is afterwards.
        func act(
            _ action: @escaping @Sendable (WoodpeckerClient.Pipelines, _ repo: Int64, _ number: Int64) async throws -> Woodpecker.Pipeline
        ) async throws {
            let (repository, number) = (self.repository, self.number)
            let pipeline = try await WoodpeckerCommand.with(config) { woodpecker in
                try await action(woodpecker.pipelines, try await woodpecker.repos.resolve(repository).id, number)
            }
            try WoodpeckerCommand.show(pipeline, output)
        }
    }

    struct Restart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restart", abstract: "Run a finished pipeline again (a new pipeline).")
        @OptionGroup var target: PipelineTarget

        func run() async throws { try await target.act { try await $0.restart(repo: $1, number: $2) } }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a pending, running or blocked pipeline.")
        @OptionGroup var target: PipelineTarget

        func run() async throws { try await target.act { try await $0.cancel(repo: $1, number: $2) } }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a pipeline blocked awaiting approval.")
        @OptionGroup var target: PipelineTarget

        func run() async throws { try await target.act { try await $0.approve(repo: $1, number: $2) } }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline a pipeline blocked awaiting approval.")
        @OptionGroup var target: PipelineTarget

        func run() async throws { try await target.act { try await $0.decline(repo: $1, number: $2) } }
    }

    struct Agents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "agents", abstract: "Agents: up when they called in the last minute.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let agents = try await WoodpeckerCommand.with(config) { try await $0.agents.list().collect() }
            try output.list(agents.map { WoodpeckerAgentRow($0) }, table: WoodpeckerAgentRow.table, id: \.name)
        }
    }

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "queue", abstract: "The queue: workflows pending, waiting on others, running.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let info = try await WoodpeckerCommand.with(config) { try await $0.queue.info() }
            let rows = (info.running ?? []).map { WoodpeckerQueueRow($0, state: "running") }
                + (info.pending ?? []).map { WoodpeckerQueueRow($0, state: "pending") }
                + (info.waitingOnDeps ?? []).map { WoodpeckerQueueRow($0, state: "waiting") }
            let counts = info.counts
            output.line(
                "\(counts.pendingCount) pending, \(counts.waitingOnDepsCount) waiting, \(counts.runningCount) running on \(counts.workerCount) workers"
                    + (info.paused == true ? " (paused)" : ""))
            try output.list(rows, table: WoodpeckerQueueRow.table, id: { "\($0.repo_id ?? 0)#\($0.pipeline ?? 0)" })
        }
    }
}
