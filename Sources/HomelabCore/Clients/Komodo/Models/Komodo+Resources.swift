import Foundation

extension Komodo {
    /// `ListServers`' item info (`ServerListItemInfo`).
    public struct ServerInfo: Codable, Sendable, Hashable {
        /// `Ok`, `NotOk` (unreachable) or `Disabled`.
        public var state: ServerState
        /// Why it cannot be reached, when it cannot.
        public var err: ServerError?
        /// The region it is configured in.
        public var region: String?
        /// Periphery's address (empty for outbound Periphery).
        public var address: String?
        /// The address users reach it at.
        public var externalAddress: String?
        /// Periphery's version.
        public var version: String?
    }

    /// A server as `ListServers` lists it.
    public typealias ServerListItem = ListItem<ServerInfo>

    /// One service of a stack in `ListStacks` (`StackServiceWithUpdate`).
    public struct StackServiceSummary: Codable, Sendable, Hashable {
        /// The compose service's name.
        public var service: String
        /// Its current image.
        public var image: String?
        /// The newest image at the same tag, when different.
        public var latestImage: String?
        /// Whether a newer image exists.
        public var updateAvailable: Bool?
    }

    /// `ListStacks`' item info (`StackListItemInfo`).
    public struct StackInfo: Codable, Sendable, Hashable {
        /// The stack's state.
        public var state: StackState
        /// Docker's status text.
        public var status: String?
        /// The server it runs on (Server mode), by ID.
        public var serverId: String?
        /// That server's name.
        public var serverName: String?
        /// The swarm it runs on (Swarm mode), by ID.
        public var swarmId: String?
        /// That swarm's name.
        public var swarmName: String?
        /// The git repository (`homelab/stacks`).
        public var repo: String?
        /// The branch.
        public var branch: String?
        /// The git provider's domain.
        public var gitProvider: String?
        /// Whether the compose files are on the host.
        public var filesOnHost: Bool?
        /// Its services, with image update availability.
        public var services: [StackServiceSummary]?
        /// The short commit hash deployed (repo-based stacks).
        public var deployedHash: String?
        /// The newest short commit hash of the branch (repo-based stacks).
        public var latestHash: String?
        /// Whether the compose project is missing on the host.
        public var projectMissing: Bool?
        /// Compose files missing in the repository.
        public var missingFiles: [String]?

        /// The host it runs on: the swarm's name in Swarm mode, else the server's.
        public var host: String? {
            if let swarmName, !swarmName.isEmpty { return swarmName }
            return serverName
        }
    }

    /// A stack as `ListStacks` lists it.
    public typealias StackListItem = ListItem<StackInfo>

    /// A whole resource (`GetStack`, `GetResourceSync`, ...): `Resource<Config, Info>`, config and info kept as
    /// JSON objects so that no field a newer server adds is lost.
    public struct Resource: Codable, Sendable, Hashable {
        /// Its ID.
        public var id: String?
        /// Its name.
        public var name: String
        /// Its description.
        public var description: String?
        /// Tag IDs.
        public var tags: [String]?
        /// Whether it is a template.
        public var template: Bool?
        /// Its configuration (`StackConfig`, `ServerConfig`, ...), as Komodo sends it.
        public var config: [String: JSONValue]?
        /// What Komodo knows of its state, as Komodo sends it.
        public var info: [String: JSONValue]?

        enum CodingKeys: String, CodingKey {
            case mongoID = "_id"
            case name, description, tags, template, config, info
        }

        /// A resource value.
        public init(
            id: String?, name: String, description: String? = nil, tags: [String]? = nil, config: [String: JSONValue]? = nil,
            info: [String: JSONValue]? = nil
        ) {
            self.id = id
            self.name = name
            self.description = description
            self.tags = tags
            self.config = config
            self.info = info
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(MongoID.self, forKey: .mongoID)?.oid
            name = try container.decode(String.self, forKey: .name)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            tags = try container.decodeIfPresent([String].self, forKey: .tags)
            template = try container.decodeIfPresent(Bool.self, forKey: .template)
            config = try container.decodeIfPresent([String: JSONValue].self, forKey: .config)
            info = try container.decodeIfPresent([String: JSONValue].self, forKey: .info)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(id.map { MongoID(oid: $0) }, forKey: .mongoID)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(description, forKey: .description)
            try container.encodeIfPresent(tags, forKey: .tags)
            try container.encodeIfPresent(template, forKey: .template)
            try container.encodeIfPresent(config, forKey: .config)
            try container.encodeIfPresent(info, forKey: .info)
        }
    }

    /// One service of a stack (`ListStackServices`' `StackService`).
    public struct StackService: Codable, Sendable, Hashable {
        /// The stack's ID.
        public var stackId: String?
        /// The compose service's name.
        public var service: String
        /// Its image.
        public var image: String?
        /// `Healthy`, `Unhealthy`, `Down` (Swarm) or the container's state (`Running`, `Exited`, ...).
        public var state: String?
    }

    /// `ListDeployments`' item info (`DeploymentListItemInfo`).
    public struct DeploymentInfo: Codable, Sendable, Hashable {
        /// The deployment's state.
        public var state: DeploymentState
        /// Docker's status text.
        public var status: String?
        /// Its image.
        public var image: String?
        /// Whether a newer image exists at the same tag.
        public var updateAvailable: Bool?
        /// The server's ID (Server mode).
        public var serverId: String?
        /// The server's name.
        public var serverName: String?
        /// The swarm's ID (Swarm mode).
        public var swarmId: String?
        /// The swarm's name.
        public var swarmName: String?
    }

    /// A deployment as `ListDeployments` lists it.
    public typealias DeploymentListItem = ListItem<DeploymentInfo>

    /// `ListResourceSyncs`' item info (`ResourceSyncListItemInfo`).
    public struct SyncInfo: Codable, Sendable, Hashable {
        /// `Ok`, `Pending` (changes waiting), `Syncing`, `Failed`.
        public var state: SyncState
        /// When it last ran, Unix ms (0: never).
        public var lastSyncTs: Int64?
        /// The short commit hash it last applied.
        public var lastSyncHash: String?
        /// That commit's message.
        public var lastSyncMessage: String?
        /// The repository.
        public var repo: String?
        /// The branch.
        public var branch: String?
        /// The resource files' paths in the repository.
        public var resourcePath: [String]?
        /// Whether the sync also writes UI changes back to the repository.
        public var managed: Bool?

        /// When it last ran.
        public var lastSync: Date? { Komodo.date(lastSyncTs) }
    }

    /// A resource sync as `ListResourceSyncs` lists it.
    public typealias SyncListItem = ListItem<SyncInfo>
}
