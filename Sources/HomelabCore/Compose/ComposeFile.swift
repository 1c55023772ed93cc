/// A compose stack file as read by ``ComposeLoader``: interpolated, checked, and with every value already in
/// the units Docker uses (durations, bytes, nano-CPUs). Names of networks, volumes, secrets and configs are
/// still the file's own keys; ``ComposeConverter`` scopes them to a stack.
///
/// Only what `docker stack deploy` uses is kept. Keys it ignores (`build`, `container_name`, ...) are
/// listed in ``warnings``.
public struct ComposeFile: Sendable, Hashable {
    /// The file as it was named to the loader.
    public var file: String
    /// The services, in file order.
    public var services: [ComposeService]
    /// Top-level `networks`, by key.
    public var networks: [String: ComposeNetwork]
    /// Top-level `volumes`, by key.
    public var volumes: [String: ComposeVolume]
    /// Top-level `secrets`, by key.
    public var secrets: [String: ComposeFileObject]
    /// Top-level `configs`, by key.
    public var configs: [String: ComposeFileObject]
    /// Start-order edges from `depends_on` and the `homelab.depends-on` label, checked to name services of
    /// this file and to form no cycle.
    public var dependencies: [ServiceDependency]
    /// Things that load but deserve a look: ignored keys, variables that were not set.
    public var warnings: [InventoryIssue]

    /// A file value.
    public init(
        file: String,
        services: [ComposeService] = [],
        networks: [String: ComposeNetwork] = [:],
        volumes: [String: ComposeVolume] = [:],
        secrets: [String: ComposeFileObject] = [:],
        configs: [String: ComposeFileObject] = [:],
        dependencies: [ServiceDependency] = [],
        warnings: [InventoryIssue] = []
    ) {
        self.file = file
        self.services = services
        self.networks = networks
        self.volumes = volumes
        self.secrets = secrets
        self.configs = configs
        self.dependencies = dependencies
        self.warnings = warnings
    }

    /// The service with this compose name (`sonarr`, not `media_sonarr`).
    public func service(named name: String) -> ComposeService? {
        services.first { $0.name == name }
    }
}

/// A top-level network.
public struct ComposeNetwork: Sendable, Hashable {
    /// The Docker name (`name:`, or the key of an external network); `nil` means `<stack>_<key>`.
    public var name: String?
    /// Created outside the stack; used by name.
    public var external: Bool
    /// The driver, `overlay` when absent.
    public var driver: String?
    /// Driver options.
    public var driverOptions: [String: String]?
    /// Network labels.
    public var labels: [String: String]?
    /// Standalone containers may attach.
    public var attachable: Bool?
    /// No outside connectivity.
    public var `internal`: Bool?

    /// A network value.
    public init(
        name: String? = nil, external: Bool = false, driver: String? = nil, driverOptions: [String: String]? = nil,
        labels: [String: String]? = nil, attachable: Bool? = nil, internal: Bool? = nil
    ) {
        self.name = name
        self.external = external
        self.driver = driver
        self.driverOptions = driverOptions
        self.labels = labels
        self.attachable = attachable
        self.internal = `internal`
    }
}

/// A top-level volume.
public struct ComposeVolume: Sendable, Hashable {
    /// The Docker name (`name:`, or the key of an external volume); `nil` means `<stack>_<key>`.
    public var name: String?
    /// Created outside the stack; mounted without stack labels or driver options.
    public var external: Bool
    /// The volume driver.
    public var driver: String?
    /// Driver options.
    public var driverOptions: [String: String]?
    /// Volume labels.
    public var labels: [String: String]?

    /// A volume value.
    public init(
        name: String? = nil, external: Bool = false, driver: String? = nil, driverOptions: [String: String]? = nil,
        labels: [String: String]? = nil
    ) {
        self.name = name
        self.external = external
        self.driver = driver
        self.driverOptions = driverOptions
        self.labels = labels
    }
}

/// A top-level secret or config.
public struct ComposeFileObject: Sendable, Hashable {
    /// The Docker name (`name:`, or the key of an external object); `nil` means `<stack>_<key>`.
    public var name: String?
    /// Created outside the stack.
    public var external: Bool
    /// The file its content comes from (not read by the loader).
    public var file: String?
    /// Labels.
    public var labels: [String: String]?

    /// An object value.
    public init(name: String? = nil, external: Bool = false, file: String? = nil, labels: [String: String]? = nil) {
        self.name = name
        self.external = external
        self.file = file
        self.labels = labels
    }
}

/// A start-order edge between two services of one compose file.
public struct ServiceDependency: Sendable, Hashable, CustomStringConvertible {
    /// Where an edge was declared.
    public enum Origin: Sendable, Hashable {
        /// The compose `depends_on` key.
        case dependsOn
        /// The `homelab.depends-on` label (comma-separated service names), read from `deploy.labels` and from
        /// the container `labels`.
        case label
    }

    /// What the dependent service waits for (compose `depends_on` long syntax).
    public enum Condition: String, Sendable, Hashable, CaseIterable {
        /// The dependency has started (the default).
        case started = "service_started"
        /// The dependency reports healthy.
        case healthy = "service_healthy"
        /// The dependency (a job) exited successfully.
        case completedSuccessfully = "service_completed_successfully"
    }

    /// The compose name of the service that waits.
    public var service: String
    /// The compose name of the service it waits for.
    public var dependsOn: String
    /// What it waits for.
    public var condition: Condition
    /// Where the edge came from.
    public var origin: Origin

    /// An edge value.
    public init(service: String, dependsOn: String, condition: Condition = .started, origin: Origin = .dependsOn) {
        self.service = service
        self.dependsOn = dependsOn
        self.condition = condition
        self.origin = origin
    }

    /// `sonarr -> prowlarr (service_healthy)`.
    public var description: String { "\(service) -> \(dependsOn) (\(condition.rawValue))" }
}
