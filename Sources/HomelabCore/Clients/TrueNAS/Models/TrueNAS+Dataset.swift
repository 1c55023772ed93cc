extension TrueNAS {
    /// A ZFS dataset or zvol (`pool.dataset.query`); ZFS properties come as ``Property`` objects.
    public struct Dataset: Codable, Sendable, Hashable {
        /// Its full name (`tank/apps/media-core/plex`), also its id.
        public var id: String
        /// `FILESYSTEM` or `VOLUME`.
        public var type: String?
        /// Its full name.
        public var name: String
        /// The pool it is in.
        public var pool: String
        /// Where it is mounted, if it is.
        public var mountpoint: String?
        /// Bytes used (with snapshots and children).
        public var used: Property?
        /// Bytes available.
        public var available: Property?
        /// Its quota (0: none).
        public var quota: Property?
        /// Its refquota (0: none).
        public var refquota: Property?
        /// Compression algorithm.
        public var compression: Property?
        /// Whether it is encrypted.
        public var encrypted: Bool?
    }

    /// One ZFS property as the middleware reports it.
    public struct Property: Codable, Sendable, Hashable {
        /// Human text (`1.2G`).
        public var value: String?
        /// The raw value (`1288490188`).
        public var rawvalue: String?
        /// The value parsed (a number for sizes).
        public var parsed: JSONValue?
        /// Where it comes from (`LOCAL`, `INHERITED`, `DEFAULT`).
        public var source: String?

        /// A property with its raw value.
        public init(value: String? = nil, rawvalue: String? = nil, parsed: JSONValue? = nil, source: String? = nil) {
            self.value = value
            self.rawvalue = rawvalue
            self.parsed = parsed
            self.source = source
        }

        /// The value as a number of bytes (from `parsed`, else `rawvalue`).
        public var bytes: Int64? {
            if let number = TrueNASJSON.number(parsed) { return Int64(number) }
            return rawvalue.flatMap { Int64($0) }
        }
    }

    /// Changes to a dataset (`pool.dataset.create`, `pool.dataset.update`); nil fields are left as they are.
    public struct DatasetChanges: Codable, Sendable, Hashable {
        /// Quota in bytes (0 removes it).
        public var quota: Int64?
        /// Refquota in bytes (0 removes it).
        public var refquota: Int64?
        /// Compression (`LZ4`, `ZSTD`, `OFF`, ...).
        public var compression: String?
        /// A comment.
        public var comments: String?

        /// Changes; nothing by default.
        public init(quota: Int64? = nil, refquota: Int64? = nil, compression: String? = nil, comments: String? = nil) {
            self.quota = quota
            self.refquota = refquota
            self.compression = compression
            self.comments = comments
        }
    }
}
