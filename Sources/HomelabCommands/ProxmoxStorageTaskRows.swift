import Foundation
import HomelabCore

/// One storage of one node in `homelab proxmox storage -o json`.
struct ProxmoxStorageRow: Encodable {
    var node: String
    var storage: String
    var type: String?
    var content: [String]
    var shared: Bool
    var active: Bool
    var enabled: Bool
    var used_bytes: Int64?
    var total_bytes: Int64?
    var available_bytes: Int64?
    var used_fraction: Double?

    init(node: String, _ storage: Proxmox.Storage) {
        self.node = node
        self.storage = storage.storage
        type = storage.type
        content = (storage.content ?? "").split(separator: ",").map(String.init)
        shared = storage.shared == true
        active = storage.active == true
        enabled = storage.enabled ?? true
        used_bytes = storage.used
        total_bytes = storage.total
        available_bytes = storage.avail
        used_fraction = storage.usedFraction
    }

    static let table = Table<ProxmoxStorageRow>([
        .init("NODE") { .text($0.node) },
        .init("STORAGE") { .text($0.storage) },
        .init("TYPE") { .text($0.type ?? "-") },
        .init("CONTENT") { .text($0.content.joined(separator: ",")) },
        .init("USED") { .text(ProxmoxRowText.usage($0.used_bytes, of: $0.total_bytes)) },
        .init("USE") { row in
            .state(ProxmoxRowText.percent(row.used_fraction), (row.used_fraction ?? 0) >= 0.9 ? .bad : (row.used_fraction ?? 0) >= 0.8 ? .warning : .good)
        },
        .init("STATE") { .state($0.active ? "active" : "inactive", $0.active ? .good : .bad) },
        .init("SHARED", wide: true) { .text($0.shared ? "yes" : "no") },
        .init("AVAILABLE", wide: true) { .text(ProxmoxRowText.bytes($0.available_bytes)) },
    ])
}

/// One task in `homelab proxmox tasks -o json`, newest first per node.
struct ProxmoxTaskRow: Encodable {
    var upid: String
    var node: String
    var type: String?
    var object_id: String?
    var user: String?
    var status: String
    var exit_status: String?
    var started_at: Date?
    var ended_at: Date?

    init(node: String, _ task: Proxmox.TaskStatus) {
        upid = task.upid
        self.node = task.node ?? node
        type = task.type
        object_id = task.id.flatMap { $0.isEmpty ? nil : $0 }
        user = task.user
        status = task.status.rawValue
        exit_status = task.exitstatus
        started_at = ProxmoxRowText.date(task.starttime)
        ended_at = ProxmoxRowText.date(task.endtime)
    }

    static let table = Table<ProxmoxTaskRow>([
        .init("NODE") { .text($0.node) },
        .init("STARTED") { .time($0.started_at) },
        .init("TYPE") { .text($0.type ?? "-") },
        .init("OBJECT") { .text($0.object_id ?? "") },
        .init("USER") { .text($0.user ?? "-") },
        .init("STATUS") { row in
            if row.status == "running" { return .state("running", .warning) }
            let exit = row.exit_status ?? "-"
            return .state(exit, exit == "OK" ? .good : exit.hasPrefix("WARNINGS") ? .warning : .bad)
        },
        .init("ENDED", wide: true) { .time($0.ended_at) },
        .init("UPID", wide: true) { .text($0.upid) },
    ])
}
