import Foundation
import HomelabCore

/// The fault plans of every simulated component, changed at run time through the admin endpoint, and what
/// was injected so far.
public final class FaultBoard: Sendable {
    /// What one request gets.
    enum Decision: Sendable, Equatable {
        case answer
        case error(status: Int)
        case reset
        case hang
        case reject
    }

    /// Requests seen and faults injected for one component.
    public struct Stats: Sendable, Hashable, Codable {
        /// Requests that reached the component.
        public var requests = 0
        /// Error answers injected.
        public var errors = 0
        /// Connections dropped.
        public var resets = 0
        /// Requests left unanswered.
        public var hangs = 0
        /// Requests refused 401.
        public var rejected = 0
        /// Requests delayed by added latency.
        public var delayed = 0

        /// No requests yet.
        public init() {}
    }

    private let state = Locked<(plans: [ComponentKind: FaultPlan], stats: [ComponentKind: Stats])>(([:], [:]))
    /// The dice of rate-based faults: seeded (a fixed sequence of decisions, for tests) or the system's.
    private let dice = Locked<SeededRandom?>(nil)

    /// A board with `plans` in force.
    public init(plans: [ComponentKind: FaultPlan] = [:]) {
        state.withLock { $0.plans = plans }
    }

    /// The plan in force for `component` (no faults when none was set).
    public func plan(for component: ComponentKind) -> FaultPlan {
        state.withLock { $0.plans[component] ?? FaultPlan() }
    }

    /// Every plan in force.
    public var plans: [ComponentKind: FaultPlan] { state.withLock { $0.plans } }

    /// Replaces the plan of `component` (an empty plan clears it).
    public func set(_ plan: FaultPlan, for component: ComponentKind) {
        state.withLock { $0.plans[component] = plan.isEmpty ? nil : plan }
    }

    /// Fixes the sequence of rate-based decisions (`nil`: the system's random numbers again). The n-th request
    /// faulted by a rate gets the same decision for the same seed; which request is n-th depends on the caller.
    public func seed(_ seed: UInt64?) {
        dice.withLock { $0 = seed.map(SeededRandom.init(seed:)) }
    }

    /// A number in [0, 1) from the seeded dice, or the system's.
    private func roll() -> Double {
        dice.withLock { dice in
            guard var seeded = dice else {
                var generator = SystemRandomNumberGenerator()
                return Double.random(in: 0..<1, using: &generator)
            }
            defer { dice = seeded }
            return seeded.unit()
        }
    }

    /// Clears every plan.
    public func clear() { state.withLock { $0.plans.removeAll() } }

    /// Requests and injected faults per component.
    public var stats: [ComponentKind: Stats] { state.withLock { $0.stats } }

    /// Decides the fate of one request to `component` and counts it; returns the latency to add too.
    func decide(for component: ComponentKind) -> (latency: Duration, decision: Decision) {
        state.withLock { state in
            var stats = state.stats[component] ?? Stats()
            stats.requests += 1
            defer { state.stats[component] = stats }
            guard var plan = state.plans[component] else { return (.zero, .answer) }
            defer { state.plans[component] = plan }
            if plan.latency > .zero { stats.delayed += 1 }
            func roll(_ rate: Double) -> Bool { rate > 0 && self.roll() < rate }
            let decision: Decision
            if plan.hangCount > 0 || roll(plan.hangRate) {
                plan.hangCount = max(0, plan.hangCount - 1)
                stats.hangs += 1
                decision = .hang
            } else if plan.resetCount > 0 || roll(plan.resetRate) {
                plan.resetCount = max(0, plan.resetCount - 1)
                stats.resets += 1
                decision = .reset
            } else if plan.rejectCredentials {
                stats.rejected += 1
                decision = .reject
            } else if plan.errorCount > 0 || roll(plan.errorRate) {
                plan.errorCount = max(0, plan.errorCount - 1)
                stats.errors += 1
                let statuses = plan.errorStatuses
                let pick = min(statuses.count - 1, Int(self.roll() * Double(statuses.count)))
                decision = .error(status: statuses.indices.contains(pick) ? statuses[pick] : 503)
            } else {
                decision = .answer
            }
            return (plan.latency, decision)
        }
    }

    /// Parses `component:kind=value` (`docker:error-rate=0.3`) and applies it to the board.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for an unknown component or fault, or a bad value.
    public func apply(_ setting: String) throws {
        guard let colon = setting.firstIndex(of: ":") else {
            throw HomelabError(
                .invalidArgument, "fault '\(setting)' should read component:kind=value (docker:latency=250ms)", component: "simulator")
        }
        let name = String(setting[..<colon])
        guard let component = ComponentKind(rawValue: name) else {
            throw HomelabError(
                .invalidArgument,
                "unknown component '\(name)' in fault '\(setting)' (expected \(ComponentKind.allCases.map(\.rawValue).joined(separator: ", ")))",
                component: "simulator")
        }
        let rest = setting[setting.index(after: colon)...]
        let kind = rest.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
        let value = rest.contains("=") ? String(rest.split(separator: "=", maxSplits: 1).last ?? "") : ""
        var plan = self.plan(for: component)
        try plan.apply(kind: kind, value: value)
        set(plan, for: component)
    }
}
