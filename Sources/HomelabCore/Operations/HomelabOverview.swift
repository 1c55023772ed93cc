import Logging

/// A snapshot of the homelab: nodes as the swarm sees them, the inventory's services tier by tier with their
/// live replicas and update state, and how each component's API answers (see ``ComponentProbe``).
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
        /// The swarm could not be listed.
        case unknown
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

    /// How a component answered its probe.
    public enum ComponentState: Sendable, Hashable {
        /// It answered; the version when its answer carries one.
        case up(version: String?)
        /// It answered 401 or 403: reachable, but our credentials are not accepted.
        case credentialsRejected(status: Int)
        /// It did not answer in time, or failed: why.
        case down(String)
        /// There is nothing to probe (not in the inventory, no API): why.
        case notConfigured(String)
    }

    /// How a component answered.
    public struct ComponentRow: Sendable, Hashable {
        public var kind: ComponentKind
        /// Where it is reached (`https://pve.lab:8006/api2/json`, `... via ssh barbary`).
        public var endpoint: String
        public var state: ComponentState
        /// How long the probe took.
        public var elapsed: Duration
        /// Why it is down, as an error code (`.timedOut`, `.connectionFailed`, ...), when it is down for a known one.
        public var errorCode: HomelabError.Code?

        /// A row.
        public init(
            kind: ComponentKind, endpoint: String, state: ComponentState, elapsed: Duration = .zero,
            errorCode: HomelabError.Code? = nil
        ) {
            self.kind = kind
            self.endpoint = endpoint
            self.state = state
            self.elapsed = elapsed
            self.errorCode = errorCode
        }

        /// Whether the API answered us (up).
        public var reachable: Bool {
            if case .up = state { return true }
            return false
        }

        /// The version, the reason it is down, or what is missing.
        public var detail: String {
            switch state {
            case .up(let version): return version ?? "answers"
            case .credentialsRejected(let status): return "credentials rejected (HTTP \(status))"
            case .down(let reason): return reason
            case .notConfigured(let reason): return reason
            }
        }
    }

    public var nodes: [NodeRow]
    public var tiers: [TierRow]
    public var components: [ComponentRow]
    /// Why the swarm could not be listed, when it could not (nodes are then empty and services unknown).
    public var swarmFailure: String?
    /// TrueNAS's pools and alerts, when the inventory has a TrueNAS.
    public var storage: StorageOverview? = nil

    /// Every service row, tier by tier.
    public var services: [ServiceRow] { tiers.flatMap(\.services) }

    /// Whether the swarm was listed and every component that has an API answered.
    public var isAllUp: Bool {
        swarmFailure == nil && components.allSatisfy { row in
            if case .notConfigured = row.state { return true }
            return row.reachable
        }
    }

    /// Collects the overview: the swarm listing and every component's probe run concurrently, each under its own
    /// `deadline`. Never throws: a swarm that cannot be listed in time is a down docker row (and services of
    /// unknown state), a component that fails or hangs is a down row with its reason; the others are intact.
    public static func collect(
        homelab: Homelab, connections: HomelabConnections, deadline: Duration = .seconds(5), logger: Logger? = nil
    ) async -> HomelabOverview {
        async let listing = Deadline.run(deadline, "listing the swarm") {
            let swarm = try await connections.swarm()
            async let nodes = swarm.nodes.list(logger: logger)
            async let services = swarm.services.summaries(status: true, logger: logger)
            return try await (nodes, services)
        }
        async let storage = StorageOverview.collect(connections: connections, deadline: deadline, logger: logger)
        let kinds = ComponentKind.allCases.filter { homelab.components[$0] != nil }
        let probes = await withTaskGroup(of: ComponentRow.self) { group in
            for kind in kinds {
                group.addTask {
                    let started = ContinuousClock.now
                    let row = await Deadline.probe(deadline) {
                        await ComponentProbe.probe(kind, connections: connections, timeout: deadline, logger: logger)
                    }
                    return row ?? ComponentRow(
                        kind: kind, endpoint: connections.place(of: kind),
                        state: .down("timed out: no answer within \(deadline.spoken)"), elapsed: ContinuousClock.now - started,
                        errorCode: .timedOut)
                }
            }
            var rows: [ComponentRow] = []
            for await row in group { rows.append(row) }
            return rows.sorted { $0.kind < $1.kind }
        }
        var components = probes
        let nodes: [Swarm.Node]
        let services: [Swarm.ServiceSummary]?
        var swarmFailure: String?
        switch await listing {
        case .success(let (listedNodes, listedServices)):
            nodes = listedNodes
            services = listedServices
        case .failure(let error):
            nodes = []
            services = nil
            let reason = ComponentProbe.reason(error)
            swarmFailure = reason
            if let index = components.firstIndex(where: { $0.kind == .docker }) {
                if components[index].reachable { components[index].state = .down("swarm listing failed: " + reason) }
            } else {
                components.insert(
                    ComponentRow(kind: .docker, endpoint: connections.place(of: .docker), state: .down(reason)), at: 0)
            }
        }

        let nodeRows = nodes.map { node -> NodeRow in
            let name = node.description?.hostname ?? node.spec?.name ?? node.id ?? "?"
            return NodeRow(
                name: name, role: node.spec?.role.map { "\($0)" } ?? "?",
                availability: node.spec?.availability.map { "\($0)" } ?? "?",
                state: node.status?.state.map { "\($0)" } ?? "?", isLeader: node.managerStatus?.leader ?? false,
                platform: homelab.node(named: name)?.platform.rawValue)
        }.sorted { ($0.role, $0.name) < ($1.role, $1.name) }

        var byName: [String: Swarm.ServiceSummary] = [:]
        for service in services ?? [] { if let name = service.name { byName[name] = service } }
        let tiers = homelab.tiers.map { tier in
            TierRow(
                name: tier,
                services: homelab.stacks(inTier: tier).flatMap(\.services).map { service in
                    services == nil ? unknownRow(for: service) : row(for: service, live: byName[service.swarmName])
                })
        }
        return HomelabOverview(
            nodes: nodeRows, tiers: tiers, components: components, swarmFailure: swarmFailure, storage: await storage)
    }

    static func unknownRow(for service: Homelab.Service) -> ServiceRow {
        ServiceRow(
            name: service.name, stack: service.stack, swarmName: service.swarmName, running: 0, desired: 0,
            image: service.image, updateState: nil, pinnedNode: service.pinnedNode, health: .unknown)
    }

    static func row(for service: Homelab.Service, live: Swarm.ServiceSummary?) -> ServiceRow {
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
            image: live.image, updateState: state, pinnedNode: service.pinnedNode,
            health: health)
    }
}
