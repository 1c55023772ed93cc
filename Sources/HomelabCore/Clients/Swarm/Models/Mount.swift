extension Swarm {
    /// A mount in a service's container: a volume, bind mount, tmpfs, image or cluster volume.
    public struct Mount: Codable, Sendable, Hashable {
        /// The path inside the container.
        public var target: String?
        /// The volume name or host path (empty for tmpfs).
        public var source: String?
        /// The kind of mount.
        public var type: MountType?
        /// Mount read-only.
        public var readOnly: Bool?
        /// `default`, `consistent`, `cached` or `delegated` (macOS only).
        public var consistency: String?
        /// Options for `bind` mounts.
        public var bindOptions: BindOptions?
        /// Options for `volume` mounts.
        public var volumeOptions: VolumeOptions?
        /// Options for `image` mounts (API 1.48+).
        public var imageOptions: ImageOptions?
        /// Options for `tmpfs` mounts.
        public var tmpfsOptions: TmpfsOptions?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            target: String? = nil,
            source: String? = nil,
            type: MountType? = nil,
            readOnly: Bool? = nil,
            consistency: String? = nil,
            bindOptions: BindOptions? = nil,
            volumeOptions: VolumeOptions? = nil,
            imageOptions: ImageOptions? = nil,
            tmpfsOptions: TmpfsOptions? = nil
        ) {
            self.target = target
            self.source = source
            self.type = type
            self.readOnly = readOnly
            self.consistency = consistency
            self.bindOptions = bindOptions
            self.volumeOptions = volumeOptions
            self.imageOptions = imageOptions
            self.tmpfsOptions = tmpfsOptions
        }

        enum CodingKeys: String, CodingKey {
            case target = "Target"
            case source = "Source"
            case type = "Type"
            case readOnly = "ReadOnly"
            case consistency = "Consistency"
            case bindOptions = "BindOptions"
            case volumeOptions = "VolumeOptions"
            case imageOptions = "ImageOptions"
            case tmpfsOptions = "TmpfsOptions"
        }
    }
}

extension Swarm {
    /// The kind of a mount.
    public enum MountType: LenientEnum {
        /// A host path.
        case bind
        /// A named volume, created if missing.
        case volume
        /// A memory-backed filesystem.
        case tmpfs
        /// A Windows named pipe.
        case npipe
        /// A CSI cluster volume.
        case cluster
        /// A read-only image's filesystem.
        case image
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [MountType] = [.bind, .volume, .tmpfs, .npipe, .cluster, .image]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .bind: return "bind"
            case .volume: return "volume"
            case .tmpfs: return "tmpfs"
            case .npipe: return "npipe"
            case .cluster: return "cluster"
            case .image: return "image"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// Options for a bind mount.
    public struct BindOptions: Codable, Sendable, Hashable {
        /// Mount propagation mode.
        public var propagation: BindPropagation?
        /// Do not bind submounts.
        public var nonRecursive: Bool?
        /// Create the host path when missing.
        public var createMountpoint: Bool?
        /// Make only the top mount read-only.
        public var readOnlyNonRecursive: Bool?
        /// Fail unless submounts can be made read-only too.
        public var readOnlyForceRecursive: Bool?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            propagation: BindPropagation? = nil,
            nonRecursive: Bool? = nil,
            createMountpoint: Bool? = nil,
            readOnlyNonRecursive: Bool? = nil,
            readOnlyForceRecursive: Bool? = nil
        ) {
            self.propagation = propagation
            self.nonRecursive = nonRecursive
            self.createMountpoint = createMountpoint
            self.readOnlyNonRecursive = readOnlyNonRecursive
            self.readOnlyForceRecursive = readOnlyForceRecursive
        }

        enum CodingKeys: String, CodingKey {
            case propagation = "Propagation"
            case nonRecursive = "NonRecursive"
            case createMountpoint = "CreateMountpoint"
            case readOnlyNonRecursive = "ReadOnlyNonRecursive"
            case readOnlyForceRecursive = "ReadOnlyForceRecursive"
        }
    }
}

extension Swarm {
    /// Mount propagation of a bind mount.
    public enum BindPropagation: LenientEnum {
        /// No propagation.
        case `private`
        /// No propagation, recursively (the default).
        case rprivate
        /// Propagate both ways.
        case shared
        /// Propagate both ways, recursively.
        case rshared
        /// Propagate from host to container.
        case slave
        /// Propagate from host to container, recursively.
        case rslave
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [BindPropagation] = [.private, .rprivate, .shared, .rshared, .slave, .rslave]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .private: return "private"
            case .rprivate: return "rprivate"
            case .shared: return "shared"
            case .rshared: return "rshared"
            case .slave: return "slave"
            case .rslave: return "rslave"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// Options for a volume mount.
    public struct VolumeOptions: Codable, Sendable, Hashable {
        /// Do not copy the image's content into a new volume.
        public var noCopy: Bool?
        /// Labels for a volume created by this mount.
        public var labels: [String: String]?
        /// The volume driver and its options.
        public var driverConfig: DriverConfig?
        /// Mount only this path inside the volume (API 1.45+).
        public var subpath: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            noCopy: Bool? = nil,
            labels: [String: String]? = nil,
            driverConfig: DriverConfig? = nil,
            subpath: String? = nil
        ) {
            self.noCopy = noCopy
            self.labels = labels
            self.driverConfig = driverConfig
            self.subpath = subpath
        }

        enum CodingKeys: String, CodingKey {
            case noCopy = "NoCopy"
            case labels = "Labels"
            case driverConfig = "DriverConfig"
            case subpath = "Subpath"
        }
    }
}

extension Swarm {
    /// Options for an image mount.
    public struct ImageOptions: Codable, Sendable, Hashable {
        /// Mount only this path inside the image.
        public var subpath: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(subpath: String? = nil) {
            self.subpath = subpath
        }

        enum CodingKeys: String, CodingKey {
            case subpath = "Subpath"
        }
    }
}

extension Swarm {
    /// Options for a tmpfs mount.
    public struct TmpfsOptions: Codable, Sendable, Hashable {
        /// The size limit in bytes; unlimited when absent.
        public var sizeBytes: Int64?
        /// The permission bits, e.g. `0o1777` (decimal on the wire).
        public var mode: Int?
        /// Extra mount options as `[name]` or `[name, value]` pairs (API 1.46+).
        public var options: [[String]]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(sizeBytes: Int64? = nil, mode: Int? = nil, options: [[String]]? = nil) {
            self.sizeBytes = sizeBytes
            self.mode = mode
            self.options = options
        }

        enum CodingKeys: String, CodingKey {
            case sizeBytes = "SizeBytes"
            case mode = "Mode"
            case options = "Options"
        }
    }
}
