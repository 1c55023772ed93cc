import Foundation
import HomelabCore

/// One server in `homelab komodo servers -o json`.
struct KomodoServerRow: Encodable, Sendable {
    var name: String
    var id: String
    var state: String
    var address: String?
    var region: String?
    var version: String?
    var error: String?

    init(_ server: Komodo.ServerListItem) {
        name = server.name
        id = server.id
        state = server.info.state.rawValue
        address = server.info.address
        region = server.info.region
        version = server.info.version.flatMap { $0.isEmpty ? nil : $0 }
        error = server.info.err?.error
    }

    static let table = Table<KomodoServerRow>([
        .init("SERVER") { .text($0.name) },
        .init("STATE") { .state($0.state, $0.state == "Ok" ? .good : $0.state == "Disabled" ? .muted : .bad) },
        .init("VERSION") { .text($0.version ?? "-") },
        .init("ADDRESS", wide: true) { .text($0.address ?? "-") },
        .init("REGION", wide: true) { .text($0.region ?? "-") },
        .init("ID", wide: true) { .text($0.id) },
        .init("ERROR") { .text($0.error ?? "") },
    ])
}

/// One stack in `homelab komodo stacks -o json`.
struct KomodoStackRow: Encodable, Sendable {
    var name: String
    var id: String
    var state: String
    var host: String?
    var services: [String]
    var repo: String?
    var branch: String?
    var deployed_hash: String?
    var latest_hash: String?
    var missing_files: [String]

    init(_ stack: Komodo.StackListItem) {
        name = stack.name
        id = stack.id
        state = stack.info.state.rawValue
        host = stack.info.host
        services = (stack.info.services ?? []).map(\.service)
        repo = stack.info.repo
        branch = stack.info.branch
        deployed_hash = stack.info.deployedHash
        latest_hash = stack.info.latestHash
        missing_files = stack.info.missingFiles ?? []
    }

    static func tone(_ state: String) -> Tone {
        switch state {
        case "running": return .good
        case "deploying", "restarting", "paused", "created": return .warning
        case "unknown": return .muted
        default: return .bad
        }
    }

    static let table = Table<KomodoStackRow>([
        .init("STACK") { .text($0.name) },
        .init("STATE") { .state($0.state, tone($0.state)) },
        .init("HOST") { .text($0.host ?? "-") },
        .init("SERVICES") { .text(String($0.services.count)) },
        .init("DEPLOYED") { row in
            guard let deployed = row.deployed_hash else { return Cell.text("-") }
            if let latest = row.latest_hash, latest != deployed { return Cell.state("\(deployed) (latest \(latest))", .warning) }
            return Cell.text(deployed)
        },
        .init("REPO", wide: true) { .text([$0.repo, $0.branch].compactMap { $0 }.joined(separator: "@")) },
        .init("ID", wide: true) { .text($0.id) },
        .init("MISSING") { .text($0.missing_files.joined(separator: ", ")) },
    ])
}

/// One update in `homelab komodo updates -o json` and the outcome of `deploy`/`sync run`.
struct KomodoUpdateRow: Encodable, Sendable {
    var id: String
    var operation: String
    var target: String
    var target_type: String
    var status: String
    var success: Bool
    var started: Date?
    var ended: Date?
    var commit_hash: String?
    var operator_name: String?
    var error: String?
    var logs: [KomodoLogRow]?

    init(_ item: Komodo.UpdateListItem, targetName: String?) {
        id = item.id
        operation = item.operation
        target = targetName ?? item.target.id
        target_type = item.target.type
        status = item.status.rawValue
        success = item.success
        started = item.started
        operator_name = item.username ?? item.operator
    }

    init(_ update: Komodo.Update, targetName: String?, withLogs: Bool) {
        id = update.id
        operation = update.operation
        target = targetName ?? update.target.id
        target_type = update.target.type
        status = update.status.rawValue
        success = update.success
        started = update.started
        ended = update.ended
        commit_hash = update.commitHash
        operator_name = update.operator
        error = update.isComplete && !update.success ? update.failureText : nil
        logs = withLogs ? update.logs.map(KomodoLogRow.init) : nil
    }

    static let table = Table<KomodoUpdateRow>([
        .init("STARTED") { .time($0.started) },
        .init("OPERATION") { .text($0.operation) },
        .init("TARGET") { .text($0.target) },
        .init("RESULT") { row in
            if row.status != "Complete" { return Cell.state(row.status, .warning) }
            return row.success ? Cell.state("ok", .good) : Cell.state("failed", .bad)
        },
        .init("COMMIT") { .text($0.commit_hash ?? "") },
        .init("ID", wide: true) { .text($0.id) },
        .init("BY", wide: true) { .text($0.operator_name ?? "") },
    ])
}

/// One stage's log of an update (`logs` in the update rows).
struct KomodoLogRow: Encodable, Sendable {
    var stage: String
    var command: String?
    var success: Bool
    var stdout: String?
    var stderr: String?

    init(_ log: Komodo.Log) {
        stage = log.stage
        command = log.command.flatMap { $0.isEmpty ? nil : $0 }
        success = log.success
        stdout = log.stdout.flatMap { $0.isEmpty ? nil : $0 }
        stderr = log.stderr.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// One change in `homelab komodo sync diff -o json`: from Komodo's pending list or from a file compared here.
struct KomodoChangeRow: Encodable, Sendable {
    var action: String
    var kind: String
    var name: String
    var fields: [KomodoFieldRow]

    init(_ change: KomodoSyncPlan.Change) {
        action = change.action.rawValue
        kind = change.kind
        name = change.name
        fields = change.fields.map { KomodoFieldRow(field: $0.field, current: $0.current, proposed: $0.proposed) }
    }

    init(_ diff: Komodo.ResourceDiff, name: String) {
        action = diff.data.type.lowercased()
        kind = diff.target.type
        self.name = name
        fields = KomodoChangeRow.tomlFields(current: diff.data.data.current, proposed: diff.data.data.proposed)
    }

    /// The `key = value` lines that differ between two TOML texts of one resource.
    static func tomlFields(current: String?, proposed: String?) -> [KomodoFieldRow] {
        func pairs(_ text: String?) -> [String: String] {
            var out: [String: String] = [:]
            var table = ""
            var open: (key: String, lines: [String])?
            for line in (text ?? "").split(separator: "\n", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if var pending = open {
                    if line.hasSuffix("\"\"\"") {
                        pending.lines.append(String(line.dropLast(3)))
                        out[pending.key] = pending.lines.filter { !$0.isEmpty }.joined(separator: "\\n")
                        open = nil
                    } else {
                        pending.lines.append(line)
                        open = pending
                    }
                    continue
                }
                if line.hasPrefix("[") { table = line.trimmingCharacters(in: CharacterSet(charactersIn: "[]")); continue }
                guard let equals = line.firstIndex(of: "=") else { continue }
                let name = line[..<equals].trimmingCharacters(in: .whitespaces)
                let key = (table.contains(".") ? String(table.split(separator: ".").dropFirst().joined(separator: ".")) + "." : "") + name
                let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("\"\"\""), !value.dropFirst(3).contains("\"\"\"") {
                    open = (key, [String(value.dropFirst(3))])
                } else {
                    out[key] = value
                }
            }
            return out
        }
        guard current != nil, proposed != nil else { return [] }
        let (before, after) = (pairs(current), pairs(proposed))
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : KomodoFieldRow(field: key, current: before[key], proposed: after[key])
        }
    }

    static let table = Table<KomodoChangeRow>([
        .init("ACTION") { row in
            Cell.state(row.action, row.action == "create" ? .good : row.action == "delete" ? .bad : .warning)
        },
        .init("KIND") { .text($0.kind) },
        .init("NAME") { .text($0.name) },
        .init("FIELDS") { .text($0.fields.map(\.field).joined(separator: ", ")) },
    ])
}

/// One field of a change.
struct KomodoFieldRow: Encodable, Sendable {
    var field: String
    var current: String?
    var proposed: String?
}

/// One finding in `homelab komodo validate -o json`.
struct KomodoIssueRow: Encodable, Sendable {
    var file: String
    var line: Int?
    var column: Int?
    var severity: String
    var message: String

    init(_ issue: KomodoResourceFile.Issue) {
        file = issue.file
        line = issue.line
        column = issue.column
        severity = issue.severity.rawValue
        message = issue.message
    }

    static let table = Table<KomodoIssueRow>([
        .init("WHERE") { .text([$0.file, $0.line.map(String.init), $0.column.map(String.init)].compactMap { $0 }.joined(separator: ":")) },
        .init("SEVERITY") { .state($0.severity, $0.severity == "error" ? .bad : .warning) },
        .init("MESSAGE") { .text($0.message) },
    ])
}
