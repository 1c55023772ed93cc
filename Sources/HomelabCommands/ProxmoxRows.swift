import Foundation
import HomelabCore

/// One node in `homelab proxmox nodes -o json` (a row of the README's JSON table).
struct ProxmoxNodeRow: Encodable {
    var node: String
    var status: String
    var cpu: Double?
    var cpus: Int?
    var memory_used: Int64?
    var memory_total: Int64?
    var disk_used: Int64?
    var disk_total: Int64?
    var booted_at: Date?
    var level: String?
    var ssl_fingerprint: String?

    init(_ node: Proxmox.Node, now: Date) {
        self.node = node.node
        status = node.status.rawValue
        cpu = node.cpu
        cpus = node.maxcpu
        memory_used = node.mem
        memory_total = node.maxmem
        disk_used = node.disk
        disk_total = node.maxdisk
        booted_at = ProxmoxRowText.since(node.uptime, now: now)
        level = node.level.flatMap { $0.isEmpty ? nil : $0 }
        ssl_fingerprint = node.sslFingerprint
    }

    static let table = Table<ProxmoxNodeRow>([
        .init("NODE") { .text($0.node) },
        .init("STATUS") { .state($0.status, $0.status == "online" ? .good : .bad) },
        .init("CPU") { .text(ProxmoxRowText.percent($0.cpu)) },
        .init("MEMORY") { .text(ProxmoxRowText.usage($0.memory_used, of: $0.memory_total)) },
        .init("UP SINCE") { .time($0.booted_at) },
        .init("CPUS", wide: true) { .text($0.cpus.map(String.init) ?? "-") },
        .init("DISK", wide: true) { .text(ProxmoxRowText.usage($0.disk_used, of: $0.disk_total)) },
        .init("FINGERPRINT", wide: true) { .text($0.ssl_fingerprint ?? "-") },
    ])
}

/// One QEMU VM or LXC container in `homelab proxmox vms -o json`.
struct ProxmoxVMRow: Encodable {
    var vmid: Int
    var name: String?
    var type: String
    var node: String?
    var status: String
    var template: Bool
    var cpu: Double?
    var cpus: Double?
    var memory_used: Int64?
    var memory_total: Int64?
    var disk_total: Int64?
    var started_at: Date?
    var lock: String?
    var tags: [String]
    var swarm_node: String?

    init(_ guest: Proxmox.Resource, swarmNode: String?, now: Date) {
        vmid = guest.vmid ?? 0
        name = guest.name
        type = guest.type.rawValue
        node = guest.node
        status = guest.status ?? "unknown"
        template = guest.template == true
        cpu = guest.cpu
        cpus = guest.maxcpu
        memory_used = guest.mem
        memory_total = guest.maxmem
        disk_total = guest.maxdisk
        started_at = status == "running" ? ProxmoxRowText.since(guest.uptime, now: now) : nil
        lock = guest.lock.flatMap { $0.isEmpty ? nil : $0 }
        tags = (guest.tags ?? "").split(whereSeparator: { ";, ".contains($0) }).map(String.init)
        swarm_node = swarmNode
    }

    static let table = Table<ProxmoxVMRow>([
        .init("VMID") { .text(String($0.vmid)) },
        .init("NAME") { .text($0.name ?? "-") },
        .init("NODE") { .text($0.node ?? "-") },
        .init("STATUS") { row in
            row.template ? .state("template", .muted) : .state(row.status, row.status == "running" ? .good : .warning)
        },
        .init("CPU") { .text(ProxmoxRowText.percent($0.cpu)) },
        .init("MEMORY") { .text(ProxmoxRowText.usage($0.memory_used, of: $0.memory_total)) },
        .init("UP SINCE") { .time($0.started_at) },
        .init("LOCK") { .text($0.lock ?? "") },
        .init("SWARM NODE") { .text($0.swarm_node ?? "") },
        .init("TYPE", wide: true) { .text($0.type) },
        .init("DISK", wide: true) { .text(ProxmoxRowText.bytes($0.disk_total)) },
        .init("TAGS", wide: true) { .text($0.tags.joined(separator: ",")) },
    ])
}

/// The words of the Proxmox tables: sizes, fractions, and the time something started from its uptime.
enum ProxmoxRowText {
    static func bytes(_ value: Int64?) -> String {
        guard let value else { return "-" }
        let gib = Double(value) / Double(1 << 30)
        return gib >= 1 ? String(format: "%.1f GiB", gib) : String(format: "%.0f MiB", Double(value) / Double(1 << 20))
    }

    static func usage(_ used: Int64?, of total: Int64?) -> String { "\(bytes(used)) / \(bytes(total))" }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }

    /// `now` less `uptime` seconds, whole seconds; nil when not up.
    static func since(_ uptime: Int64?, now: Date) -> Date? {
        guard let uptime, uptime > 0 else { return nil }
        return Date(timeIntervalSince1970: (now.timeIntervalSince1970 - TimeInterval(uptime)).rounded())
    }

    static func date(_ epoch: Int64?) -> Date? { epoch.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
}
