import Foundation
import HomelabCore

/// One service in `homelab swarm services -o json` (a row of the README's table).
struct SwarmServiceRow: Encodable {
    var id: String
    var name: String
    var mode: String
    var replicas_running: Int
    var replicas_desired: Int
    var image: String
    var update_state: String?
    var update_message: String?
    var tier: String?
    var stack: String?
    var ports: [String]
    var created_at: Date?
    var updated_at: Date?

    init(_ service: Swarm.ServiceSummary, tiers: [String: String]) {
        id = service.id ?? ""
        name = service.name ?? id
        mode = SwarmText.mode(service.mode)
        replicas_running = Int(service.serviceStatus?.runningTasks ?? 0)
        replicas_desired = Int(service.serviceStatus?.desiredTasks ?? service.mode?.replicas ?? 0)
        image = service.image ?? ""
        update_state = service.updateStatus?.state?.rawValue
        update_message = service.updateStatus?.message.flatMap { $0.isEmpty ? nil : $0 }
        tier = tiers[name]
        stack = service.labels?["com.docker.stack.namespace"]
        ports = (service.ports ?? []).map { port in
            "\(port.publishedPort.map(String.init) ?? "*"):\(port.targetPort.map(String.init) ?? "?")/\(port.portProtocol?.rawValue ?? "tcp")"
        }
        created_at = SwarmText.date(service.createdAt)
        updated_at = SwarmText.date(service.updatedAt)
    }

    static let table = Table<SwarmServiceRow>([
        .init("ID", wide: true) { .text(String($0.id.prefix(12))) },
        .init("NAME") { .text($0.name) },
        .init("MODE") { .text($0.mode) },
        .init("REPLICAS") {
            .state("\($0.replicas_running)/\($0.replicas_desired)", $0.replicas_running >= $0.replicas_desired ? .good : .bad)
        },
        .init("IMAGE") { .text(SwarmText.shortImage($0.image)) },
        .init("UPDATE") { row in .state(row.update_state ?? "", SwarmServiceRow.tone(row.update_state)) },
        .init("TIER") { .text($0.tier ?? "-") },
        .init("PORTS", wide: true) { .text($0.ports.joined(separator: ",")) },
        .init("UPDATED", wide: true) { .time($0.updated_at) },
    ])

    static func tone(_ state: String?) -> Tone {
        switch state {
        case "completed"?, nil: return .good
        case "updating"?, "rollback_started"?: return .warning
        default: return .bad
        }
    }
}

/// One task in `homelab swarm ps SERVICE -o json` (a row of the README's table).
struct SwarmTaskRow: Encodable {
    var id: String
    var name: String
    var slot: Int?
    var image: String
    var node: String?
    var desired_state: String
    var current_state: String
    var state_since: Date?
    var error: String?

    init(_ task: Swarm.Task, service: String, nodes: [String: String]) {
        id = task.id ?? ""
        slot = task.slot
        name = "\(service).\(task.slot.map(String.init) ?? task.nodeID ?? "?")"
        image = task.spec?.containerSpec?.image ?? ""
        node = task.nodeID.map { nodes[$0] ?? $0 }
        desired_state = task.desiredState?.rawValue ?? "-"
        current_state = task.status?.state?.rawValue ?? "-"
        state_since = SwarmText.date(task.status?.timestamp)
        error = task.status?.err.flatMap { $0.isEmpty ? nil : $0 }
    }

    static let table = Table<SwarmTaskRow>([
        .init("ID", wide: true) { .text(String($0.id.prefix(12))) },
        .init("NAME") { .text($0.name) },
        .init("IMAGE") { .text(SwarmText.shortImage($0.image)) },
        .init("NODE") { .text($0.node ?? "") },
        .init("DESIRED STATE") { .text($0.desired_state) },
        .init("CURRENT STATE") { row in
            .state(row.current_state, row.current_state == "running" ? .good : row.current_state == "failed" || row.current_state == "rejected" ? .bad : .muted)
        },
        .init("SINCE") { .time($0.state_since) },
        .init("ERROR") { .text($0.error ?? "") },
    ])
}
