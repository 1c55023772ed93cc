import Foundation

extension HomelabCheck {
    /// How many periods a dataset's newest snapshot may be old before it counts as missed (one late run tolerated).
    static let snapshotGrace = 1.5

    /// Rule `backups`: every stateful service's live volumes (its bind mounts and named volumes) sit on a TrueNAS
    /// dataset (a bind mount under the dataset's mountpoint), an enabled periodic snapshot task covers the dataset
    /// (itself, or a recursive task on a parent), and its newest snapshot is younger than 1.5 of the task's period.
    /// Stateful services not deployed are left to other commands (`homelab status`).
    static func backups(_ snapshot: CheckSnapshot) -> CheckRuleResult {
        guard let swarm = snapshot.swarm.value else { return .unknown(.backups, snapshot.swarm.problem ?? "the swarm was not read") }
        guard let storage = snapshot.storage.value else { return .unknown(.backups, snapshot.storage.problem ?? "TrueNAS was not read") }
        let datasets = storage.datasets.compactMap { dataset in dataset.mountpoint.map { (dataset, $0) } }
            .sorted { $0.1.count > $1.1.count }
        var findings: [CheckFinding] = []
        var checked = 0
        for service in snapshot.homelab.services where service.isStateful {
            guard let live = swarm.service(service) else { continue }
            checked += 1
            func add(_ expected: String, _ found: String, _ hint: String) {
                findings.append(CheckFinding(rule: .backups, service: service.name, expected: expected, found: found, hint: hint))
            }
            let mounts = (live.spec?.taskTemplate?.containerSpec?.mounts ?? []).filter { $0.type == .bind || $0.type == .volume }
            guard !mounts.isEmpty else {
                add(
                    "its data on a TrueNAS dataset (a bind mount under a dataset's mountpoint)",
                    "no bind mount or volume: its state lives in the container and dies with it",
                    "bind-mount a dataset's path, e.g. /mnt/tank/apps/\(service.stack)/\(service.name)")
                continue
            }
            for mount in mounts {
                let source = mount.source ?? ""
                let target = mount.target.map { " at \($0)" } ?? ""
                guard mount.type == .bind else {
                    add(
                        "its data\(target) on a TrueNAS dataset", "Docker volume '\(source)' on the node's own disk, which no snapshot task sees",
                        "create a dataset (tank/apps/\(service.stack)/\(service.name)), move the data there and bind-mount its path")
                    continue
                }
                guard let dataset = datasets.first(where: { source == $0.1 || source.hasPrefix($0.1 + "/") })?.0 else {
                    add(
                        "its data\(target) on a TrueNAS dataset", "host path \(source) is under no dataset's mountpoint",
                        "create a dataset for it (tank/apps/\(service.stack)/\(service.name)) and bind-mount its mountpoint")
                    continue
                }
                let tasks = storage.tasks.filter { task in
                    task.enabled != false && (task.dataset == dataset.name || (task.recursive == true && dataset.name.hasPrefix(task.dataset + "/")))
                }
                guard let period = tasks.compactMap({ $0.schedule.flatMap(Self.period(of:)) }).min() else {
                    add(
                        "an enabled periodic snapshot task covering dataset \(dataset.name)",
                        tasks.isEmpty ? "no snapshot task covers \(dataset.name)" : "its snapshot tasks have no schedule",
                        "add one (Data Protection > Periodic Snapshot Tasks) for \(dataset.name), or a recursive one for a parent")
                    continue
                }
                let newest = storage.snapshots.filter { $0.dataset == dataset.name }.compactMap(\.createdAt).max()
                let allowed = period * snapshotGrace
                guard let newest else {
                    add(
                        "a snapshot of \(dataset.name) in the last \(Self.spoken(allowed))", "\(dataset.name) has no snapshot",
                        "check the snapshot task's last run (`homelab truenas snapshots`) and TrueNAS's alerts")
                    continue
                }
                let age = snapshot.now.timeIntervalSince(newest)
                if age > allowed {
                    add(
                        "a snapshot of \(dataset.name) in the last \(Self.spoken(allowed)) (its task runs every \(Self.spoken(period)))",
                        "the newest is \(Self.spoken(age)) old",
                        "the snapshot task is failing or disabled: check its state and TrueNAS's alerts (`homelab truenas alerts`)")
                }
            }
        }
        return CheckRuleResult(rule: .backups, findings: findings, checked: checked)
    }

    /// The interval between two runs of a cron schedule, in seconds, roughly: the smallest unit the schedule repeats
    /// on (`*/15 * * * *`: 15 min, `0 * * * *`: 1 h, `0 3 * * *`: 1 day, `0 3 * * 0`: 1 week, `0 3 1 * *`: 31 days).
    /// `nil` for a schedule it cannot read.
    static func period(of schedule: TrueNAS.Schedule) -> TimeInterval? {
        func step(_ field: String?) -> Int? {
            let text = (field ?? "*").trimmingCharacters(in: .whitespaces)
            if text == "*" { return 1 }
            if text.hasPrefix("*/"), let value = Int(text.dropFirst(2)), value > 0 { return value }
            return nil
        }
        if let minutes = step(schedule.minute) { return TimeInterval(minutes * 60) }
        if let hours = step(schedule.hour) { return TimeInterval(hours * 3_600) }
        let everyDay = (schedule.dom ?? "*") == "*" && (schedule.dow ?? "*") == "*"
        if everyDay { return (schedule.month ?? "*") == "*" ? 86_400 : 366 * 86_400 }
        if (schedule.dom ?? "*") == "*" { return 7 * 86_400 }
        return (schedule.month ?? "*") == "*" ? 31 * 86_400 : 366 * 86_400
    }

    /// `90 s`, `45 min`, `1.5 h`, `3 d`.
    static func spoken(_ seconds: TimeInterval) -> String {
        func trimmed(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
        }
        switch seconds {
        case ..<120: return "\(Int(seconds)) s"
        case ..<7_200: return "\(Int(seconds / 60)) min"
        case ..<(3 * 86_400): return "\(trimmed((seconds / 3_600 * 10).rounded() / 10)) h"
        default: return "\(trimmed((seconds / 86_400 * 10).rounded() / 10)) d"
        }
    }
}
