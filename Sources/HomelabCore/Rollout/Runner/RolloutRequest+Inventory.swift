extension RolloutRequest {
    /// The swarm service name of an inventory service, as `docker stack deploy` names it: `<stack>_<service>`.
    public static func swarmName(_ service: Homelab.Service) -> String { service.swarmName }

    /// The inventory's ordering as dependency edges between swarm names: every `depends_on`, and every service
    /// of a tier after every service of the tier below it.
    public static func dependencies(of homelab: Homelab) -> [Dependency] {
        let services = homelab.services
        var edges: [Dependency] = []
        for service in services {
            for other in service.dependsOn {
                if let target = services.first(where: { $0.name == other }) {
                    edges.append(.init(service: swarmName(service), dependsOn: swarmName(target)))
                }
            }
            if let tier = homelab.tierIndex(of: service.tier), tier > 0 {
                for lower in services where homelab.tierIndex(of: lower.tier) == tier - 1 {
                    edges.append(.init(service: swarmName(service), dependsOn: swarmName(lower)))
                }
            }
        }
        return edges
    }

    /// A request changing some of `homelab`'s services (keyed by swarm name), ordered by the inventory;
    /// a pinned service's step occupies its node.
    public init(
        homelab: Homelab, changes: [String: RolloutChange], budget: Int = 1, nodeBudget: Int? = nil,
        onFailure: OnFailure = .continueIndependent, rollbackFailed: Bool = false, rollbackAll: Bool = false,
        convergenceTimeoutSeconds: Double? = nil
    ) {
        let steps = homelab.services.compactMap { service in
            changes[Self.swarmName(service)].map {
                Change(service: Self.swarmName(service), change: $0, nodes: service.pinnedNode.map { [$0] } ?? [])
            }
        }
        self.init(
            changes: steps, dependencies: Self.dependencies(of: homelab), budget: budget, nodeBudget: nodeBudget,
            onFailure: onFailure, rollbackFailed: rollbackFailed, rollbackAll: rollbackAll,
            convergenceTimeoutSeconds: convergenceTimeoutSeconds)
    }
}
