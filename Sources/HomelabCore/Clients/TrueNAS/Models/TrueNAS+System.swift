extension TrueNAS {
    /// The system (`system.info`).
    public struct SystemInfo: Codable, Sendable, Hashable {
        /// `TrueNAS-SCALE-25.10.1` style version.
        public var version: String
        /// Host name.
        public var hostname: String?
        /// Physical memory in bytes.
        public var physmem: Int64?
        /// CPU model.
        public var model: String?
        /// Logical cores.
        public var cores: Int?
        /// Seconds since boot.
        public var uptimeSeconds: Double?
        /// Time zone.
        public var timezone: String?
        /// Whether the memory is ECC.
        public var eccMemory: Bool?
    }

    /// A disk (`disk.query`).
    public struct Disk: Codable, Sendable, Hashable {
        /// Stable identifier (`{serial_lunid}...`).
        public var identifier: String
        /// Device name (`sda`).
        public var name: String
        /// Serial number.
        public var serial: String?
        /// Size in bytes.
        public var size: Int64?
        /// Model.
        public var model: String?
        /// `HDD` or `SSD`.
        public var type: String?
        /// The pool it belongs to, if any.
        public var pool: String?
    }

    /// SMART self-test results of one disk (`smart.test.results`).
    public struct SMARTResults: Codable, Sendable, Hashable {
        /// Device name.
        public var disk: String
        /// The tests, newest first.
        public var tests: [SMARTTest]?
    }

    /// One SMART self-test.
    public struct SMARTTest: Codable, Sendable, Hashable {
        /// Its number in the log.
        public var num: Int?
        /// `Short offline`, `Extended offline`, ...
        public var description: String?
        /// `SUCCESS`, `FAILED`, `RUNNING`, ...
        public var status: String?
        /// The drive's words.
        public var statusVerbose: String?
        /// Power-on hours when it ran.
        public var lifetime: Int?
    }
}
