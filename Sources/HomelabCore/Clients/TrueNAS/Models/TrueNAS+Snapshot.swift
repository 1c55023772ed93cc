import Foundation

extension TrueNAS {
    /// A ZFS snapshot (`zfs.snapshot.query` up to 25.04, `pool.snapshot.query` from 25.10).
    public struct Snapshot: Codable, Sendable, Hashable {
        /// `dataset@name`.
        public var id: String
        /// `dataset@name`.
        public var name: String
        /// The dataset it belongs to.
        public var dataset: String
        /// The part after `@`.
        public var snapshotName: String?
        /// The transaction group it was created in.
        public var createtxg: String?
        /// Its ZFS properties (`creation`, `used`, `referenced`, ...).
        public var properties: [String: Property]?

        /// When it was created (its `creation` property), if known.
        public var createdAt: Date? {
            guard let creation = properties?["creation"] else { return nil }
            return TrueNASJSON.date(creation.parsed) ?? creation.rawvalue.flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// A periodic snapshot task (`pool.snapshottask.query`).
    public struct SnapshotTask: Codable, Sendable, Hashable {
        /// The task's id.
        public var id: Int
        /// The dataset it snapshots.
        public var dataset: String
        /// Whether child datasets are included.
        public var recursive: Bool?
        /// How long snapshots are kept, with ``lifetimeUnit``.
        public var lifetimeValue: Int?
        /// `HOUR`, `DAY`, `WEEK`, `MONTH` or `YEAR`.
        public var lifetimeUnit: String?
        /// The snapshot names' strftime pattern (`auto-%Y-%m-%d_%H-%M`).
        public var namingSchema: String?
        /// When it runs.
        public var schedule: Schedule?
        /// Whether it runs.
        public var enabled: Bool?
    }

    /// A cron schedule (`minute`, `hour`, `dom`, `month`, `dow`).
    public struct Schedule: Codable, Sendable, Hashable {
        /// Minutes field.
        public var minute: String?
        /// Hours field.
        public var hour: String?
        /// Days of the month.
        public var dom: String?
        /// Months.
        public var month: String?
        /// Days of the week.
        public var dow: String?

        /// The five fields as crontab writes them.
        public var crontab: String {
            [minute, hour, dom, month, dow].map { $0 ?? "*" }.joined(separator: " ")
        }
    }
}
