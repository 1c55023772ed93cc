extension TrueNAS {
    /// A ZFS pool (`pool.query`).
    public struct Pool: Codable, Sendable, Hashable {
        /// The pool's database id.
        public var id: Int
        /// Its name (`tank`).
        public var name: String
        /// ZFS's pool GUID.
        public var guid: String?
        /// ZFS's health (`ONLINE`, `DEGRADED`, ...).
        public var status: PoolStatus
        /// Where it is mounted (`/mnt/tank`).
        public var path: String?
        /// Whether TrueNAS considers it healthy.
        public var healthy: Bool?
        /// Whether it has a warning (a feature upgrade, a nearly full pool).
        public var warning: Bool?
        /// ZFS's status code (`FEAT_DISABLED`, ...), if any.
        public var statusCode: String?
        /// ZFS's status text, if any.
        public var statusDetail: String?
        /// Size in bytes.
        public var size: Int64?
        /// Allocated bytes.
        public var allocated: Int64?
        /// Free bytes.
        public var free: Int64?
        /// Fragmentation in percent, as text.
        public var fragmentation: String?
        /// The last or current scrub or resilver.
        public var scan: Scan?
        /// The vdev tree (`data`, `log`, `cache`, `spare`, `special`, `dedup`).
        public var topology: JSONValue?

        /// The state of the last scrub or resilver (`pool.query`'s `scan`).
        public struct Scan: Codable, Sendable, Hashable {
            /// `SCRUB` or `RESILVER`.
            public var function: String?
            /// `SCANNING`, `FINISHED` or `CANCELED`.
            public var state: String?
            /// Progress in percent.
            public var percentage: Double?
            /// Errors found.
            public var errors: Int?
            /// When it ended (ejson date), if it did.
            public var endTime: JSONValue?
        }
    }

    /// ZFS's health of a pool or vdev.
    public enum PoolStatus: LenientEnum {
        /// Healthy.
        case online
        /// Working with reduced redundancy.
        case degraded
        /// Not working.
        case faulted
        /// Taken offline.
        case offline
        /// Its devices cannot be opened.
        case unavail
        /// Its device was removed.
        case removed
        /// A value this SDK does not know.
        case unknown(String)

        /// Every known status.
        public static let knownCases: [PoolStatus] = [.online, .degraded, .faulted, .offline, .unavail, .removed]

        /// The wire spelling (`ONLINE`, ...).
        public var rawValue: String {
            switch self {
            case .online: return "ONLINE"
            case .degraded: return "DEGRADED"
            case .faulted: return "FAULTED"
            case .offline: return "OFFLINE"
            case .unavail: return "UNAVAIL"
            case .removed: return "REMOVED"
            case .unknown(let value): return value
            }
        }
    }
}
