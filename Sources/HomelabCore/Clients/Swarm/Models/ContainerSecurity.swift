extension Swarm {
    /// A container's security options.
    public struct ContainerPrivileges: Codable, Sendable, Hashable {
        /// Windows managed service account (Windows only).
        public var credentialSpec: CredentialSpec?
        /// The SELinux labels.
        public var seLinuxContext: SELinuxContext?
        /// The seccomp profile.
        public var seccomp: SeccompOptions?
        /// The AppArmor mode.
        public var appArmor: AppArmorOptions?
        /// Forbid gaining privileges (setuid binaries).
        public var noNewPrivileges: Bool?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            credentialSpec: CredentialSpec? = nil,
            seLinuxContext: SELinuxContext? = nil,
            seccomp: SeccompOptions? = nil,
            appArmor: AppArmorOptions? = nil,
            noNewPrivileges: Bool? = nil
        ) {
            self.credentialSpec = credentialSpec
            self.seLinuxContext = seLinuxContext
            self.seccomp = seccomp
            self.appArmor = appArmor
            self.noNewPrivileges = noNewPrivileges
        }

        enum CodingKeys: String, CodingKey {
            case credentialSpec = "CredentialSpec"
            case seLinuxContext = "SELinuxContext"
            case seccomp = "Seccomp"
            case appArmor = "AppArmor"
            case noNewPrivileges = "NoNewPrivileges"
        }
    }
}

extension Swarm {
    /// A Windows credential spec source; exactly one field is set.
    public struct CredentialSpec: Codable, Sendable, Hashable {
        /// A swarm config ID holding the spec.
        public var config: String?
        /// A file in the engine's CredentialSpecs folder.
        public var file: String?
        /// A registry value name.
        public var registry: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(config: String? = nil, file: String? = nil, registry: String? = nil) {
            self.config = config
            self.file = file
            self.registry = registry
        }

        enum CodingKeys: String, CodingKey {
            case config = "Config"
            case file = "File"
            case registry = "Registry"
        }
    }
}

extension Swarm {
    /// SELinux labels for a container.
    public struct SELinuxContext: Codable, Sendable, Hashable {
        /// Turn SELinux labelling off.
        public var disable: Bool?
        /// The user label.
        public var user: String?
        /// The role label.
        public var role: String?
        /// The type label.
        public var type: String?
        /// The level label.
        public var level: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            disable: Bool? = nil,
            user: String? = nil,
            role: String? = nil,
            type: String? = nil,
            level: String? = nil
        ) {
            self.disable = disable
            self.user = user
            self.role = role
            self.type = type
            self.level = level
        }

        enum CodingKeys: String, CodingKey {
            case disable = "Disable"
            case user = "User"
            case role = "Role"
            case type = "Type"
            case level = "Level"
        }
    }
}

extension Swarm {
    /// A container's seccomp profile.
    public struct SeccompOptions: Codable, Sendable, Hashable {
        /// `default`, `unconfined` or `custom`.
        public var mode: String?
        /// The JSON profile when `mode` is `custom`.
        public var profile: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(mode: String? = nil, profile: String? = nil) {
            self.mode = mode
            self.profile = profile
        }

        enum CodingKeys: String, CodingKey {
            case mode = "Mode"
            case profile = "Profile"
        }
    }
}

extension Swarm {
    /// A container's AppArmor mode.
    public struct AppArmorOptions: Codable, Sendable, Hashable {
        /// `default` or `disabled`.
        public var mode: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(mode: String? = nil) {
            self.mode = mode
        }

        enum CodingKeys: String, CodingKey {
            case mode = "Mode"
        }
    }
}
