/// Which nodes are maintained in which order, checked against the quorum and pinned-service rules.
///
/// Pure: built from a snapshot of the swarm's nodes and services and the inventory. Nodes go in batches run
/// one after another; the nodes of one batch are maintained together. Workers come first (up to
/// ``NodeMaintenanceOptions/workerBudget`` per batch), then managers (as many per batch as the quorum allows
/// with the managers already unavailable, the leader last, so the swarm elects a new leader at most once more).
public struct NodeMaintenancePlan: Sendable, Hashable {
    /// One node to maintain.
    public struct Target: Sendable, Hashable {
        /// The node's name (its hostname).
        public var name: String
        /// The swarm node ID.
        public var id: String
        /// Manager or worker.
        public var isManager: Bool
        /// Whether it is the Raft leader.
        public var isLeader: Bool
        /// The inventory's node: where and how to log in over SSH.
        public var inventoryNode: Homelab.Node
        /// The pinned stateful services its drain stops.
        public var pinnedServices: [PinnedService]
    }

    /// The batches, in order.
    public var batches: [[Target]]
    /// The options the plan was made with.
    public var options: NodeMaintenanceOptions
    /// The quorum when the plan was made.
    public var quorum: ManagerQuorum
    /// Managers maintained at once.
    public var managerBudget: Int
    /// Whether a manager batch takes the swarm below its Raft majority (only with ``NodeMaintenanceOptions/allowQuorumLoss``).
    public var losesQuorum: Bool

    /// Every target, in order.
    public var targets: [Target] { batches.flatMap { $0 } }

    /// Plans maintenance of `requested` (node names, hostnames or IDs).
    /// - Throws: ``HomelabError``: `.invalidArgument` for bad options, no nodes, a request that breaks the quorum
    ///   (see ``ManagerQuorum/check(takingDown:allowQuorumLoss:)``), or a node holding pinned stateful services
    ///   without ``NodeMaintenanceOptions/confirmStatefulDrain`` (the message names the services); `.notFound` for a
    ///   node the swarm does not know; `.invalidConfiguration` for one the inventory lacks (no SSH address).
    public init(
        nodes: [Swarm.Node], services: [Swarm.Service], homelab: Homelab, requested: [String], options: NodeMaintenanceOptions
    ) throws {
        try options.validate()
        let targets = try Self.targets(nodes: nodes, services: services, homelab: homelab, requested: requested)
        let quorum = ManagerQuorum(nodes: nodes)
        let managers = targets.filter(\.isManager).sorted { !$0.isLeader && $1.isLeader }
        let workers = targets.filter { !$0.isManager }
        let others = quorum.unavailable.keys.filter { name in !managers.contains { $0.name == name } }.count
        var budget = quorum.tolerance - others
        var losesQuorum = false
        if !managers.isEmpty, budget < 1 {
            try quorum.check(takingDown: [managers[0].name], allowQuorumLoss: options.allowQuorumLoss)
            budget = 1
            losesQuorum = true
        }
        budget = max(budget, 1)
        var batches: [[Target]] = []
        for start in stride(from: 0, to: workers.count, by: options.workerBudget) {
            batches.append(Array(workers[start..<min(start + options.workerBudget, workers.count)]))
        }
        for start in stride(from: 0, to: managers.count, by: budget) {
            let batch = Array(managers[start..<min(start + budget, managers.count)])
            try quorum.check(takingDown: batch.map(\.name), allowQuorumLoss: options.allowQuorumLoss)
            batches.append(batch)
        }
        let pinned = targets.filter { !$0.pinnedServices.isEmpty }
        if !pinned.isEmpty, !options.confirmStatefulDrain {
            throw HomelabError(
                .invalidArgument,
                "draining " + Self.describe(pinned)
                    + " stops them until the node is active again (they cannot move to another node); "
                    + "confirm with confirmStatefulDrain (--confirm-stateful)",
                component: "node-maintenance")
        }
        self.batches = batches
        self.options = options
        self.quorum = quorum
        self.managerBudget = budget
        self.losesQuorum = losesQuorum
    }

    /// `barbary (holds plex, sonarr); ching (holds grafana)`.
    public static func describe(_ targets: [Target]) -> String {
        targets.map { "\($0.name) (holds \($0.pinnedServices.map(\.name).joined(separator: ", ")))" }
            .joined(separator: "; ")
    }

    private static func targets(
        nodes: [Swarm.Node], services: [Swarm.Service], homelab: Homelab, requested: [String]
    ) throws -> [Target] {
        guard !requested.isEmpty else {
            throw HomelabError(.invalidArgument, "node maintenance: name at least one node", component: "node-maintenance")
        }
        let pinned = PinnedServices.byNode(nodes: nodes, services: services, homelab: homelab)
        var targets: [Target] = []
        for wanted in requested {
            guard
                let node = nodes.first(where: { $0.nodeName.lowercased() == wanted.lowercased() })
                    ?? nodes.first(where: { $0.id == wanted || $0.spec?.name == wanted }),
                let id = node.id
            else {
                let known = nodes.map(\.nodeName).sorted().joined(separator: ", ")
                throw HomelabError(
                    .notFound, "the swarm has no node \(wanted) (its nodes: \(known.isEmpty ? "none" : known))",
                    component: "node-maintenance")
            }
            if targets.contains(where: { $0.id == id }) { continue }
            guard let inventoryNode = homelab.node(named: node.nodeName) else {
                throw HomelabError(
                    .invalidConfiguration,
                    "node \(node.nodeName) is in the swarm but not in the inventory: add it (address, ssh) so the "
                        + "maintenance command can reach it",
                    component: "node-maintenance")
            }
            targets.append(
                Target(
                    name: node.nodeName, id: id, isManager: ManagerQuorum.isManager(node),
                    isLeader: node.managerStatus?.leader == true, inventoryNode: inventoryNode,
                    pinnedServices: pinned[node.nodeName] ?? []))
        }
        return targets
    }
}
