import Foundation
import HomelabCore

/// One pool in `homelab truenas pools -o json`.
struct TrueNASPoolRow: Encodable, Sendable {
    var name: String
    var status: String
    var healthy: Bool
    var size: Int64?
    var allocated: Int64?
    var free: Int64?
    var fragmentation: String?
    var scrub: String?

    init(_ pool: TrueNAS.Pool) {
        name = pool.name
        status = pool.status.rawValue
        healthy = pool.healthy ?? (pool.status == .online)
        size = pool.size
        allocated = pool.allocated
        free = pool.free
        fragmentation = pool.fragmentation
        scrub = [pool.scan?.function, pool.scan?.state].compactMap { $0 }.joined(separator: " ")
    }

    static let table = Table<TrueNASPoolRow>([
        .init("POOL") { .text($0.name) },
        .init("HEALTH") { .state($0.status, $0.healthy ? .good : .bad) },
        .init("SIZE") { .text(StorageRenderer.bytes($0.size)) },
        .init("USED") { .text(StorageRenderer.bytes($0.allocated)) },
        .init("FREE") { .text(StorageRenderer.bytes($0.free)) },
        .init("FRAG", wide: true) { .text(($0.fragmentation ?? "-") + "%") },
        .init("SCRUB") { .text($0.scrub ?? "-") },
    ])
}

/// One dataset in `homelab truenas datasets -o json` (bytes; quota 0 is none).
struct TrueNASDatasetRow: Encodable, Sendable {
    var name: String
    var pool: String
    var used: Int64?
    var available: Int64?
    var quota: Int64

    init(_ dataset: TrueNAS.Dataset) {
        name = dataset.name
        pool = dataset.pool
        used = dataset.used?.bytes
        available = dataset.available?.bytes
        quota = dataset.quota?.bytes ?? 0
    }

    static let table = Table<TrueNASDatasetRow>([
        .init("DATASET") { .text($0.name) },
        .init("USED") { .text(StorageRenderer.bytes($0.used)) },
        .init("AVAILABLE") { .text(StorageRenderer.bytes($0.available)) },
        .init("QUOTA") { .text($0.quota == 0 ? "none" : StorageRenderer.bytes($0.quota)) },
    ])
}

/// One snapshot in `homelab truenas snapshots -o json`.
struct TrueNASSnapshotRow: Encodable, Sendable {
    var id: String
    var dataset: String
    var name: String
    var created: Date?

    init(_ snapshot: TrueNAS.Snapshot) {
        id = snapshot.id
        dataset = snapshot.dataset
        name = snapshot.snapshotName ?? String(snapshot.id.split(separator: "@").last ?? "")
        created = snapshot.createdAt
    }

    static let table = Table<TrueNASSnapshotRow>([
        .init("SNAPSHOT") { .text($0.id) },
        .init("CREATED") { .time($0.created) },
    ])
}

/// One NFS share in `homelab truenas shares -o json`.
struct TrueNASShareRow: Encodable, Sendable {
    var id: Int
    var path: String
    var networks: [String]
    var read_only: Bool
    var enabled: Bool
    var comment: String

    init(_ share: TrueNAS.NFSShare) {
        id = share.id
        path = share.path
        networks = share.networks ?? []
        read_only = share.ro ?? false
        enabled = share.enabled ?? true
        comment = share.comment ?? ""
    }

    static let table = Table<TrueNASShareRow>([
        .init("ID") { .text(String($0.id)) },
        .init("PATH") { .text($0.path) },
        .init("NETWORKS") { .text($0.networks.isEmpty ? "anyone" : $0.networks.joined(separator: ",")) },
        .init("MODE") { .text($0.read_only ? "ro" : "rw") },
        .init("ENABLED") { .state($0.enabled ? "yes" : "no", $0.enabled ? .good : .muted) },
        .init("COMMENT", wide: true) { .text($0.comment) },
    ])
}

/// One alert in `homelab truenas alerts -o json`.
struct TrueNASAlertRow: Encodable, Sendable {
    var uuid: String
    var level: String
    var klass: String?
    var text: String
    var dismissed: Bool
    var raised: Date?

    init(_ alert: TrueNAS.Alert) {
        uuid = alert.uuid
        level = alert.level.rawValue
        klass = alert.klass
        text = alert.formatted ?? alert.text ?? ""
        dismissed = alert.dismissed ?? false
        raised = alert.raisedAt
    }

    static let table = Table<TrueNASAlertRow>([
        .init("LEVEL") { row in
            let level = TrueNAS.AlertLevel(rawValue: row.level)
            return .state(row.level + (row.dismissed ? " (dismissed)" : ""), level >= .error ? .bad : level >= .warning ? .warning : .muted)
        },
        .init("RAISED") { .time($0.raised) },
        .init("CLASS", wide: true) { .text($0.klass ?? "-") },
        .init("UUID", wide: true) { .text($0.uuid) },
        .init("TEXT") { .text($0.text) },
    ])
}

/// One app in `homelab truenas apps -o json`.
struct TrueNASAppRow: Encodable, Sendable {
    var name: String
    var state: String
    var version: String?
    var upgrade_available: Bool
    var latest_version: String?

    init(_ app: TrueNAS.App) {
        name = app.name
        state = app.state.rawValue
        version = app.humanVersion ?? app.version
        upgrade_available = app.upgradeAvailable ?? false
        latest_version = app.latestVersion
    }

    static let table = Table<TrueNASAppRow>([
        .init("APP") { .text($0.name) },
        .init("STATE") { .state($0.state, $0.state == "RUNNING" ? .good : $0.state == "CRASHED" ? .bad : .muted) },
        .init("VERSION") { .text($0.version ?? "-") },
        .init("UPGRADE") { .text($0.upgrade_available ? ($0.latest_version ?? "yes") : "-") },
    ])
}

/// One job in `homelab truenas jobs -o json`.
struct TrueNASJobRow: Encodable, Sendable {
    var id: Int
    var method: String
    var state: String
    var percent: Double
    var error: String?
    var started: Date?

    init(_ job: TrueNAS.Job) {
        id = job.id
        method = job.method ?? "-"
        state = job.state.rawValue
        percent = job.progress?.percent ?? 0
        error = job.error
        started = TrueNASDates.date(job.timeStarted)
    }

    static let table = Table<TrueNASJobRow>([
        .init("ID") { .text(String($0.id)) },
        .init("METHOD") { .text($0.method) },
        .init("STATE") { .state($0.state, $0.state == "SUCCESS" ? .good : $0.state == "FAILED" ? .bad : .warning) },
        .init("PROGRESS") { .text("\(Int($0.percent))%") },
        .init("STARTED", wide: true) { .time($0.started) },
        .init("ERROR") { .text($0.error ?? "") },
    ])
}

/// One disk in `homelab truenas disks -o json`.
struct TrueNASDiskRow: Encodable, Sendable {
    var name: String
    var pool: String?
    var size: Int64?
    var model: String?
    var temperature_celsius: Double?
    var smart_status: String?
    var smart_test: String?

    init(_ disk: TrueNAS.Disk, temperature: Double?, smart: TrueNAS.SMARTTest?) {
        name = disk.name
        pool = disk.pool
        size = disk.size
        model = disk.model
        temperature_celsius = temperature
        smart_status = smart?.status
        smart_test = smart?.description
    }

    static let table = Table<TrueNASDiskRow>([
        .init("DISK") { .text($0.name) },
        .init("POOL") { .text($0.pool ?? "-") },
        .init("SIZE") { .text(StorageRenderer.bytes($0.size)) },
        .init("MODEL", wide: true) { .text($0.model ?? "-") },
        .init("TEMP") { .text($0.temperature_celsius.map { "\(Int($0)) °C" } ?? "-") },
        .init("SMART") { row in
            guard let status = row.smart_status else { return .text("-") }
            return .state("\(status) (\(row.smart_test ?? "test"))", status == "SUCCESS" ? .good : .bad)
        },
    ])
}

/// ejson timestamps of job fields, for the rows.
enum TrueNASDates {
    static func date(_ value: JSONValue?) -> Date? {
        if case .object(let fields)? = value, let milliseconds = fields["$date"] {
            switch milliseconds {
            case .integer(let n): return Date(timeIntervalSince1970: Double(n) / 1000)
            case .number(let d): return Date(timeIntervalSince1970: d / 1000)
            default: return nil
            }
        }
        if case .string(let text)? = value { return ISO8601DateFormatter().date(from: text) }
        return nil
    }
}
