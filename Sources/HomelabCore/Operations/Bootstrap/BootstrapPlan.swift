import Foundation

/// How to bring a cluster up from its stack files: every service of the files, tier by tier (the inventory's
/// tiers, lowest first), in dependency order, as one rollout.
///
/// A service that does not exist yet gets a create step (``RolloutChange/create(_:)``); one that exists but differs
/// from its file gets the usual update step (the spec of ``StackChanges``); one that matches its file is left
/// unchanged but still gated: its create step finds it by name, creates nothing and waits until it is converged
/// and healthy (so a rerun after a failure does not pass an unhealthy service). Every service of a tier waits for
/// every service of the tier below, so a service that never becomes healthy blocks the tiers above it; `depends_on`, the
/// `homelab.depends-on` label and the inventory's `depends_on` order services within a tier. Each step is
/// gated on convergence (Swarm's health checks included) and, with health checks on, on the inventory's
/// `health_url` of its service.
public struct BootstrapPlan: Sendable {
    /// One stack file, converted.
    public struct Stack: Sendable {
        /// The converted stack (its name is the inventory's stack name).
        public var stack: ComposeStack
        /// The file as loaded (its networks, secrets and configs).
        public var file: ComposeFile
        /// The file's folder: relative secret and config files resolve against it.
        public var directory: String?

        /// A stack value.
        public init(stack: ComposeStack, file: ComposeFile, directory: String? = nil) {
            self.stack = stack
            self.file = file
            self.directory = directory
        }
    }

    /// What bootstrap does to one service.
    public enum Action: String, Sendable, Hashable, Codable {
        /// It does not exist: created.
        case create
        /// It exists and differs from its file: updated.
        case update
        /// It exists as its file describes it: unchanged, only checked (converged and healthy).
        case present
    }

    /// One service of the plan.
    public struct Service: Sendable, Hashable {
        /// The Swarm name, `<stack>_<service>`.
        public var name: String
        /// Its stack.
        public var stack: String
        /// Its tier.
        public var tier: String
        /// What happens to it.
        public var action: Action

        /// A service value.
        public init(name: String, stack: String, tier: String, action: Action) {
            self.name = name
            self.stack = stack
            self.tier = tier
            self.action = action
        }
    }

    /// A tier's services, in the order they are planned to start.
    public struct Tier: Sendable, Hashable {
        /// The tier's name.
        public var name: String
        /// Its services, in planned start order.
        public var services: [Service]

        /// A tier value.
        public init(name: String, services: [Service]) {
            self.name = name
            self.services = services
        }
    }

    /// Budgets and gates.
    public struct Options: Sendable, Hashable {
        /// Steps running at once.
        public var budget: Int
        /// Steps running at once on one node (pinned services occupy their node).
        public var nodeBudget: Int?
        /// Seconds each service may take to converge; `nil` derives it from its UpdateConfig.
        public var timeoutSeconds: Double?
        /// Check each service's inventory `health_url` after it converged.
        public var healthChecks: Bool

        /// Budget 1, no node budget, derived timeouts, health checks on, unless said otherwise.
        public init(budget: Int = 1, nodeBudget: Int? = nil, timeoutSeconds: Double? = nil, healthChecks: Bool = true) {
            self.budget = budget
            self.nodeBudget = nodeBudget
            self.timeoutSeconds = timeoutSeconds
            self.healthChecks = healthChecks
        }
    }

    /// The tiers holding services of the files, lowest first.
    public var tiers: [Tier]
    /// The rollout that does it (create and update steps, tier and dependency edges, budgets).
    public var request: RolloutRequest
    /// The scheduler's plan of `request`.
    public var plan: RolloutPlan

    /// Whether nothing is to be created or updated: every service exists as its file describes it (each is
    /// still checked).
    public var isUpToDate: Bool { tiers.allSatisfy { $0.services.allSatisfy { $0.action == .present } } }

    /// Plans the bootstrap of `stacks` (each a stack of `homelab`) against the `live` swarm.
    /// - Throws: ``HomelabError`` `.invalidConfiguration` for a stack the inventory does not name (it has no
    ///   tier), `.invalidArgument` for a service defined twice, a dependency cycle or a bad budget, and what
    ///   `live` throws.
    public static func make(
        homelab: Homelab, stacks: [Stack], live: some StackLiveState, options: Options = Options()
    ) async throws -> BootstrapPlan {
        var tierOfStack: [String: String] = [:]
        for source in stacks {
            guard let stack = homelab.stack(named: source.stack.name) else {
                throw HomelabError(
                    .invalidConfiguration,
                    "stack \(source.stack.name) is not in the inventory, so it has no tier; add it under stacks: or leave its folder out",
                    component: "bootstrap")
            }
            tierOfStack[stack.name] = stack.tier
        }
        let compared = try await StackChanges.compare(stacks.map(\.stack), with: live)
        var changes: [String: RolloutChange] = [:]
        var specs: [String: Swarm.ServiceSpec] = [:]
        var actions: [String: Action] = [:]
        for service in compared.changed {
            changes[service.name] = .spec(service.desired)
            specs[service.name] = service.desired
            actions[service.name] = .update
        }
        for name in compared.unchanged { actions[name] = .present }
        var servicesByTier: [String: [Service]] = [:]
        for source in stacks {
            let tier = tierOfStack[source.stack.name] ?? ""
            for service in source.stack.serviceOrder {
                let name = source.stack.swarmName(of: service)
                if compared.notDeployed.contains(name) || actions[name] == .present {
                    let creation = try ServiceCreation.of(
                        service: service, stack: source.stack, file: source.file, directory: source.directory)
                    changes[name] = .create(creation)
                    specs[name] = creation.spec
                    if actions[name] == nil { actions[name] = .create }
                }
                servicesByTier[tier, default: []].append(
                    Service(name: name, stack: source.stack.name, tier: tier, action: actions[name] ?? .present))
            }
        }
        // Every service of a tier after every service of the nearest lower tier that has services here.
        var dependencies = compared.dependencies
        var below: [Service] = []
        for tier in homelab.tiers {
            guard let services = servicesByTier[tier], !services.isEmpty else { continue }
            for service in services {
                for lower in below { dependencies.append(.init(service: service.name, dependsOn: lower.name)) }
            }
            below = services
        }
        var request = RolloutRequest(
            homelab: homelab, changes: changes, dependencies: dependencies, budget: options.budget,
            nodeBudget: options.nodeBudget, onFailure: .continueIndependent, healthChecks: options.healthChecks,
            convergenceTimeoutSeconds: options.timeoutSeconds
        ).withDefaultEstimates(homelab: homelab, specs: specs)
        request.changes.sort { $0.service < $1.service }
        let plan = RolloutScheduler().plan(try request.graph(), limits: try request.limits())
        let position = Dictionary(uniqueKeysWithValues: plan.order.enumerated().map { ($1, $0) })
        let tiers = homelab.tiers.compactMap { tier -> Tier? in
            guard let services = servicesByTier[tier], !services.isEmpty else { return nil }
            let ordered = services.enumerated().sorted { a, b in
                (position[a.element.name] ?? Int.max, a.offset) < (position[b.element.name] ?? Int.max, b.offset)
            }.map(\.element)
            return Tier(name: tier, services: ordered)
        }
        return BootstrapPlan(tiers: tiers, request: request, plan: plan)
    }
}
