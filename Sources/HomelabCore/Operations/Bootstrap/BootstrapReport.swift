import Foundation

/// How a bootstrap ended, tier by tier: which tiers are up, which one is blocked and by which services (with why
/// they never became healthy), and which tiers and services were not started because of it.
public struct BootstrapReport: Sendable, Hashable {
    /// Where a tier stands.
    public enum TierState: String, Sendable, Hashable, Codable {
        /// Every service of the tier is up.
        case up
        /// A service of the tier never became healthy: the tiers above it were not started.
        case blocked
        /// Not started: a tier below it is blocked.
        case notStarted = "not-started"
        /// Neither up nor blocked: the run paused (interrupted) with work left.
        case incomplete
    }

    /// A service that failed, and why.
    public struct Failure: Sendable, Hashable {
        /// The Swarm service name.
        public var service: String
        /// The runner's message (convergence timeout, health check, a create error).
        public var message: String
    }

    /// One tier's result.
    public struct Tier: Sendable, Hashable {
        /// The tier's name.
        public var name: String
        /// Where it stands.
        public var state: TierState
        /// Services created, updated or left alone (present), and up.
        public var up: [String]
        /// Services that never became healthy.
        public var failed: [Failure]
        /// Services of this tier not started (blocked by a failure, or left by an interrupt).
        public var notStarted: [String]
        /// For a tier not started: the blocked tier below it.
        public var blockedBy: String?
    }

    /// The rollout's run ID (for `homelab bootstrap --resume`).
    public var runID: String
    /// The run's status as journaled.
    public var status: RolloutJournal.RunStatus
    /// The tiers, lowest first.
    public var tiers: [Tier]

    /// The lowest blocked tier, if any.
    public var blockedTier: Tier? { tiers.first { $0.state == .blocked } }

    /// Whether every tier is up.
    public var isUp: Bool { tiers.allSatisfy { $0.state == .up } }

    /// The report of a run of `tiers` whose steps ended as `steps` say (services without a step count as up).
    public init(runID: String, status: RolloutJournal.RunStatus, tiers: [BootstrapPlan.Tier], steps: [RolloutJournal.Step]) {
        self.runID = runID
        self.status = status
        let byID = Dictionary(steps.map { ($0.stepID, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [Tier] = []
        var blocked: String?
        for tier in tiers {
            var entry = Tier(name: tier.name, state: .up, up: [], failed: [], notStarted: [], blockedBy: nil)
            for service in tier.services {
                guard let step = byID[service.name] else {
                    entry.up.append(service.name)
                    continue
                }
                switch step.status {
                case .succeeded:
                    entry.up.append(service.name)
                case .failed, .rolledBack, .rollingBack:
                    entry.failed.append(Failure(service: service.name, message: step.detail ?? "failed"))
                case .pending, .blocked, .running:
                    entry.notStarted.append(service.name)
                }
            }
            if !entry.failed.isEmpty {
                entry.state = .blocked
                if blocked == nil { blocked = tier.name }
            } else if !entry.notStarted.isEmpty {
                if let blocked {
                    entry.state = .notStarted
                    entry.blockedBy = blocked
                } else {
                    entry.state = .incomplete
                }
            }
            result.append(entry)
        }
        self.tiers = result
    }

    /// The report as lines for people: one per tier, then the failures and what was not started because of them.
    public var lines: [String] {
        var lines: [String] = []
        for tier in tiers {
            switch tier.state {
            case .up:
                lines.append("tier \(tier.name): up (\(tier.up.joined(separator: ", ")))")
            case .blocked:
                lines.append("tier \(tier.name): BLOCKED")
                for failure in tier.failed {
                    lines.append("  \(failure.service) never became healthy: \(failure.message)")
                }
                if !tier.notStarted.isEmpty {
                    lines.append("  not started in this tier: \(tier.notStarted.joined(separator: ", "))")
                }
            case .notStarted:
                lines.append(
                    "tier \(tier.name): not started (tier \(tier.blockedBy ?? "?") is blocked): \(tier.notStarted.joined(separator: ", "))")
            case .incomplete:
                lines.append("tier \(tier.name): incomplete, not started yet: \(tier.notStarted.joined(separator: ", "))")
            }
        }
        return lines
    }
}

extension BootstrapPlan {
    /// The tiers of a journaled bootstrap's steps (for a resumed run, whose plan is not kept): each step's stack
    /// is its creation's, else the stack its name starts with, placed in that stack's tier.
    public static func tiers(of request: RolloutRequest, homelab: Homelab) -> [Tier] {
        var byTier: [String: [Service]] = [:]
        for change in request.changes {
            var stack: String?
            if case .create(let creation) = change.change { stack = creation.stack }
            if stack == nil {
                stack = homelab.stacks.map(\.name).filter { change.service.hasPrefix("\($0)_") }.max { $0.count < $1.count }
            }
            guard let stack, let tier = homelab.stack(named: stack)?.tier else { continue }
            let action: Action
            if case .create = change.change { action = .create } else { action = .update }
            byTier[tier, default: []].append(Service(name: change.service, stack: stack, tier: tier, action: action))
        }
        return homelab.tiers.compactMap { tier in byTier[tier].map { Tier(name: tier, services: $0) } }
    }
}
