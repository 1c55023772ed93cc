/// What differs between the stack files in git (at the ref Komodo deploys) and the live swarm, service by service
/// and field by field, plus the changes Komodo's own resource sync has pending. ``DriftDetector`` makes one;
/// ``StackDrift/compare(_:live:networkNames:)`` is its pure core.
///
/// A service is in sync when its converted spec equals the live one after ``ServiceSpecDiff``'s normalisation (what
/// Docker fills in is not drift); drifted when a field differs; missing when git has it and the swarm does not;
/// extra when the swarm runs it in the stack (its `com.docker.stack.namespace` label) and git no longer has it.
public struct StackDrift: Sendable, Hashable {
    /// Where one stack's file was read, and what Komodo says it deployed.
    public struct Stack: Sendable, Hashable {
        /// The stack (`media-core`).
        public var name: String
        /// The repository holding its file (`homelab/stacks`).
        public var repository: String
        /// The ref read: the branch Komodo deploys (`nil`: the repository's default branch).
        public var ref: String?
        /// The compose file in the repository (`stacks/media-core/compose.yaml`).
        public var file: String
        /// The last commit that changed the file on ``ref``, as Forgejo says it.
        public var commit: String?
        /// The commit Komodo last deployed for the stack (short), when Komodo knows the stack.
        public var deployedCommit: String?
        /// How many services the file defines.
        public var services: Int

        /// A value.
        public init(
            name: String, repository: String, ref: String?, file: String, commit: String? = nil, deployedCommit: String? = nil,
            services: Int
        ) {
            self.name = name
            self.repository = repository
            self.ref = ref
            self.file = file
            self.commit = commit
            self.deployedCommit = deployedCommit
            self.services = services
        }
    }

    /// How a service is out of sync.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Both sides have it and a field differs.
        case drifted
        /// Git has it; the swarm does not.
        case missing
        /// The swarm runs it in the stack; git does not have it.
        case extra
    }

    /// One service out of sync.
    public struct Service: Sendable, Hashable {
        /// The Swarm name (`media-core_plex`).
        public var name: String
        /// Its stack.
        public var stack: String
        public var kind: Kind
        /// For a drifted service: each field, live → git (secret-like values redacted).
        public var fields: [FieldChange]

        /// A value.
        public init(name: String, stack: String, kind: Kind, fields: [FieldChange] = []) {
            self.name = name
            self.stack = stack
            self.kind = kind
            self.fields = fields
        }
    }

    /// One change Komodo's resource sync would make if it ran now.
    public struct PendingChange: Sendable, Hashable {
        /// The resource sync.
        public var sync: String
        /// `create`, `update` or `delete`.
        public var action: String
        /// The resource type (`Stack`, `Procedure`, ...).
        public var kind: String
        /// The resource's name.
        public var name: String
        /// The resource file (TOML) now, for an update or delete.
        public var current: String?
        /// The resource file the sync would apply, for a create or update.
        public var proposed: String?

        /// A value.
        public init(sync: String, action: String, kind: String, name: String, current: String? = nil, proposed: String? = nil) {
            self.sync = sync
            self.action = action
            self.kind = kind
            self.name = name
            self.current = current
            self.proposed = proposed
        }
    }

    /// The stacks compared, in the order asked.
    public var stacks: [Stack]
    /// The services out of sync, by stack then file order (extra services last in their stack, by name).
    public var services: [Service]
    /// The Swarm names of the services as git says.
    public var inSync: [String]
    /// Komodo's pending sync changes (empty without Komodo).
    public var pending: [PendingChange]

    /// A value.
    public init(stacks: [Stack] = [], services: [Service] = [], inSync: [String] = [], pending: [PendingChange] = []) {
        self.stacks = stacks
        self.services = services
        self.inSync = inSync
        self.pending = pending
    }

    /// Whether anything differs: a service out of sync or a pending sync change.
    public var isDrifted: Bool { !services.isEmpty || !pending.isEmpty }

    /// Compares one converted stack with the live services: drifted, missing and extra services, and the names of
    /// those in sync.
    /// - Parameters:
    ///   - live: every live service's spec, by Swarm name (``StackLiveState/liveSpecs()``).
    ///   - networkNames: network ID → name, so that live attachments (by ID) compare with the file's names.
    public static func compare(
        _ stack: ComposeStack, live: [String: Swarm.ServiceSpec], networkNames: [String: String]
    ) -> (services: [Service], inSync: [String]) {
        var services: [Service] = []
        var inSync: [String] = []
        var names: Set<String> = []
        for service in stack.serviceOrder {
            guard let desired = stack.services[service] else { continue }
            let name = stack.swarmName(of: service)
            names.insert(name)
            guard let current = live[name] else {
                services.append(Service(name: name, stack: stack.name, kind: .missing))
                continue
            }
            let fields = ServiceSpecDiff.between(live: current, desired: desired, networkNames: networkNames)
            if fields.isEmpty {
                inSync.append(name)
            } else {
                services.append(Service(name: name, stack: stack.name, kind: .drifted, fields: fields))
            }
        }
        let extra = live.filter { name, spec in
            spec.labels?[ComposeConverter.namespaceLabel] == stack.name && !names.contains(name)
        }
        for name in extra.keys.sorted() { services.append(Service(name: name, stack: stack.name, kind: .extra)) }
        return (services, inSync)
    }
}
