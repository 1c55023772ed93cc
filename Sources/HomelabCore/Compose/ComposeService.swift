/// One service of a compose file. Parts that do not depend on the stack name are already Swarm values;
/// references to networks, volumes, secrets and configs keep the file's keys.
public struct ComposeService: Sendable, Hashable {
    /// The compose name (`sonarr`); the Swarm service is `<stack>_<name>`.
    public var name: String
    /// `image`.
    public var image: String?
    /// `entrypoint` (becomes `ContainerSpec.Command`).
    public var entrypoint: [String]?
    /// `command` (becomes `ContainerSpec.Args`).
    public var command: [String]?
    /// `environment`: a `nil` value is a name without `=` (passed through as is).
    public var environment: [String: String?]
    /// Top-level `labels`: container labels.
    public var containerLabels: [String: String]
    /// `deploy`.
    public var deploy: Deploy
    /// `networks`, by key; empty means the stack's `default` network.
    public var networks: [String: NetworkAttachment]
    /// `secrets`.
    public var secrets: [FileReference]
    /// `configs`.
    public var configs: [FileReference]
    /// `healthcheck`.
    public var healthcheck: Swarm.HealthConfig?
    /// `volumes`, in file order.
    public var volumes: [VolumeMount]
    /// `ports`, sorted as Docker sorts them.
    public var ports: [Swarm.EndpointPortConfig]
    /// `hostname`.
    public var hostname: String?
    /// `user`.
    public var user: String?
    /// `working_dir`.
    public var workingDirectory: String?
    /// `stop_grace_period`.
    public var stopGracePeriod: Swarm.Nanoseconds?
    /// `stop_signal`.
    public var stopSignal: String?
    /// `tty`.
    public var tty: Bool?
    /// `stdin_open`.
    public var stdinOpen: Bool?
    /// `read_only`.
    public var readOnly: Bool?
    /// `init`.
    public var initProcess: Bool?
    /// `extra_hosts`, already as `IP host` lines.
    public var extraHosts: [String]?
    /// `dns`.
    public var dns: [String]?
    /// `dns_search`.
    public var dnsSearch: [String]?
    /// `cap_add`, normalised (`CAP_` prefix, upper case, sorted).
    public var capabilityAdd: [String]?
    /// `cap_drop`, normalised.
    public var capabilityDrop: [String]?
    /// `sysctls`.
    public var sysctls: [String: String]?
    /// `ulimits`, sorted by name.
    public var ulimits: [Swarm.Ulimit]?
    /// `logging`.
    public var logging: Swarm.DriverConfig?

    /// A service with only a name; everything else empty.
    public init(name: String) {
        self.name = name
        environment = [:]
        containerLabels = [:]
        deploy = Deploy()
        networks = [:]
        secrets = []
        configs = []
        volumes = []
        ports = []
    }

    /// The `deploy` section, already as Swarm values.
    public struct Deploy: Sendable, Hashable {
        /// `mode` and `replicas` (`replicated` with no count when both are absent).
        public var mode: Swarm.ServiceMode = .replicated(replicas: nil)
        /// `labels`: service labels.
        public var labels: [String: String] = [:]
        /// `update_config`.
        public var updateConfig: Swarm.UpdateConfig?
        /// `rollback_config`.
        public var rollbackConfig: Swarm.UpdateConfig?
        /// `resources`.
        public var resources: Swarm.ResourceRequirements?
        /// `restart_policy`, or the legacy service-level `restart` when it is absent.
        public var restartPolicy: Swarm.RestartPolicy?
        /// `placement`.
        public var placement: Swarm.Placement?
        /// `endpoint_mode`.
        public var endpointMode: Swarm.EndpointMode?

        /// An empty deploy section.
        public init() {}
    }

    /// A service's entry under `networks`.
    public struct NetworkAttachment: Sendable, Hashable {
        /// `aliases`.
        public var aliases: [String]?
        /// `driver_opts`.
        public var driverOptions: [String: String]?

        /// An attachment value.
        public init(aliases: [String]? = nil, driverOptions: [String: String]? = nil) {
            self.aliases = aliases
            self.driverOptions = driverOptions
        }
    }

    /// A service's entry under `secrets` or `configs`.
    public struct FileReference: Sendable, Hashable {
        /// The top-level key it refers to.
        public var source: String
        /// The file name in the container; the source key when absent.
        public var target: String?
        /// Owner user ID; `0` when absent.
        public var uid: String?
        /// Owner group ID; `0` when absent.
        public var gid: String?
        /// File mode; `0o444` when absent.
        public var mode: UInt32?

        /// A reference value.
        public init(source: String, target: String? = nil, uid: String? = nil, gid: String? = nil, mode: UInt32? = nil) {
            self.source = source
            self.target = target
            self.uid = uid
            self.gid = gid
            self.mode = mode
        }
    }

    /// A service's entry under `volumes` (short or long syntax).
    public struct VolumeMount: Sendable, Hashable {
        /// `volume`, `bind`, `tmpfs` or `npipe`.
        public var type: Swarm.MountType
        /// The top-level volume key (volume), the absolute host path (bind), or `nil` (anonymous volume, tmpfs).
        public var source: String?
        /// The path in the container.
        public var target: String
        /// `read_only` or `:ro`.
        public var readOnly: Bool?
        /// `consistency`.
        public var consistency: String?
        /// `bind.propagation` or a propagation mode in the short syntax.
        public var propagation: Swarm.BindPropagation?
        /// `volume.nocopy` or `:nocopy`.
        public var noCopy: Bool?
        /// `volume.subpath`.
        public var subpath: String?
        /// `tmpfs.size` in bytes.
        public var tmpfsSize: Int64?
        /// `tmpfs.mode`, read as octal (`1777`).
        public var tmpfsMode: Int?

        /// A mount value.
        public init(
            type: Swarm.MountType, source: String? = nil, target: String, readOnly: Bool? = nil, consistency: String? = nil,
            propagation: Swarm.BindPropagation? = nil, noCopy: Bool? = nil, subpath: String? = nil,
            tmpfsSize: Int64? = nil, tmpfsMode: Int? = nil
        ) {
            self.type = type
            self.source = source
            self.target = target
            self.readOnly = readOnly
            self.consistency = consistency
            self.propagation = propagation
            self.noCopy = noCopy
            self.subpath = subpath
            self.tmpfsSize = tmpfsSize
            self.tmpfsMode = tmpfsMode
        }
    }
}
