import ArgumentParser
import Foundation
import HomelabCore

/// `homelab drift [STACK...]`: the stack files in git, at the ref Komodo deploys, against the live Swarm services,
/// field by field, plus Komodo's pending resource-sync changes (see ``DriftDetector``). Exit 0 in sync, 5 drifted,
/// 1 when it could not compare (a component unreachable, a stack file that does not load).
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare the stack files in git (at the ref Komodo deploys) with the live Swarm services, and Komodo's pending sync.",
        discussion: """
            Each stack's compose file is read from Forgejo at the repository, branch and path of Komodo's stack config, \
            converted as `docker stack deploy` would, and compared field by field with the live services (what Docker \
            fills in by itself is not drift). A service git has and the swarm does not is missing; one the swarm runs \
            in the stack that git no longer has is extra. Komodo's pending resource-sync changes are listed too.

            Exit 0 when everything is in sync; 5 when a service drifted, is missing or extra, or the sync has pending \
            changes; 1 when it could not compare (a component unreachable, a stack file that does not load).
            """)
    @OptionGroup var config: ConfigOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("STACKs to compare (default: every stack of the inventory).", valueName: "stack"), completion: LiveNames.stacks)
    var stacks: [String] = []
    @Option(
        name: .customLong("stack"), parsing: .singleValue, help: ArgumentHelp("Only this STACK (repeatable).", valueName: "stack"),
        completion: LiveNames.stacks)
    var stackFilter: [String] = []
    @Option(name: .long, help: "Seconds each component may take.") var timeout: Double = 30

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let (names, timeout) = (stacks + stackFilter, self.timeout)
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        let drift = try await HomelabContext.withConnections(config) { connections in
            try await DriftDetector(connections: connections, timeout: .milliseconds(Int(timeout * 1000))).drift(stacks: unique)
        }
        let document = DriftDocument(drift)
        try output.show(document, ids: document.services.map(\.name)) { wide in
            document.text(wide: wide, terminal: output.writer.terminal)
        }
        if drift.isDrifted { throw ExitStatus.degraded.code }
    }
}

/// `homelab drift -o json`: whether everything is in sync, where each stack file was read, the services out of sync
/// (`drift`: drifted, missing, extra; `fields`: path, change, live and git values), the services in sync, and
/// Komodo's pending sync changes (with the resource file's fields that change).
struct DriftDocument: Encodable, Sendable {
    var in_sync: Bool
    var summary: Summary
    var stacks: [StackEntry]
    var services: [ServiceEntry]
    var in_sync_services: [String]
    var pending: [PendingEntry]

    struct Summary: Encodable, Sendable {
        var in_sync: Int
        var drifted: Int
        var missing: Int
        var extra: Int
        var pending: Int
    }

    struct StackEntry: Encodable, Sendable {
        var name: String
        var repository: String
        var ref: String?
        var file: String
        var commit: String?
        var deployed_commit: String?
        var services: Int
    }

    struct ServiceEntry: Encodable, Sendable {
        var name: String
        var stack: String
        /// `drifted`, `missing`, `extra`.
        var drift: String
        var fields: [FieldEntry]
    }

    struct FieldEntry: Encodable, Sendable {
        var path: String
        /// `changed`, `added` (only in git), `removed` (only live).
        var change: String
        var live: String?
        var git: String?
    }

    struct PendingEntry: Encodable, Sendable {
        var sync: String
        var action: String
        var kind: String
        var name: String
        var fields: [KomodoFieldRow]
    }

    init(_ drift: StackDrift) {
        in_sync = !drift.isDrifted
        let count = { (kind: StackDrift.Kind) in drift.services.filter { $0.kind == kind }.count }
        summary = Summary(
            in_sync: drift.inSync.count, drifted: count(.drifted), missing: count(.missing), extra: count(.extra), pending: drift.pending.count)
        stacks = drift.stacks.map {
            StackEntry(
                name: $0.name, repository: $0.repository, ref: $0.ref, file: $0.file, commit: $0.commit, deployed_commit: $0.deployedCommit,
                services: $0.services)
        }
        services = drift.services.map { service in
            ServiceEntry(
                name: service.name, stack: service.stack, drift: service.kind.rawValue,
                fields: service.fields.map { field in
                    let change: String
                    switch field.kind {
                    case .changed: change = "changed"
                    case .added: change = "added"
                    case .removed: change = "removed"
                    }
                    return FieldEntry(path: field.path, change: change, live: field.old, git: field.new)
                })
        }
        in_sync_services = drift.inSync
        pending = drift.pending.map {
            PendingEntry(
                sync: $0.sync, action: $0.action, kind: $0.kind, name: $0.name,
                fields: KomodoChangeRow.tomlFields(current: $0.current, proposed: $0.proposed))
        }
    }

    static let table = Table<ServiceEntry>([
        .init("SERVICE") { .text($0.name) },
        .init("STACK") { .text($0.stack) },
        .init("DRIFT") { .state($0.drift, $0.drift == "drifted" ? .warning : .bad) },
        .init("FIELDS") { .text($0.fields.isEmpty ? "-" : Set($0.fields.map(\.path)).sorted().joined(separator: ", ")) },
    ])

    static let pendingTable = Table<PendingEntry>([
        .init("SYNC") { .text($0.sync) },
        .init("ACTION") { .state($0.action, .warning) },
        .init("KIND") { .text($0.kind) },
        .init("NAME") { .text($0.name) },
        .init("FIELDS") { .text($0.fields.isEmpty ? "-" : $0.fields.map(\.field).joined(separator: ", ")) },
    ])

    /// The table view: the services out of sync with their field changes (live -> git), the pending sync changes,
    /// then a summary; `wide` adds where each stack file was read.
    func text(wide: Bool, terminal: Terminal) -> String {
        var parts: [String] = []
        if wide {
            parts += stacks.map { stack in
                "\(stack.name): \(stack.file) in \(stack.repository)\(stack.ref.map { "@\($0)" } ?? "")"
                    + (stack.commit.map { " (last change \(String($0.prefix(10))))" } ?? "")
                    + (stack.deployed_commit.map { ", Komodo deployed \($0)" } ?? "")
            }
        }
        if !services.isEmpty {
            parts.append(Self.table.render(services, wide: wide, terminal: terminal))
            for service in services {
                switch service.drift {
                case "missing": parts.append("  \(service.name): in git, not in the swarm")
                case "extra": parts.append("  \(service.name): in the swarm's stack \(service.stack), no longer in git")
                default:
                    for field in service.fields {
                        let line: String
                        switch field.change {
                        case "added": line = "\(field.path)[+]: \(field.git ?? "")"
                        case "removed": line = "\(field.path)[-]: \(field.live ?? "")"
                        default: line = "\(field.path): \(field.live ?? "(none)") -> \(field.git ?? "(none)")"
                        }
                        parts.append("  \(service.name): \(line)")
                    }
                }
            }
        }
        if !pending.isEmpty {
            parts.append("Komodo's resource sync has pending changes:")
            parts.append(Self.pendingTable.render(pending, wide: wide, terminal: terminal))
            for change in pending {
                for field in change.fields {
                    parts.append("  \(change.kind) \(change.name): \(field.field): \(field.current ?? "(unset)") -> \(field.proposed ?? "(unset)")")
                }
            }
        }
        let tone: Tone = in_sync ? .good : .bad
        let verdict = in_sync ? "in sync" : "drifted"
        parts.append(
            "drift: " + tone.apply(to: verdict, colour: terminal.usesColour)
                + " — \(summary.in_sync) service\(summary.in_sync == 1 ? "" : "s") in sync, \(summary.drifted) drifted, "
                + "\(summary.missing) missing, \(summary.extra) extra; \(summary.pending) pending sync change\(summary.pending == 1 ? "" : "s")")
        return parts.joined(separator: "\n")
    }
}
