extension Proxmox {
    /// `GET /version`: the release a server runs (features are gated on it; there is no API version negotiation).
    public struct Version: Codable, Sendable, Hashable {
        /// The full version (`9.1.2`).
        public var version: String
        /// The major.minor release (`9.1`).
        public var release: String
        /// The git commit of the build.
        public var repoid: String?

        /// A version value.
        public init(version: String, release: String, repoid: String? = nil) {
            self.version = version
            self.release = release
            self.repoid = repoid
        }

        private enum CodingKeys: String, CodingKey { case version, release, repoid }

        /// Reads the answer; a missing release is derived from the version.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            version = c.proxmoxString(.version) ?? "unknown"
            release = c.proxmoxString(.release) ?? version.split(separator: ".").prefix(2).joined(separator: ".")
            repoid = c.proxmoxString(.repoid)
        }

        /// The major and minor numbers of ``release`` (`(9, 1)`), for feature gates; `nil` when not numeric.
        public var majorMinor: (Int, Int)? {
            let parts = release.split(separator: ".").compactMap { Int($0) }
            guard parts.count >= 2 else { return nil }
            return (parts[0], parts[1])
        }
    }
}
