import ArgumentParser
import Foundation
import HomelabCore

extension KomodoCommand {
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "The resource sync: what it would change, and running it.", subcommands: [Diff.self, Run.self])

        /// The sync named, or the only one Komodo has.
        /// - Throws: ``HomelabError/Code/invalidArgument`` when Komodo has several and none was named, or none.
        static func chosen(_ name: String?, client: KomodoClient) async throws -> String {
            if let name { return name }
            let syncs = try await client.syncs.list()
            guard syncs.count == 1, let only = syncs.first else {
                throw HomelabError(
                    .invalidArgument,
                    syncs.isEmpty ? "Komodo has no resource sync" : "Komodo has \(syncs.count) resource syncs: name one (\(syncs.map(\.name).joined(separator: ", ")))",
                    component: "komodo")
            }
            return only.name
        }

        struct Diff: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "diff",
                abstract: "What running the sync would change: Komodo's pending list, or --file FILE.toml compared with the live resources.")
            @OptionGroup var config: ConfigOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "The resource sync (default: the only one).") var sync: String?
            @Option(name: .long, help: ArgumentHelp("Compare this resource file with the live resources instead.", valueName: "file.toml"))
            var file: String?
            @Flag(name: .long, help: "With --file: plan deletes of live resources the file does not declare (a sync with delete = true).")
            var delete = false
            @Flag(name: .long, help: "Ask Komodo to recompute the pending changes from the repository first.") var refresh = false

            func run() async throws {
                let (sync, delete, refresh, output) = (self.sync, self.delete, self.refresh, self.output)
                var parsed: KomodoResourceFile?
                if let file {
                    let loaded = try KomodoResourceFile.load(path: file)
                    if loaded.hasErrors {
                        for issue in loaded.issues { output.writer.warn(issue.description) }
                        throw ExitStatus.error.code
                    }
                    parsed = loaded
                }
                let rows = try await KomodoCommand.with(config) { client -> [KomodoChangeRow] in
                    if let parsed {
                        let live = try await KomodoSyncPlan.readLive(for: parsed, from: client)
                        return KomodoSyncPlan.compute(file: parsed, live: live, deleteMissing: delete).changes.map(KomodoChangeRow.init)
                    }
                    let name = try await Sync.chosen(sync, client: client)
                    let pending = try await client.syncs.pending(name, refresh: refresh)
                    if let error = pending.pendingError, !error.isEmpty {
                        throw HomelabError(.commandFailed, "Komodo could not compute the sync's changes: \(error)", component: "komodo")
                    }
                    var names: [String: String] = [:]
                    for stack in try await client.stacks.list() { names[stack.id] = stack.name }
                    for server in try await client.servers.list() { names[server.id] = server.name }
                    return (pending.resourceUpdates ?? []).map { diff in
                        KomodoChangeRow(diff, name: diff.data.data.name ?? names[diff.target.id] ?? diff.target.id)
                    }
                }
                try output.list(rows, table: KomodoChangeRow.table, id: { "\($0.kind)/\($0.name)" })
                if !output.format.isStructured && !output.quiet {
                    for row in rows {
                        for field in row.fields {
                            output.line("  \(row.kind) \(row.name): \(field.field): \(field.current ?? "(unset)") -> \(field.proposed ?? "(unset)")")
                        }
                    }
                    if rows.isEmpty { output.line("no changes") }
                }
            }
        }

        struct Run: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the sync and follow its update (exit 3 when it fails).")
            @OptionGroup var config: ConfigOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "The resource sync (default: the only one).") var sync: String?
            @Option(name: .long, help: "Seconds to wait for the update to complete.") var timeout: Double = 600

            func run() async throws {
                let (sync, timeout, output) = (self.sync, self.timeout, self.output)
                let (name, update) = try await KomodoCommand.with(config) { client -> (String, Komodo.Update) in
                    let name = try await Sync.chosen(sync, client: client)
                    let started = try await client.syncs.run(name)
                    return (name, try await KomodoCommand.follow(started, client: client, label: name, output: output, timeout: timeout))
                }
                let row = KomodoUpdateRow(update, targetName: name, withLogs: true)
                try output.show(row, ids: [row.id]) { _ in
                    "\(name): sync \(update.success ? "applied" : "failed")" + (row.error.map { " — \($0)" } ?? "")
                }
                if !update.success { throw ExitStatus.failed.code }
            }
        }
    }
}

/// Live completion of Komodo's stack names (`homelab komodo deploy <Tab>`).
enum KomodoNames {
    static let stacks = CompletionKind.custom { words, _, prefix in
        await LiveNames.matching(prefix) {
            try await HomelabContext.withConnections(LiveNames.configOptions(words: words)) { connections in
                try await connections.komodo().stacks.list().map(\.name).sorted()
            }
        }
    }
}
