import ArgumentParser
import Foundation
import HomelabCore

/// `homelab komodo`: Komodo's servers, stacks and updates; deploying a stack and running the resource sync with live
/// progress (exit 3 when the update fails); what the sync would change (Komodo's pending list, or a local file
/// compared with the live resources); and checking a resource file (`validate`, errors at `file:line`). Every
/// listing takes `-o table|wide|json|yaml` and `-q`; the rows in KomodoRows.swift are the JSON shapes.
struct KomodoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "komodo",
        abstract: "Komodo: servers, stacks, deploys, updates, the resource sync, resource files.",
        subcommands: [Servers.self, Stacks.self, Deploy.self, Updates.self, Sync.self, Validate.self])

    /// Opens the inventory's Komodo and runs `body` with its client.
    static func with<T: Sendable>(_ config: ConfigOptions, _ body: (KomodoClient) async throws -> T) async throws -> T {
        try await HomelabContext.withConnections(config) { connections in
            try await body(try await connections.komodo())
        }
    }

    /// Waits for `update`, printing a line per new stage as it completes; returns the completed update.
    static func follow(_ update: Komodo.Update, client: KomodoClient, label: String, output: OutputOptions, timeout: Double)
        async throws -> Komodo.Update
    {
        output.line("\(label): \(update.operation) started (update \(update.id))")
        let printed = StageCounter()
        let final = try await client.waitForUpdate(update, timeout: .milliseconds(Int(timeout * 1000))) { current in
            for log in await printed.new(current.logs) {
                output.line("\(label): \(log.stage) \(log.success ? "ok" : "FAILED")" + (log.success ? "" : ": " + (log.stderr ?? log.stdout ?? "")))
            }
        }
        for log in await printed.new(final.logs) { output.line("\(label): \(log.stage) \(log.success ? "ok" : "FAILED")") }
        output.line("\(label): \(final.operation) \(final.success ? "succeeded" : "failed")" + (final.commitHash.map { " at \($0)" } ?? ""))
        return final
    }

    /// Which logs were already printed.
    actor StageCounter {
        private var count = 0

        func new(_ logs: [Komodo.Log]) -> [Komodo.Log] {
            defer { count = max(count, logs.count) }
            return logs.count > count ? Array(logs[count...]) : []
        }
    }
}

extension KomodoCommand {
    struct Servers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "servers", abstract: "Servers (Periphery agents): state, version, error.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let servers = try await KomodoCommand.with(config) { try await $0.servers.list() }
            try output.list(servers.map(KomodoServerRow.init).sorted { $0.name < $1.name }, table: KomodoServerRow.table, id: \.name)
        }
    }

    struct Stacks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stacks", abstract: "Stacks: state, host, services, deployed and latest commit.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let stacks = try await KomodoCommand.with(config) { try await $0.stacks.list() }
            try output.list(stacks.map(KomodoStackRow.init).sorted { $0.name < $1.name }, table: KomodoStackRow.table, id: \.name)
        }
    }

    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deploy",
            abstract: "Deploy a STACK and follow the update (exit 3 when it fails); --if-changed, --restart or --pull instead.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: ArgumentHelp("The STACK to deploy (name or ID).", valueName: "stack"), completion: KomodoNames.stacks)
        var stack: String
        @Flag(name: .long, help: "Deploy only when the stack's files changed since its last deploy.") var ifChanged = false
        @Flag(name: .long, help: "Restart the stack's services instead of deploying.") var restart = false
        @Flag(name: .long, help: "Pull the stack's images instead of deploying.") var pull = false
        @Flag(name: .long, help: "Return once Komodo accepted the execute; do not follow it.") var detach = false
        @Option(name: .long, help: "Seconds to wait for the update to complete.") var timeout: Double = 600

        func validate() throws {
            guard [ifChanged, restart, pull].filter({ $0 }).count <= 1 else {
                throw ValidationError("give at most one of --if-changed, --restart, --pull")
            }
            guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        }

        func run() async throws {
            let (stack, ifChanged, restart, pull, detach, timeout, output) = (
                self.stack, self.ifChanged, self.restart, self.pull, self.detach, self.timeout, self.output
            )
            let update = try await KomodoCommand.with(config) { client -> Komodo.Update in
                let started: Komodo.Update
                if ifChanged {
                    started = try await client.stacks.deployIfChanged(stack)
                } else if restart {
                    started = try await client.stacks.restart(stack)
                } else if pull {
                    started = try await client.stacks.pull(stack)
                } else {
                    started = try await client.stacks.deploy(stack)
                }
                if detach { return started }
                return try await KomodoCommand.follow(started, client: client, label: stack, output: output, timeout: timeout)
            }
            let row = KomodoUpdateRow(update, targetName: stack, withLogs: true)
            try output.show(row, ids: [row.id]) { _ in
                detach ? "\(stack): \(update.operation) accepted (update \(update.id))"
                    : "\(stack): \(update.operation) \(update.success ? "ok" : "failed")" + (row.error.map { " — \($0)" } ?? "")
            }
            if update.isComplete && !update.success { throw ExitStatus.failed.code }
        }
    }

    struct Updates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "updates",
            abstract: "Recent updates, newest first: operation, target, result, the commit deployed (--stack: one stack's).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: ArgumentHelp("Only this STACK's updates (with their commits).", valueName: "stack"), completion: KomodoNames.stacks)
        var stack: String?
        @Option(name: .long, help: "How many updates to show.") var limit = 20

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
        }

        func run() async throws {
            let (stack, limit) = (self.stack, self.limit)
            let rows = try await KomodoCommand.with(config) { client -> [KomodoUpdateRow] in
                if let stack {
                    return try await client.updates.forStack(stack, limit: limit).map { KomodoUpdateRow($0, targetName: stack, withLogs: false) }
                }
                var names: [String: String] = [:]
                for item in try await client.stacks.list() { names[item.id] = item.name }
                for item in try await client.servers.list() { names[item.id] = item.name }
                for item in try await client.syncs.list() { names[item.id] = item.name }
                var rows: [KomodoUpdateRow] = []
                for try await item in client.updates.list() {
                    rows.append(KomodoUpdateRow(item, targetName: names[item.target.id]))
                    if rows.count >= limit { break }
                }
                return rows
            }
            try output.list(rows, table: KomodoUpdateRow.table, id: \.id)
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check a Komodo resource FILE.toml against Komodo's resource rules; problems at file:line (exit 1 on errors).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: ArgumentHelp("The resource file.", valueName: "file.toml"), completion: .file(extensions: ["toml"]))
        var file: String

        func run() async throws {
            let parsed = try KomodoResourceFile.load(path: file)
            let rows = parsed.issues.map(KomodoIssueRow.init)
            let errors = parsed.issues.filter { $0.severity == .error }.count
            let summary = "\(file): \(parsed.resources.count) resources, \(errors) errors, \(parsed.issues.count - errors) warnings"
            if output.format.isStructured || output.quiet {
                try output.list(rows, table: KomodoIssueRow.table, id: { "\($0.file):\($0.line ?? 0)" })
            } else {
                for issue in parsed.issues { output.line(issue.description) }
                output.line(summary)
            }
            if parsed.hasErrors { throw ExitStatus.error.code }
        }
    }
}
