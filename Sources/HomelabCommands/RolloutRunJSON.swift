import Foundation
import HomelabCore

/// One run in `homelab rollout list -o json` (a row of the README's table).
struct RolloutRunRow: Encodable {
    var id: String
    var status: String
    var created_at: Date
    var updated_at: Date
    var owner: String?
    var detail: String?

    init(_ run: RolloutJournal.Run) {
        id = run.id
        status = run.status.rawValue
        created_at = run.createdAt
        updated_at = run.updatedAt
        owner = run.owner
        detail = run.detail
    }

    static let table = Table<RolloutRunRow>([
        .init("ID") { .text($0.id) },
        .init("STATUS") { .state($0.status, RolloutRunRow.tone($0.status)) },
        .init("STARTED") { .time($0.created_at) },
        .init("UPDATED", wide: true) { .time($0.updated_at) },
        .init("DRIVEN BY", wide: true) { .text($0.owner ?? "") },
        .init("DETAIL") { .text($0.detail ?? "") },
    ])

    static func tone(_ status: String) -> Tone {
        switch status {
        case "completed", "succeeded": return .good
        case "failed", "rolled_back": return .bad
        case "pending", "planned": return .muted
        default: return .warning
        }
    }
}

/// `homelab rollout show ID -o json`: the run and its steps.
struct RolloutRunDocument: Encodable {
    struct Step: Encodable {
        var position: Int
        var service: String
        var status: String
        var started_at: Date?
        var finished_at: Date?
        var detail: String?
    }

    var run: RolloutRunRow
    var steps: [Step]

    init(run: RolloutJournal.Run, steps: [RolloutJournal.Step]) {
        self.run = RolloutRunRow(run)
        self.steps = steps.map {
            Step(
                position: $0.position + 1, service: $0.stepID, status: $0.status.rawValue, started_at: $0.startedAt,
                finished_at: $0.finishedAt, detail: $0.detail.flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    static let stepTable = Table<Step>([
        .init("#") { .text("\($0.position)") },
        .init("STEP") { .text($0.service) },
        .init("STATUS") { .state($0.status, RolloutRunRow.tone($0.status)) },
        .init("STARTED", wide: true) { .time($0.started_at) },
        .init("FINISHED") { .time($0.finished_at) },
        .init("DETAIL") { .text($0.detail ?? "") },
    ])

    /// The run's line, then its steps as a table.
    func text(wide: Bool, terminal: Terminal) -> String {
        let now = terminal.now()
        var header = "\(run.id)  \(Output(format: .table, terminal: terminal).styled(run.status, RolloutRunRow.tone(run.status)))"
        header += "  started \(RelativeTime.describe(run.created_at, now: now))"
        if let owner = run.owner { header += "  driven by \(owner)" }
        if let detail = run.detail { header += "  \(detail)" }
        return header + "\n" + Self.stepTable.render(steps, wide: wide, terminal: terminal)
    }
}
