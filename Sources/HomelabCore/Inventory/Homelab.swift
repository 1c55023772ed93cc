/// The whole homelab as the inventory (`homelab.yaml`) describes it: nodes, tiers, stacks and services,
/// and the endpoints of the components the SDK talks to.
///
/// Build one with ``InventoryLoader``, which checks every cross-reference; a value built by hand is not
/// checked. Nested types (`Homelab.Node`, `Homelab.Service`) keep the names free for the Swarm API models.
public struct Homelab: Sendable, Hashable {
    /// The homelab's name (for displays and metrics labels).
    public var name: String
    /// The Docker Swarm nodes, in inventory order.
    public var nodes: [Node]
    /// Tier names from the bottom up: each tier needs the ones before it to be up.
    public var tiers: [String]
    /// The stacks, in inventory order.
    public var stacks: [Stack]
    /// How to reach each component's API, by component.
    public var components: [ComponentKind: ComponentEndpoint]
    /// Tiers whose routed services must sit behind Authentik's forward auth unless a service says
    /// `protected: false` (`protected_tiers:` in the inventory); see ``isProtected(_:)``.
    public var protectedTiers: [String] = []
    /// Label prefixes (`homepage`, `kuma`) that every routed service (one with a `caddy` label) must carry in its
    /// stack file's `deploy.labels` (`required_labels:` in the inventory); `homelab lint` checks them.
    public var requiredLabels: [String] = []
    /// The 1Password reference of each Swarm secret the services use, by secret name (`secrets:` in the inventory);
    /// `homelab check` (rule `secrets`) checks that each exists in Swarm and in 1Password.
    public var secrets: [String: CredentialReference] = [:]
    /// How the bare-metal nodes network-boot (the `pxe:` block), if the inventory says.
    public var pxe: PXESettings?
    /// The setup steps every new node runs (the `provision:` block), if the inventory says; see
    /// ``provisionSteps(for:)``.
    public var provision: ProvisionSettings?

    /// A homelab value; no cross-reference checks are made (``InventoryLoader`` does those).
    public init(
        name: String, nodes: [Node], tiers: [String], stacks: [Stack],
        components: [ComponentKind: ComponentEndpoint] = [:], pxe: PXESettings? = nil
    ) {
        self.pxe = pxe
        self.name = name
        self.nodes = nodes
        self.tiers = tiers
        self.stacks = stacks
        self.components = components
    }

    /// Every service of every stack, in inventory order.
    public var services: [Service] { stacks.flatMap(\.services) }

    /// The node called `name`, if any.
    public func node(named name: String) -> Node? { nodes.first { $0.name == name } }

    /// The service called `name` (service names are unique across stacks), if any.
    public func service(named name: String) -> Service? { services.first { $0.name == name } }

    /// The stack called `name`, if any.
    public func stack(named name: String) -> Stack? { stacks.first { $0.name == name } }

    /// The position of `tier` in ``tiers`` (0 is the bottom tier), if it is one.
    public func tierIndex(of tier: String) -> Int? { tiers.firstIndex(of: tier) }

    /// The stacks of `tier`, in inventory order.
    public func stacks(inTier tier: String) -> [Stack] { stacks.filter { $0.tier == tier } }

    /// The manager marked as the swarm leader, if one is.
    public var leader: Node? { nodes.first { $0.isLeader } }

    /// The manager nodes, in inventory order.
    public var managers: [Node] { nodes.filter { $0.role == .manager } }

    /// Whether `service`'s routes must sit behind forward auth: its own `protected:`, else whether its tier is
    /// one of ``protectedTiers``.
    public func isProtected(_ service: Service) -> Bool {
        service.protected ?? protectedTiers.contains(service.tier)
    }
}

extension Homelab {
    /// One Docker Swarm node.
    public struct Node: Sendable, Hashable {
        /// The swarm hostname (`barbary`).
        public var name: String
        /// Manager or worker.
        public var role: Role
        /// What the node runs on.
        public var platform: Platform
        /// Host name or IP address the SDK reaches it at.
        public var address: String
        /// How to log in over SSH.
        public var ssh: SSHLogin
        /// Swarm node labels (placement constraints match on them).
        public var labels: [String: String]
        /// Whether this manager is the swarm leader the homelab is built around.
        public var isLeader: Bool
        /// For a `proxmox-vm` node: the Proxmox node, VM ID and template it is provisioned from.
        public var proxmox: ProxmoxPlacement?
        /// For a `bare-metal` node: the MAC of the interface it network-boots from, in matchbox's form
        /// (`52:54:00:12:34:56`).
        public var mac: String?
        /// The node's own `provision:` block (expected host key, extra steps, shared steps it skips), if any.
        public var provision: NodeProvisionSettings?

        /// A node value.
        public init(
            name: String, role: Role, platform: Platform, address: String, ssh: SSHLogin = SSHLogin(),
            labels: [String: String] = [:], isLeader: Bool = false, proxmox: ProxmoxPlacement? = nil, mac: String? = nil
        ) {
            self.mac = mac
            self.proxmox = proxmox
            self.name = name
            self.role = role
            self.platform = platform
            self.address = address
            self.ssh = ssh
            self.labels = labels
            self.isLeader = isLeader
        }

        /// A swarm node's role.
        public enum Role: String, Sendable, Hashable, CaseIterable {
            /// Takes part in the Raft quorum and schedules tasks.
            case manager
            /// Only runs tasks.
            case worker
        }

        /// What a node runs on (it decides how it is provisioned and upgraded).
        public enum Platform: String, Sendable, Hashable, CaseIterable {
            /// TrueNAS SCALE (ZFS storage, apps).
            case truenas
            /// A virtual machine on Proxmox VE.
            case proxmoxVM = "proxmox-vm"
            /// A physical machine (PXE-booted).
            case bareMetal = "bare-metal"
        }

        /// SSH login details (the key comes from the agent or `identityFile`).
        public struct SSHLogin: Sendable, Hashable {
            /// The login user.
            public var user: String
            /// The TCP port.
            public var port: Int
            /// A private key file, when not using the agent.
            public var identityFile: String?

            /// SSH login details; `root` on port 22 by default.
            public init(user: String = "root", port: Int = 22, identityFile: String? = nil) {
                self.user = user
                self.port = port
                self.identityFile = identityFile
            }
        }
    }

    /// A stack: services deployed together (one compose file, one Komodo stack).
    public struct Stack: Sendable, Hashable {
        /// The stack name (`media-core`).
        public var name: String
        /// The tier its services belong to unless a service says otherwise.
        public var tier: String
        /// Its services, in inventory order.
        public var services: [Service]

        /// A stack value.
        public init(name: String, tier: String, services: [Service]) {
            self.name = name
            self.tier = tier
            self.services = services
        }
    }

    /// A service of a stack.
    public struct Service: Sendable, Hashable {
        /// The service name, unique across the homelab (`sonarr`).
        public var name: String
        /// The stack it belongs to.
        public var stack: String
        /// Its tier (the stack's, unless overridden).
        public var tier: String
        /// The image reference, when the inventory names one.
        public var image: String?
        /// Replicated with a count, or global.
        public var mode: Mode
        /// Services that must be up before this one starts or updates.
        public var dependsOn: [String]
        /// Whether it keeps local state (SQLite, TSDB, an iGPU) and so must stay on one node.
        public var isStateful: Bool
        /// The node it is constrained to, if any.
        public var pinnedNode: String?
        /// An http(s) URL answering 2xx when the service is healthy, as reachable from the swarm's
        /// overlay network (where Uptime Kuma probes).
        public var healthURL: String?
        /// Swarm service labels (`deploy.labels`): caddy-docker-proxy's `caddy*` labels, `homelab.public`, ...
        public var labels: [String: String]
        /// Whether its routes must sit behind forward auth; `nil`: its tier's default (see
        /// ``Homelab/isProtected(_:)``).
        public var protected: Bool?

        /// A service value.
        public init(
            name: String, stack: String, tier: String, image: String? = nil, mode: Mode = .replicated(1),
            dependsOn: [String] = [], isStateful: Bool = false, pinnedNode: String? = nil, healthURL: String? = nil,
            labels: [String: String] = [:], protected: Bool? = nil
        ) {
            self.labels = labels
            self.protected = protected
            self.name = name
            self.stack = stack
            self.tier = tier
            self.image = image
            self.mode = mode
            self.dependsOn = dependsOn
            self.isStateful = isStateful
            self.pinnedNode = pinnedNode
            self.healthURL = healthURL
        }

        /// How many tasks the service runs.
        public enum Mode: Sendable, Hashable {
            /// A fixed number of tasks.
            case replicated(Int)
            /// One task on every eligible node.
            case global
        }
    }
}

extension Homelab.Service {
    /// The swarm service name, as `docker stack deploy` names it: `<stack>_<service>`.
    public var swarmName: String { "\(stack)_\(name)" }
}
