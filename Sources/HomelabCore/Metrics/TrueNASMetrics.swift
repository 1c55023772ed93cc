import Foundation

/// TrueNAS's state as metric families: pools (health, size, allocated, free), datasets (used, available, quota;
/// snapshot count and the newest snapshot's age), active alerts by level, disk temperatures.
///
/// A pure function of what TrueNAS answered; no I/O here.
public enum TrueNASMetrics {
    /// What one collection read.
    public struct Reading: Sendable {
        /// The pools.
        public var pools: [TrueNAS.Pool]
        /// The datasets.
        public var datasets: [TrueNAS.Dataset]
        /// Every snapshot.
        public var snapshots: [TrueNAS.Snapshot]
        /// Every alert, dismissed ones included.
        public var alerts: [TrueNAS.Alert]
        /// °C by disk name.
        public var temperatures: [String: Double]

        /// A reading.
        public init(
            pools: [TrueNAS.Pool], datasets: [TrueNAS.Dataset], snapshots: [TrueNAS.Snapshot], alerts: [TrueNAS.Alert],
            temperatures: [String: Double]
        ) {
            self.pools = pools
            self.datasets = datasets
            self.snapshots = snapshots
            self.alerts = alerts
            self.temperatures = temperatures
        }
    }

    /// Reads everything the families need through one session, concurrently.
    /// - Throws: the first failed call's error.
    public static func read(_ truenas: TrueNASClient) async throws -> Reading {
        async let pools = truenas.pools.list()
        async let datasets = truenas.datasets.list()
        async let snapshots = truenas.snapshots.list()
        async let alerts = truenas.alerts.list()
        async let temperatures = truenas.disks.temperatures()
        return Reading(
            pools: try await pools, datasets: try await datasets, snapshots: try await snapshots, alerts: try await alerts,
            temperatures: try await temperatures)
    }

    /// The families for one reading, ages measured from `now`.
    public static func families(_ reading: Reading, now: Date = Date()) -> [MetricFamily] {
        var status = MetricFamily("homelab_truenas_pool_status", help: "ZFS pool health (one-hot: 1 for the current status).")
        var healthy = MetricFamily("homelab_truenas_pool_healthy", help: "1 when TrueNAS considers the pool healthy, else 0.")
        var size = MetricFamily("homelab_truenas_pool_size_bytes", help: "Pool size.")
        var allocated = MetricFamily("homelab_truenas_pool_allocated_bytes", help: "Pool space allocated.")
        var free = MetricFamily("homelab_truenas_pool_free_bytes", help: "Pool space free.")
        let statuses = TrueNAS.PoolStatus.knownCases.map(\.rawValue)
        for pool in reading.pools.sorted(by: { $0.name < $1.name }) {
            let current = pool.status.rawValue
            for value in statuses + (statuses.contains(current) ? [] : [current]) {
                status.add(value == current ? 1 : 0, ["pool": pool.name, "status": value])
            }
            healthy.add((pool.healthy ?? (pool.status == .online)) ? 1 : 0, ["pool": pool.name])
            if let bytes = pool.size { size.add(Double(bytes), ["pool": pool.name]) }
            if let bytes = pool.allocated { allocated.add(Double(bytes), ["pool": pool.name]) }
            if let bytes = pool.free { free.add(Double(bytes), ["pool": pool.name]) }
        }

        var used = MetricFamily("homelab_truenas_dataset_used_bytes", help: "Dataset space used, with children and snapshots.")
        var available = MetricFamily("homelab_truenas_dataset_available_bytes", help: "Dataset space available.")
        var quota = MetricFamily("homelab_truenas_dataset_quota_bytes", help: "Dataset quota (0: none).")
        var count = MetricFamily("homelab_truenas_dataset_snapshots", help: "Snapshots of the dataset.")
        var age = MetricFamily(
            "homelab_truenas_dataset_newest_snapshot_age_seconds", help: "Age of the dataset's newest snapshot (datasets with snapshots only).")
        var byDataset: [String: (count: Int, newest: Date?)] = [:]
        for snapshot in reading.snapshots {
            var entry = byDataset[snapshot.dataset] ?? (0, nil)
            entry.count += 1
            if let created = snapshot.createdAt, entry.newest.map({ created > $0 }) ?? true { entry.newest = created }
            byDataset[snapshot.dataset] = entry
        }
        for dataset in reading.datasets.sorted(by: { $0.name < $1.name }) {
            let labels: KeyValuePairs<String, String> = ["dataset": dataset.name, "pool": dataset.pool]
            if let bytes = dataset.used?.bytes { used.add(Double(bytes), labels) }
            if let bytes = dataset.available?.bytes { available.add(Double(bytes), labels) }
            quota.add(Double(dataset.quota?.bytes ?? 0), labels)
            let snapshots = byDataset[dataset.name]
            count.add(Double(snapshots?.count ?? 0), labels)
            if let newest = snapshots?.newest { age.add(max(0, now.timeIntervalSince(newest)), labels) }
        }

        var alerts = MetricFamily("homelab_truenas_alerts", help: "Active (not dismissed) alerts by level.")
        var levels: [String: Int] = [:]
        for alert in reading.alerts where alert.dismissed != true { levels[alert.level.rawValue, default: 0] += 1 }
        let known = TrueNAS.AlertLevel.knownCases.map(\.rawValue)
        for level in known + levels.keys.filter({ !known.contains($0) }).sorted() {
            alerts.add(Double(levels[level] ?? 0), ["level": level])
        }

        var temperature = MetricFamily("homelab_truenas_disk_temperature_celsius", help: "Disk temperature (disks that report one).")
        for (disk, celsius) in reading.temperatures.sorted(by: { $0.key < $1.key }) { temperature.add(celsius, ["disk": disk]) }
        return [status, healthy, size, allocated, free, used, available, quota, count, age, alerts, temperature]
    }
}
