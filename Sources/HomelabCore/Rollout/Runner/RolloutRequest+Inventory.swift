extension RolloutRequest {
    /// The swarm service name of an inventory service, as `docker stack deploy` names it: `<stack>_<service>`.
    public static func swarmName(_ service: Homelab.Service) -> String { service.swarmName }

    /// The inventory's ordering as dependency edges between swarm names: every `depends_on`, and every service
    /// of a tier after every service of the tier below it (quadratic in the services; a request keeps the tiers
    /// as ``tiers(of:)`` and the rest as ``dependsOnEdges(of:)``).
    public static func dependencies(of homelab: Homelab) -> [Dependency] {
        var edges = dependsOnEdges(of: homelab)
        let tiers = tiers(of: homelab)
        for (lower, tier) in zip(tiers, tiers.dropFirst()) {
            for service in tier { edges += lower.map { Dependency(service: service, dependsOn: $0) } }
        }
        return edges
    }

    /// The inventory's `depends_on` as edges between swarm names.
    public static func dependsOnEdges(of homelab: Homelab) -> [Dependency] {
        let services = homelab.services
        var edges: [Dependency] = []
        for service in services {
            for other in service.dependsOn {
                if let target = services.first(where: { $0.name == other }) {
                    edges.append(.init(service: swarmName(service), dependsOn: swarmName(target)))
                }
            }
        }
        return edges
    }

    /// The swarm names of the inventory's services in each of its tiers, lowest first (``RolloutRequest/tiers``).
    public static func tiers(of homelab: Homelab) -> [[String]] {
        homelab.tiers.map { tier in homelab.services.filter { $0.tier == tier }.map(swarmName) }
    }

    /// A request changing services (keyed by swarm name), ordered by the inventory: its tiers and `depends_on`,
    /// plus `dependencies`. A pinned service's step occupies its node; a service the inventory does not list
    /// (from a stack file, say) comes after the inventory's, by name, with only the edges given for it. Node
    /// steps are added with ``nodeSteps(_:after:timeoutSeconds:)``.
    /// With `healthChecks`, each inventory service's `health_url` gates its step.
    public init(
        homelab: Homelab, changes: [String: RolloutChange], dependencies: [Dependency] = [], budget: Int = 1,
        nodeBudget: Int? = nil, onFailure: OnFailure = .continueIndependent, rollbackFailed: Bool = false,
        rollbackAll: Bool = false, healthChecks: Bool = false, convergenceTimeoutSeconds: Double? = nil
    ) {
        var steps = homelab.services.compactMap { service in
            changes[Self.swarmName(service)].map {
                Change(service: Self.swarmName(service), change: $0, nodes: service.pinnedNode.map { [$0] } ?? [])
            }
        }
        let known = Set(homelab.services.map(\.swarmName))
        for (name, change) in changes.sorted(by: { $0.key < $1.key }) where !known.contains(name) {
            steps.append(Change(service: name, change: change))
        }
        var healthURLs: [String: String] = [:]
        if healthChecks {
            for service in homelab.services where changes[service.swarmName] != nil {
                if let url = service.healthURL { healthURLs[service.swarmName] = url }
            }
        }
        self.init(
            changes: steps, dependencies: Self.dependsOnEdges(of: homelab) + dependencies, budget: budget,
            nodeBudget: nodeBudget, onFailure: onFailure, rollbackFailed: rollbackFailed, rollbackAll: rollbackAll,
            healthURLs: healthURLs.isEmpty ? nil : healthURLs, convergenceTimeoutSeconds: convergenceTimeoutSeconds,
            tiers: Self.tiers(of: homelab))
    }

    /// The request with each step's estimate taken from `history` (seconds, by service) where it has one.
    public func estimated(from history: [String: Double]) -> RolloutRequest {
        var request = self
        for i in request.changes.indices {
            if let seconds = history[request.changes[i].service], seconds.isFinite, seconds >= 0 {
                request.changes[i].estimateSeconds = seconds
            }
        }
        return request
    }
}

extension RolloutRequest {
    /// Seconds a service taken at each task slot this long is expected to need when it has no history.
    public static let defaultTaskSeconds: Double = 10

    /// Seconds a service's rolling update is expected to take without history: Swarm replacing `replicas`
    /// tasks under `update` (Swarm's defaults when `nil`: parallelism 1, no delay, 5 s monitor), each task
    /// taking `taskSeconds` to be replaced and become healthy.
    public static func defaultEstimate(replicas: Int, update: Swarm.UpdateConfig? = nil, taskSeconds: Double = defaultTaskSeconds) -> Double {
        let timing = ServiceUpdateTiming(
            parallelism: Int(max(0, update?.parallelism ?? 1)), delay: update?.delay?.duration ?? .zero,
            monitor: update?.monitor?.duration ?? .seconds(5))
        let task = Duration.milliseconds(Int64((max(0, taskSeconds) * 1000).rounded()))
        guard let duration = try? timing.estimatedDuration(replicas: max(0, replicas), taskDuration: task) else {
            return taskSeconds
        }
        return duration.seconds
    }

    /// Seconds a node's maintenance is expected to take without history: 2 minutes, 5 with a reboot.
    public static func nodeEstimate(_ step: RolloutNodeStep) -> Double { step.expectsReboot ? 300 : 120 }

    /// Default estimates for this request's services (node steps: ``nodeEstimate(_:)``): from `specs` (mode and UpdateConfig) where given, else
    /// from the inventory's replica counts (a global service counts one task per node).
    public func withDefaultEstimates(homelab: Homelab, specs: [String: Swarm.ServiceSpec] = [:]) -> RolloutRequest {
        var request = self
        for i in request.changes.indices {
            if case .maintainNode(let node) = request.changes[i].change {
                request.changes[i].estimateSeconds = Self.nodeEstimate(node)
                continue
            }
            let name = request.changes[i].service
            var replicas = 1
            var update: Swarm.UpdateConfig?
            if let spec = specs[name] {
                update = spec.updateConfig
                switch spec.mode {
                case .replicated(let count?): replicas = Int(clamping: count)
                case .global, .globalJob: replicas = max(1, homelab.nodes.count)
                default: replicas = 1
                }
            } else if let service = homelab.services.first(where: { $0.swarmName == name }) {
                switch service.mode {
                case .replicated(let count): replicas = count
                case .global: replicas = max(1, homelab.nodes.count)
                }
            }
            request.changes[i].estimateSeconds = Self.defaultEstimate(replicas: replicas, update: update)
        }
        return request
    }
}
