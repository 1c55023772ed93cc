import Logging

/// The storage part of the overview: TrueNAS's pools (health, capacity, last scrub) and its active alerts, from one
/// ``TrueNASClient`` session. Never throws: a failure is kept as the reason.
public struct StorageOverview: Sendable, Hashable {
    /// One pool.
    public struct PoolRow: Sendable, Hashable {
        /// The pool's name.
        public var name: String
        /// ZFS's health (`ONLINE`, `DEGRADED`, ...).
        public var status: String
        /// Whether TrueNAS considers it healthy.
        public var healthy: Bool
        /// Size in bytes.
        public var size: Int64?
        /// Allocated bytes.
        public var allocated: Int64?
        /// Free bytes.
        public var free: Int64?
        /// The last scrub's state (`FINISHED`, `SCANNING`), if known.
        public var scrub: String?
    }

    /// One active (not dismissed) alert.
    public struct AlertRow: Sendable, Hashable {
        /// How bad it is.
        public var level: TrueNAS.AlertLevel
        /// What it says.
        public var text: String
    }

    /// The pools, by name.
    public var pools: [PoolRow]
    /// Active alerts, most severe first.
    public var alerts: [AlertRow]
    /// Why the storage could not be read, when it could not.
    public var failure: String?

    /// Whether every pool is healthy and no alert is WARNING or worse.
    public var isHealthy: Bool {
        failure == nil && pools.allSatisfy(\.healthy) && !alerts.contains { $0.level >= .warning }
    }

    /// Reads TrueNAS's pools and alerts through `connections` within `deadline`; nil when the inventory has no TrueNAS.
    public static func collect(connections: HomelabConnections, deadline: Duration, logger: Logger? = nil) async -> StorageOverview? {
        guard connections.homelab.components[.truenas] != nil else { return nil }
        let outcome = await Deadline.run(deadline, "reading TrueNAS's pools and alerts") {
            let truenas = try await connections.trueNAS()
            async let pools = truenas.pools.list(logger: logger)
            async let alerts = truenas.alerts.list(logger: logger)
            return try await (pools, alerts)
        }
        switch outcome {
        case .success(let (pools, alerts)):
            return StorageOverview(
                pools: pools.sorted { $0.name < $1.name }.map { pool in
                    PoolRow(
                        name: pool.name, status: pool.status.rawValue, healthy: pool.healthy ?? (pool.status == .online), size: pool.size,
                        allocated: pool.allocated, free: pool.free, scrub: pool.scan?.state)
                },
                alerts: alerts.filter { $0.dismissed != true }.sorted { $0.level > $1.level }
                    .map { AlertRow(level: $0.level, text: $0.formatted ?? $0.text ?? $0.klass ?? "?") },
                failure: nil)
        case .failure(let error):
            return StorageOverview(pools: [], alerts: [], failure: ComponentProbe.reason(error))
        }
    }
}
