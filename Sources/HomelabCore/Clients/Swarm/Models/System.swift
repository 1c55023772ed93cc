import Foundation

extension Swarm {
    /// The engine's version, as `GET /version` returns it.
    public struct SystemVersion: Codable, Sendable, Hashable {
        /// The product name.
        public var platform: VersionPlatform?
        /// Versions of the engine's parts (containerd, runc, ...).
        public var components: [VersionComponent]?
        /// The engine version, e.g. `27.1.1`.
        public var version: String?
        /// The highest API version the engine speaks, e.g. `1.47`.
        public var apiVersion: String?
        /// The lowest API version it accepts.
        public var minAPIVersion: String?
        /// The source commit.
        public var gitCommit: String?
        /// The Go version it was built with.
        public var goVersion: String?
        /// The operating system, e.g. `linux`.
        public var os: String?
        /// The architecture, e.g. `amd64`.
        public var arch: String?
        /// The host kernel version.
        public var kernelVersion: String?
        /// Whether experimental features are on.
        public var experimental: Bool?
        /// When the engine was built.
        public var buildTime: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            platform: VersionPlatform? = nil,
            components: [VersionComponent]? = nil,
            version: String? = nil,
            apiVersion: String? = nil,
            minAPIVersion: String? = nil,
            gitCommit: String? = nil,
            goVersion: String? = nil,
            os: String? = nil,
            arch: String? = nil,
            kernelVersion: String? = nil,
            experimental: Bool? = nil,
            buildTime: String? = nil
        ) {
            self.platform = platform
            self.components = components
            self.version = version
            self.apiVersion = apiVersion
            self.minAPIVersion = minAPIVersion
            self.gitCommit = gitCommit
            self.goVersion = goVersion
            self.os = os
            self.arch = arch
            self.kernelVersion = kernelVersion
            self.experimental = experimental
            self.buildTime = buildTime
        }

        enum CodingKeys: String, CodingKey {
            case platform = "Platform"
            case components = "Components"
            case version = "Version"
            case apiVersion = "ApiVersion"
            case minAPIVersion = "MinAPIVersion"
            case gitCommit = "GitCommit"
            case goVersion = "GoVersion"
            case os = "Os"
            case arch = "Arch"
            case kernelVersion = "KernelVersion"
            case experimental = "Experimental"
            case buildTime = "BuildTime"
        }
    }
}

extension Swarm {
    /// The product an engine belongs to.
    public struct VersionPlatform: Codable, Sendable, Hashable {
        /// The product name.
        public var name: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(name: String? = nil) {
            self.name = name
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
        }
    }
}

extension Swarm {
    /// One part of the engine and its version.
    public struct VersionComponent: Codable, Sendable, Hashable {
        /// The component name, e.g. `containerd`.
        public var name: String?
        /// Its version.
        public var version: String?
        /// Component-specific details.
        public var details: [String: JSONValue]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(name: String? = nil, version: String? = nil, details: [String: JSONValue]? = nil) {
            self.name = name
            self.version = version
            self.details = details
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case version = "Version"
            case details = "Details"
        }
    }
}

extension Swarm {
    /// The `Cluster` header of `GET /_ping`: a cheap check that a node is a manager.
    public enum SwarmPingState: LenientEnum {
        /// Not in a swarm.
        case inactive
        /// Joining.
        case pending
        /// In an error state.
        case error
        /// Autolocked.
        case locked
        /// In a swarm, as a worker (swarm API calls fail here).
        case activeWorker
        /// In a swarm, as a manager.
        case activeManager
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [SwarmPingState] = [
            .inactive,
            .pending,
            .error,
            .locked,
            .activeWorker,
            .activeManager,
        ]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .inactive: return "inactive"
            case .pending: return "pending"
            case .error: return "error"
            case .locked: return "locked"
            case .activeWorker: return "active/worker"
            case .activeManager: return "active/manager"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// What `GET /_ping` (or `HEAD /_ping`) tells in its headers: the API version to negotiate and
    /// whether the node is a swarm manager. The body is just `OK`.
    public struct Ping: Sendable, Hashable {
        /// The highest API version the engine speaks (`Api-Version`), e.g. `1.47`.
        public var apiVersion: String?
        /// The engine's OS (`Ostype`), e.g. `linux`.
        public var osType: String?
        /// Whether experimental features are on (`Docker-Experimental`).
        public var experimental: Bool?
        /// The default builder (`Builder-Version`), `1` or `2`.
        public var builderVersion: String?
        /// Cluster membership and role (`Cluster`), absent on old engines.
        public var swarm: SwarmPingState?

        /// Creates a value; every field defaults to absent.
        public init(
            apiVersion: String? = nil, osType: String? = nil, experimental: Bool? = nil, builderVersion: String? = nil,
            swarm: SwarmPingState? = nil
        ) {
            self.apiVersion = apiVersion
            self.osType = osType
            self.experimental = experimental
            self.builderVersion = builderVersion
            self.swarm = swarm
        }

        /// Reads the ping headers; missing or empty headers stay `nil`, odd values never fail.
        public init(headers: HTTPHeaders) {
            func value(_ name: String) -> String? {
                guard let text = headers[name].map(trimmedBlanks), !text.isEmpty else { return nil }
                return text
            }
            self.init(
                apiVersion: value("Api-Version"),
                osType: value("Ostype"),
                experimental: value("Docker-Experimental").map { $0.lowercased() == "true" },
                builderVersion: value("Builder-Version"),
                swarm: value("Swarm").map { SwarmPingState(rawValue: $0) })
        }
    }
}
