import Logging

/// A snapshot of the homelab: nodes as the swarm sees them, the inventory's services tier by tier with their
/// live replicas and update state, and whether each component's API answers.
///
/// Inventory services are matched to swarm services by docker's stack naming (`<stack>_<service>`).
public struct HomelabOverview: Sendable {
    /// One swarm node, joined with the inventory's facts about it.
    public struct NodeRow: Sendable, Hashable {
        public var name: String
        public var role: String
        public var availability: String
        public var state: String
        public var isLeader: Bool
        /// The inventory's platform (truenas, proxmox-vm, bare-metal), when the node is in the inventory.
        public var platform: String?
    }

    /// How a service is doing.
    public enum Health: String, Sendable, Hashable {
        /// Every desired task runs and no update is in trouble.
        case healthy
        /// Some desired tasks are not running.
        case degraded
        /// No task runs although some are desired.
        case down
        /// A rolling update (or rollback) is in progress.
        case updating
        /// An update paused on a failure, or a rollback happened.
        case attention
        /// The inventory names it but the swarm has no such service.
        case missing
    }

    /// One inventory service with its live state.
    public struct ServiceRow: Sendable, Hashable {
        public var name: String
        public var stack: String
        /// The swarm service name (`<stack>_<service>`).
        public var swarmName: String
        public var running: Int
        public var desired: Int
        public var image: String?
        /// The swarm's update state (`updating`, `completed`, `rollback_completed`, ...), if any.
        public var updateState: String?
        public var pinnedNode: String?
        public var health: Health
    }

    /// One tier, in order, with its services.
    public struct TierRow: Sendable, Hashable {
        public var name: String
        public var services: [ServiceRow]
    }

    /// Whether a component's API answered.
    public struct ComponentRow: Sendable, Hashable {
        public var kind: ComponentKind
        public var endpoint: String
        public var reachable: Bool
        /// The API version or the reason it is unreachable.
        public var detail: String
    }

    public var nodes: [NodeRow]
    public var tiers: [TierRow]
    public var components: [ComponentRow]

    /// Every service row, tier by tier.
    public var services: [ServiceRow] { tiers.flatMap(\.services) }

    /// Collects the overview through the swarm client; component probes run concurrently.
    /// - Throws: ``HomelabError`` when the swarm cannot be listed (the overview is about the swarm first).
    public static func collect(
        homelab: Homelab, swarm: SwarmClient, transport: CurlTransport, logger: Logger? = nil
    ) async throws -> HomelabOverview {
        async let swarmNodes = swarm.nodes.list(logger: logger)
        async let swarmServices = swarm.services.list(status: true, logger: logger)
        async let probes = ComponentProbe.probeAll(homelab: homelab, swarm: swarm, transport: transport, logger: logger)
        let nodes = try await swarmNodes
        let services = try await swarmServices

        let nodeRows = nodes.map { node -> NodeRow in
            let name = node.description?.hostname ?? node.spec?.name ?? node.id ?? "?"
            return NodeRow(
                name: name, role: node.spec?.role.map { "\($0)" } ?? "?",
                availability: node.spec?.availability.map { "\($0)" } ?? "?",
                state: node.status?.state.map { "\($0)" } ?? "?", isLeader: node.managerStatus?.leader ?? false,
                platform: homelab.node(named: name)?.platform.rawValue)
        }.sorted { ($0.role, $0.name) < ($1.role, $1.name) }

        var byName: [String: Swarm.Service] = [:]
        for service in services { if let name = service.spec?.name { byName[name] = service } }
        let tiers = homelab.tiers.map { tier in
            TierRow(
                name: tier,
                services: homelab.stacks(inTier: tier).flatMap(\.services).map { service in
                    row(for: service, live: byName[service.swarmName])
                })
        }
        return HomelabOverview(nodes: nodeRows, tiers: tiers, components: await probes)
    }

    static func row(for service: Homelab.Service, live: Swarm.Service?) -> ServiceRow {
        let swarmName = service.swarmName
        guard let live else {
            return ServiceRow(
                name: service.name, stack: service.stack, swarmName: swarmName, running: 0, desired: 0,
                image: service.image, updateState: nil, pinnedNode: service.pinnedNode, health: .missing)
        }
        let running = Int(live.serviceStatus?.runningTasks ?? 0)
        let desired = Int(live.serviceStatus?.desiredTasks ?? 0)
        let state = live.updateStatus?.state.map { "\($0)" }
        let health: Health
        switch state {
        case "updating"?, "rollback_started"?: health = .updating
        case "paused"?, "rollback_paused"?: health = .attention
        default:
            if desired > 0 && running == 0 {
                health = .down
            } else if running < desired {
                health = .degraded
            } else {
                health = .healthy
            }
        }
        return ServiceRow(
            name: service.name, stack: service.stack, swarmName: swarmName, running: running, desired: desired,
            image: live.spec?.taskTemplate?.containerSpec?.image, updateState: state, pinnedNode: service.pinnedNode,
            health: health)
    }
}
