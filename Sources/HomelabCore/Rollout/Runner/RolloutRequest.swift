import Foundation

/// What one rollout step does to its Swarm service.
public enum RolloutChange: Codable, Sendable, Hashable {
    /// Set the container image (`name:tag` or `name@digest`).
    case image(String)
    /// Force a rolling restart. The target `ForceUpdate` value is fixed when the step first starts
    /// (`nil` until then), so a resumed step re-applies the same value and does not restart twice.
    case restart(forceUpdate: UInt64?)
    /// Replace the whole spec.
    case spec(Swarm.ServiceSpec)
    /// Maintain a node: drain, a command over SSH, wait until Ready, activate (the step is not a service).
    case maintainNode(RolloutNodeStep)
    /// Create a service that does not exist yet, with the networks, secrets and configs it needs (found by name
    /// first, so a resumed step never creates anything twice).
    case create(ServiceCreation)

    /// `spec` with the change applied. A restart without a fixed value bumps `ForceUpdate` by one; node
    /// maintenance leaves specs alone; a creation gives its own spec.
    public func applied(to spec: Swarm.ServiceSpec) -> Swarm.ServiceSpec {
        var spec = spec
        switch self {
        case .image(let image):
            var task = spec.taskTemplate ?? Swarm.TaskSpec()
            var container = task.containerSpec ?? Swarm.ContainerSpec()
            container.image = image
            task.containerSpec = container
            spec.taskTemplate = task
        case .restart(let value):
            guard let value else { return ForcedRestart.applied(to: spec) }
            var task = spec.taskTemplate ?? Swarm.TaskSpec()
            task.forceUpdate = value
            spec.taskTemplate = task
        case .spec(let replacement):
            spec = replacement
        case .maintainNode:
            break
        case .create(let creation):
            spec = creation.spec
        }
        return spec
    }

    /// The change with its restart target fixed against the service's current spec (idempotent
    /// once fixed: a fixed value stays).
    public func fixed(against current: Swarm.ServiceSpec) -> RolloutChange {
        if case .restart(nil) = self {
            return .restart(forceUpdate: (current.taskTemplate?.forceUpdate ?? 0) &+ 1)
        }
        return self
    }
}

/// Everything a rollout needs, stored with the journal run so `resume` needs no arguments.
public struct RolloutRequest: Codable, Sendable, Hashable {
    /// One service to update.
    public struct Change: Codable, Sendable, Hashable {
        /// The Swarm service name (also the step ID).
        public var service: String
        /// What to do to it.
        public var change: RolloutChange
        /// Nodes the step occupies (for the node budget); may be empty.
        public var nodes: [String]
        /// Expected duration in seconds (for planning).
        public var estimateSeconds: Double

        /// A change of `service` (or a node step, ID `node:<name>`); 60 s expected unless said otherwise.
        public init(service: String, change: RolloutChange, nodes: [String] = [], estimateSeconds: Double = 60) {
            self.service = service
            self.change = change
            self.nodes = nodes
            self.estimateSeconds = estimateSeconds
        }
    }

    /// `service` is updated only after `dependsOn` is done.
    public struct Dependency: Codable, Sendable, Hashable {
        /// The dependent service.
        public var service: String
        /// The service it waits for.
        public var dependsOn: String

        /// An edge `dependsOn → service`.
        public init(service: String, dependsOn: String) {
            self.service = service
            self.dependsOn = dependsOn
        }
    }

    /// What a failure does to independent steps (stored form of ``RolloutFailurePolicy``).
    public enum OnFailure: String, Codable, Sendable, Hashable, CaseIterable {
        /// Steps not downstream of the failure go on.
        case continueIndependent = "continue-independent"
        /// Nothing new starts after a failure.
        case pauseAll = "pause-all"

        /// The state machine's policy.
        public var policy: RolloutFailurePolicy { self == .pauseAll ? .pauseAll : .continueIndependent }
    }

    /// The services to update.
    public var changes: [Change]
    /// Dependencies between services.
    public var dependencies: [Dependency]
    /// Services by tier, lowest first: every service of a tier depends on every service of the tier just below.
    /// Kept as lists, not as the edges they mean: 2,000 services in three tiers are about 890,000 edges, which
    /// made a 58 MB journal entry (and a 700 MB peak to encode it) when they were spelled out.
    public var tiers: [[String]]?
    /// Steps running at once.
    public var budget: Int
    /// Steps running at once per node, if limited.
    public var nodeBudget: Int?
    /// What a failure does to independent steps.
    public var onFailure: OnFailure
    /// Roll a failed service back to its previous spec.
    public var rollbackFailed: Bool
    /// After a failure, roll back every step this run already finished, newest first.
    public var rollbackAll: Bool
    /// Per service, a URL that must answer 2xx after convergence (checked by the runner's health check).
    public var healthURLs: [String: String]?
    /// Seconds to wait for convergence; `nil` derives it from the service's UpdateConfig.
    public var convergenceTimeoutSeconds: Double?

    /// A request; budget 1, continue-independent, no rollbacks unless said otherwise.
    public init(
        changes: [Change], dependencies: [Dependency] = [], budget: Int = 1, nodeBudget: Int? = nil,
        onFailure: OnFailure = .continueIndependent, rollbackFailed: Bool = false, rollbackAll: Bool = false,
        healthURLs: [String: String]? = nil, convergenceTimeoutSeconds: Double? = nil, tiers: [[String]]? = nil
    ) {
        self.changes = changes
        self.dependencies = dependencies
        self.tiers = tiers
        self.budget = budget
        self.nodeBudget = nodeBudget
        self.onFailure = onFailure
        self.rollbackFailed = rollbackFailed
        self.rollbackAll = rollbackAll
        self.healthURLs = healthURLs
        self.convergenceTimeoutSeconds = convergenceTimeoutSeconds
    }

    /// The steps and dependency graph of this request.
    /// - Throws: `HomelabError` `.invalidArgument` for a duplicate service, a negative estimate or a cycle.
    public func graph() throws(HomelabError) -> RolloutGraph {
        try RolloutGraph(steps: steps(), dependencies: dependencyMap())
    }

    /// One step per change, in the request's order.
    public func steps() -> [RolloutStep] {
        changes.map {
            RolloutStep(service: $0.service, nodes: $0.nodes, estimate: .milliseconds(Int64(($0.estimateSeconds * 1000).rounded())))
        }
    }

    /// Every dependency of this request: its edges and its tiers' order.
    public func dependencyMap() -> RolloutDependencies {
        var dependencies = RolloutDependencies()
        for edge in self.dependencies { dependencies.add(edge.service, dependsOn: [edge.dependsOn]) }
        if let tiers {
            for (lower, tier) in zip(tiers, tiers.dropFirst()) where !lower.isEmpty {
                for service in tier { dependencies.add(service, dependsOn: lower) }
            }
        }
        return dependencies
    }

    /// The budgets of this request.
    /// - Throws: `HomelabError` `.invalidArgument` for a budget below 1.
    public func limits() throws(HomelabError) -> RolloutLimits {
        try RolloutLimits(budget: budget, nodeBudget: nodeBudget)
    }
}
