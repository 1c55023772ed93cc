extension Swarm {
    /// One object of the `GET /events` stream (newline-delimited JSON).
    public struct SystemEvent: Codable, Sendable, Hashable {
        /// The kind of object: `service`, `node`, `container`, ...
        public var type: EventType?
        /// What happened: `create`, `update`, `remove`, or for containers e.g. `exec_start: sh`.
        public var action: String?
        /// The object it happened to.
        public var actor: EventActor?
        /// Whether it is a local or swarm-wide event.
        public var scope: EventScope?
        /// When, in seconds since 1970.
        public var time: Int64?
        /// When, in nanoseconds since 1970.
        public var timeNano: Int64?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            type: EventType? = nil,
            action: String? = nil,
            actor: EventActor? = nil,
            scope: EventScope? = nil,
            time: Int64? = nil,
            timeNano: Int64? = nil
        ) {
            self.type = type
            self.action = action
            self.actor = actor
            self.scope = scope
            self.time = time
            self.timeNano = timeNano
        }

        enum CodingKeys: String, CodingKey {
            case type = "Type"
            case action = "Action"
            case actor = "Actor"
            case scope
            case time
            case timeNano
        }
    }
}

extension Swarm {
    /// The object an event is about.
    public struct EventActor: Codable, Sendable, Hashable {
        /// Its ID.
        public var id: String?
        /// Its attributes: name, labels, and for updates e.g. `updatestate.new`.
        public var attributes: [String: String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(id: String? = nil, attributes: [String: String]? = nil) {
            self.id = id
            self.attributes = attributes
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case attributes = "Attributes"
        }
    }
}

extension Swarm {
    /// The kind of object an event is about.
    public enum EventType: LenientEnum {
        /// The image builder.
        case builder
        /// A swarm config.
        case config
        /// A container.
        case container
        /// The engine.
        case daemon
        /// An image.
        case image
        /// A network.
        case network
        /// A swarm node.
        case node
        /// A plugin.
        case plugin
        /// A swarm secret.
        case secret
        /// A swarm service.
        case service
        /// A volume.
        case volume
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [EventType] = [
            .builder,
            .config,
            .container,
            .daemon,
            .image,
            .network,
            .node,
            .plugin,
            .secret,
            .service,
            .volume,
        ]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .builder: return "builder"
            case .config: return "config"
            case .container: return "container"
            case .daemon: return "daemon"
            case .image: return "image"
            case .network: return "network"
            case .node: return "node"
            case .plugin: return "plugin"
            case .secret: return "secret"
            case .service: return "service"
            case .volume: return "volume"
            case .unknown(let value): return value
            }
        }
    }
}

extension Swarm {
    /// Whether an event is local to the engine or swarm-wide.
    public enum EventScope: LenientEnum {
        /// Local to this engine.
        case local
        /// Cluster-wide (from the managers).
        case swarm
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)

        /// Every case this SDK knows, in the order Docker documents them.
        public static let knownCases: [EventScope] = [.local, .swarm]

        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .local: return "local"
            case .swarm: return "swarm"
            case .unknown(let value): return value
            }
        }
    }
}
