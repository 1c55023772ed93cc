extension Swarm {
    /// The container each task of a service runs.
    public struct ContainerSpec: Codable, Sendable, Hashable {
        /// The image reference; pin a digest (`name:tag@sha256:...`) for reproducible updates.
        public var image: String?
        /// Container labels.
        public var labels: [String: String]?
        /// Replaces the image's entrypoint.
        public var command: [String]?
        /// Arguments to the command.
        public var args: [String]?
        /// The container's host name (templates such as `{{.Task.Slot}}` allowed).
        public var hostname: String?
        /// Environment variables, `NAME=value`.
        public var env: [String]?
        /// The working directory.
        public var dir: String?
        /// The user, `name`, `uid` or `uid:gid`.
        public var user: String?
        /// Additional groups.
        public var groups: [String]?
        /// Security options (SELinux, seccomp, AppArmor, credential spec).
        public var privileges: ContainerPrivileges?
        /// Allocate a pseudo-TTY (service logs are then not multiplexed).
        public var tty: Bool?
        /// Keep stdin open.
        public var openStdin: Bool?
        /// Mount the root filesystem read-only.
        public var readOnly: Bool?
        /// Volumes, bind mounts and tmpfs mounts.
        public var mounts: [Mount]?
        /// The signal that stops the container, e.g. `SIGTERM`.
        public var stopSignal: String?
        /// How long to wait after the stop signal before killing.
        public var stopGracePeriod: Nanoseconds?
        /// The health check; with one, a task counts as running only once healthy.
        public var healthCheck: HealthConfig?
        /// Extra `/etc/hosts` lines, `IP host [alias...]`.
        public var hosts: [String]?
        /// Resolver settings.
        public var dnsConfig: DNSConfig?
        /// Cluster secrets mounted into the container.
        public var secrets: [SecretReference]?
        /// The OOM killer score adjustment (API 1.46+).
        public var oomScoreAdj: Int64?
        /// Cluster configs mounted into the container.
        public var configs: [ConfigReference]?
        /// Windows isolation technology (`default`, `process`, `hyperv`).
        public var isolation: String?
        /// Run an init process that forwards signals and reaps zombies.
        public var useInit: Bool?
        /// Namespaced kernel parameters.
        public var sysctls: [String: String]?
        /// Kernel capabilities to add, e.g. `CAP_NET_ADMIN`.
        public var capabilityAdd: [String]?
        /// Kernel capabilities to drop.
        public var capabilityDrop: [String]?
        /// Resource limits (`nofile`, ...).
        public var ulimits: [Ulimit]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            image: String? = nil,
            labels: [String: String]? = nil,
            command: [String]? = nil,
            args: [String]? = nil,
            hostname: String? = nil,
            env: [String]? = nil,
            dir: String? = nil,
            user: String? = nil,
            groups: [String]? = nil,
            privileges: ContainerPrivileges? = nil,
            tty: Bool? = nil,
            openStdin: Bool? = nil,
            readOnly: Bool? = nil,
            mounts: [Mount]? = nil,
            stopSignal: String? = nil,
            stopGracePeriod: Nanoseconds? = nil,
            healthCheck: HealthConfig? = nil,
            hosts: [String]? = nil,
            dnsConfig: DNSConfig? = nil,
            secrets: [SecretReference]? = nil,
            oomScoreAdj: Int64? = nil,
            configs: [ConfigReference]? = nil,
            isolation: String? = nil,
            useInit: Bool? = nil,
            sysctls: [String: String]? = nil,
            capabilityAdd: [String]? = nil,
            capabilityDrop: [String]? = nil,
            ulimits: [Ulimit]? = nil
        ) {
            self.image = image
            self.labels = labels
            self.command = command
            self.args = args
            self.hostname = hostname
            self.env = env
            self.dir = dir
            self.user = user
            self.groups = groups
            self.privileges = privileges
            self.tty = tty
            self.openStdin = openStdin
            self.readOnly = readOnly
            self.mounts = mounts
            self.stopSignal = stopSignal
            self.stopGracePeriod = stopGracePeriod
            self.healthCheck = healthCheck
            self.hosts = hosts
            self.dnsConfig = dnsConfig
            self.secrets = secrets
            self.oomScoreAdj = oomScoreAdj
            self.configs = configs
            self.isolation = isolation
            self.useInit = useInit
            self.sysctls = sysctls
            self.capabilityAdd = capabilityAdd
            self.capabilityDrop = capabilityDrop
            self.ulimits = ulimits
        }

        enum CodingKeys: String, CodingKey {
            case image = "Image"
            case labels = "Labels"
            case command = "Command"
            case args = "Args"
            case hostname = "Hostname"
            case env = "Env"
            case dir = "Dir"
            case user = "User"
            case groups = "Groups"
            case privileges = "Privileges"
            case tty = "TTY"
            case openStdin = "OpenStdin"
            case readOnly = "ReadOnly"
            case mounts = "Mounts"
            case stopSignal = "StopSignal"
            case stopGracePeriod = "StopGracePeriod"
            // The engine sends (and Go's case-insensitive decoder accepts) `Healthcheck`; the swagger says
            // `HealthCheck`. Encode the engine's spelling, accept both.
            case healthCheck = "Healthcheck"
            case hosts = "Hosts"
            case dnsConfig = "DNSConfig"
            case secrets = "Secrets"
            case oomScoreAdj = "OomScoreAdj"
            case configs = "Configs"
            case isolation = "Isolation"
            case useInit = "Init"
            case sysctls = "Sysctls"
            case capabilityAdd = "CapabilityAdd"
            case capabilityDrop = "CapabilityDrop"
            case ulimits = "Ulimits"
        }

        private enum SwaggerKeys: String, CodingKey {
            case healthCheck = "HealthCheck"
        }

        /// Decodes the wire shape; the health check is read from `Healthcheck` (what the engine sends) or
        /// `HealthCheck` (what the swagger documents).
        /// - Throws: `DecodingError` when a present field has the wrong type.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            image = try c.decodeIfPresent(String.self, forKey: .image)
            labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
            command = try c.decodeIfPresent([String].self, forKey: .command)
            args = try c.decodeIfPresent([String].self, forKey: .args)
            hostname = try c.decodeIfPresent(String.self, forKey: .hostname)
            env = try c.decodeIfPresent([String].self, forKey: .env)
            dir = try c.decodeIfPresent(String.self, forKey: .dir)
            user = try c.decodeIfPresent(String.self, forKey: .user)
            groups = try c.decodeIfPresent([String].self, forKey: .groups)
            privileges = try c.decodeIfPresent(ContainerPrivileges.self, forKey: .privileges)
            tty = try c.decodeIfPresent(Bool.self, forKey: .tty)
            openStdin = try c.decodeIfPresent(Bool.self, forKey: .openStdin)
            readOnly = try c.decodeIfPresent(Bool.self, forKey: .readOnly)
            mounts = try c.decodeIfPresent([Mount].self, forKey: .mounts)
            stopSignal = try c.decodeIfPresent(String.self, forKey: .stopSignal)
            stopGracePeriod = try c.decodeIfPresent(Nanoseconds.self, forKey: .stopGracePeriod)
            healthCheck =
                try c.decodeIfPresent(HealthConfig.self, forKey: .healthCheck)
                ?? decoder.container(keyedBy: SwaggerKeys.self).decodeIfPresent(HealthConfig.self, forKey: .healthCheck)
            hosts = try c.decodeIfPresent([String].self, forKey: .hosts)
            dnsConfig = try c.decodeIfPresent(DNSConfig.self, forKey: .dnsConfig)
            secrets = try c.decodeIfPresent([SecretReference].self, forKey: .secrets)
            oomScoreAdj = try c.decodeIfPresent(Int64.self, forKey: .oomScoreAdj)
            configs = try c.decodeIfPresent([ConfigReference].self, forKey: .configs)
            isolation = try c.decodeIfPresent(String.self, forKey: .isolation)
            useInit = try c.decodeIfPresent(Bool.self, forKey: .useInit)
            sysctls = try c.decodeIfPresent([String: String].self, forKey: .sysctls)
            capabilityAdd = try c.decodeIfPresent([String].self, forKey: .capabilityAdd)
            capabilityDrop = try c.decodeIfPresent([String].self, forKey: .capabilityDrop)
            ulimits = try c.decodeIfPresent([Ulimit].self, forKey: .ulimits)
        }
    }
}

extension Swarm {
    /// Resolver settings for a container.
    public struct DNSConfig: Codable, Sendable, Hashable {
        /// Name server IP addresses.
        public var nameservers: [String]?
        /// Search domains.
        public var search: [String]?
        /// resolv.conf options, e.g. `ndots:2`.
        public var options: [String]?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(nameservers: [String]? = nil, search: [String]? = nil, options: [String]? = nil) {
            self.nameservers = nameservers
            self.search = search
            self.options = options
        }

        enum CodingKeys: String, CodingKey {
            case nameservers = "Nameservers"
            case search = "Search"
            case options = "Options"
        }
    }
}

extension Swarm {
    /// A swarm secret mounted into a container.
    public struct SecretReference: Codable, Sendable, Hashable {
        /// Where and how it appears (under `/run/secrets/` by default).
        public var file: FileTarget?
        /// The secret's ID.
        public var secretID: String?
        /// The secret's name.
        public var secretName: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(file: FileTarget? = nil, secretID: String? = nil, secretName: String? = nil) {
            self.file = file
            self.secretID = secretID
            self.secretName = secretName
        }

        enum CodingKeys: String, CodingKey {
            case file = "File"
            case secretID = "SecretID"
            case secretName = "SecretName"
        }
    }
}

extension Swarm {
    /// A swarm config mounted into a container.
    public struct ConfigReference: Codable, Sendable, Hashable {
        /// Where and how it appears; exclusive with `runtime`.
        public var file: FileTarget?
        /// Used for Windows credential specs instead of a file.
        public var runtime: EmptyObject?
        /// The config's ID.
        public var configID: String?
        /// The config's name.
        public var configName: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            file: FileTarget? = nil,
            runtime: EmptyObject? = nil,
            configID: String? = nil,
            configName: String? = nil
        ) {
            self.file = file
            self.runtime = runtime
            self.configID = configID
            self.configName = configName
        }

        enum CodingKeys: String, CodingKey {
            case file = "File"
            case runtime = "Runtime"
            case configID = "ConfigID"
            case configName = "ConfigName"
        }
    }
}

extension Swarm {
    /// A file a secret or config is mounted as.
    public struct FileTarget: Codable, Sendable, Hashable {
        /// The file name (relative to `/run/secrets/` for secrets) or an absolute path.
        public var name: String?
        /// The owner's user ID, as a string.
        public var uid: String?
        /// The owner's group ID, as a string.
        public var gid: String?
        /// The file mode, e.g. `0o444` (decimal 292 on the wire).
        public var mode: UInt32?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(name: String? = nil, uid: String? = nil, gid: String? = nil, mode: UInt32? = nil) {
            self.name = name
            self.uid = uid
            self.gid = gid
            self.mode = mode
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case uid = "UID"
            case gid = "GID"
            case mode = "Mode"
        }
    }
}

extension Swarm {
    /// A resource limit (`ulimit`) for a container.
    public struct Ulimit: Codable, Sendable, Hashable {
        /// The limit name, e.g. `nofile`.
        public var name: String?
        /// The soft limit.
        public var soft: Int64?
        /// The hard limit.
        public var hard: Int64?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(name: String? = nil, soft: Int64? = nil, hard: Int64? = nil) {
            self.name = name
            self.soft = soft
            self.hard = hard
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case soft = "Soft"
            case hard = "Hard"
        }
    }
}
