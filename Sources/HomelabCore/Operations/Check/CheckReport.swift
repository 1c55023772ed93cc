import Foundation

/// The rules of `homelab check`: coverage questions that cross components.
public enum CheckRule: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Every protected service: a Caddy route through Authentik's outpost, an application and proxy provider for its
    /// host, a healthy outpost.
    case forwardAuth = "forward-auth"
    /// Every stateful service's volumes on a TrueNAS dataset with a periodic snapshot task and a recent snapshot.
    case backups
    /// Every routed service carries the `required_labels:` (Homepage, AutoKuma); Prometheus scrapes the services
    /// labelled `prometheus.scrape=true`, and they are up.
    case monitoring
    /// Every secret a service uses exists in Swarm and in 1Password under the inventory's `secrets:` reference.
    case secrets
    /// Stateful services pinned by a live constraint to the inventory's node; an odd number (3 or more) of managers,
    /// none drained.
    case placement

    /// Orders rules as declared.
    public static func < (lhs: CheckRule, rhs: CheckRule) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// The components the rule reads.
    public var components: [ComponentKind] {
        switch self {
        case .forwardAuth: return [.docker, .caddy, .authentik]
        case .backups: return [.docker, .truenas]
        case .monitoring: return [.docker, .prometheus]
        case .secrets: return [.docker, .onepassword]
        case .placement: return [.docker]
        }
    }
}

/// One thing `homelab check` found wrong: which service (or node, or secret), under which rule, what was expected,
/// what was found, and what to do about it. Never carries a secret value.
public struct CheckFinding: Sendable, Hashable, Codable {
    /// The rule.
    public var rule: CheckRule
    /// The inventory service concerned (`sonarr`); for swarm-wide findings the node or secret (`angre`,
    /// `secret postgres_password`).
    public var service: String
    /// What the rule expects, in words.
    public var expected: String
    /// What the components say instead.
    public var found: String
    /// What to do.
    public var hint: String

    /// A finding.
    public init(rule: CheckRule, service: String, expected: String, found: String, hint: String) {
        self.rule = rule
        self.service = service
        self.expected = expected
        self.found = found
        self.hint = hint
    }
}

/// How one rule came out.
public struct CheckRuleResult: Sendable, Hashable {
    /// The rule.
    public var rule: CheckRule
    /// Its findings, sorted by service.
    public var findings: [CheckFinding]
    /// How many subjects (services, nodes, secrets) it looked at.
    public var checked: Int
    /// Why (part of) the rule could not be checked: a component it reads did not answer or is not in the inventory.
    /// A rule with a reason is `unknown`, even when it has findings from the parts it could read.
    public var unknown: String?

    /// A result.
    public init(rule: CheckRule, findings: [CheckFinding] = [], checked: Int = 0, unknown: String? = nil) {
        self.rule = rule
        self.findings = findings.sorted { ($0.service, $0.expected) < ($1.service, $1.expected) }
        self.checked = checked
        self.unknown = unknown
    }

    /// A rule that could not be checked at all.
    public static func unknown(_ rule: CheckRule, _ reason: String) -> CheckRuleResult {
        CheckRuleResult(rule: rule, unknown: reason)
    }

    /// `ok`, `findings` or `unknown`.
    public var state: String {
        if unknown != nil { return "unknown" }
        return findings.isEmpty ? "ok" : "findings"
    }
}

/// What `homelab check` found, rule by rule.
public struct CheckReport: Sendable, Hashable {
    /// One result per rule run, in rule order.
    public var results: [CheckRuleResult]

    /// A report.
    public init(results: [CheckRuleResult]) {
        self.results = results.sorted { $0.rule < $1.rule }
    }

    /// Every finding, in rule order.
    public var findings: [CheckFinding] { results.flatMap(\.findings) }

    /// The rules that could not be (wholly) checked.
    public var unknownRules: [CheckRule] { results.filter { $0.unknown != nil }.map(\.rule) }

    /// Whether every rule was checked and found nothing.
    public var isClean: Bool { findings.isEmpty && unknownRules.isEmpty }

    /// Whether no rule could be checked at all (every one unknown, no finding).
    public var checkedNothing: Bool { !results.isEmpty && findings.isEmpty && results.allSatisfy { $0.unknown != nil } }

    /// The findings of each rule, for the `homelab_check_findings{rule}` gauge; an unknown rule without findings is
    /// left out (no value is better than a reassuring 0).
    public var findingCounts: [CheckRule: Int] {
        var counts: [CheckRule: Int] = [:]
        for result in results where result.unknown == nil || !result.findings.isEmpty { counts[result.rule] = result.findings.count }
        return counts
    }
}
