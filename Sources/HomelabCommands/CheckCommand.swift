import ArgumentParser
import Foundation
import HomelabCore

/// `homelab check`: coverage rules across components (``CheckRule``), each finding naming the service, the rule,
/// what was expected, what was found and a hint. Exit 0 when every rule was checked and found nothing, 5 with
/// findings or when a rule could not be (wholly) checked (its components did not answer: `unknown` is never a pass),
/// 1 when no rule could be checked at all.
public struct CheckCommand: AsyncParsableCommand {
    /// `check`'s name and help. The rules are written out, not joined from `CheckRule.allCases`, for the reason
    /// given at ``LintCommand/configuration``; CheckCommandTests holds the list to the enum.
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check coverage across components: forward auth, backups, monitoring, secrets, placement and quorum.",
        discussion: """
            Rules: forward-auth, backups, monitoring, secrets, placement; choose with --rule, leave out with --skip.
              forward-auth  every protected service's hosts: a Caddy route through Authentik's outpost, a proxy provider
                            and application for the host, a healthy outpost (Caddy, Authentik, the services' labels)
              backups       every stateful service's volumes on a TrueNAS dataset with a periodic snapshot task and a
                            snapshot younger than 1.5 task periods (Swarm mounts, TrueNAS)
              monitoring    every routed service carries the inventory's required_labels (homepage.*, kuma.*) live;
                            services labelled prometheus.scrape=true are up Prometheus targets (/api/v1/targets)
              secrets       every secret a service mounts exists in Swarm and in 1Password at the inventory's
                            secrets: reference (the value is never shown)
              placement     stateful services pinned to their pinned_node by a live constraint; an odd number of
                            managers, 3 or more, none drained

            A component that does not answer makes the rules reading it `unknown`, with the reason.
            Exits 0 when every rule was checked and found nothing; 5 with findings, or when a rule is unknown
            (not verified is not a pass); 1 when no rule could be checked at all.
            """)

    /// Rules to run.
    @Option(
        name: .customLong("rule"), parsing: .singleValue, help: "Run only this rule (repeatable, or comma-separated).",
        completion: .list(CheckRule.allCases.map(\.rawValue)))
    public var rule: [String] = []

    /// Rules to skip.
    @Option(
        name: .customLong("skip"), parsing: .singleValue, help: "Skip this rule (repeatable, or comma-separated).",
        completion: .list(CheckRule.allCases.map(\.rawValue)))
    public var skip: [String] = []

    /// Seconds per component.
    @Option(name: .long, help: "Seconds each component may take to answer.")
    public var timeout: Double = 20

    /// `--config`, `--context`, `--verbose`.
    @OptionGroup public var config: ConfigOptions
    /// `-o`, `-q`.
    @OptionGroup public var output: OutputOptions

    /// Parsed from arguments by ArgumentParser.
    public init() {}

    /// Rejects a non-positive timeout and unknown rules.
    public func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        _ = try selectedRules()
    }

    /// The rules in force.
    /// - Throws: `ValidationError` for an unknown rule name.
    public func selectedRules() throws -> Set<CheckRule> {
        func parse(_ values: [String]) throws -> Set<CheckRule> {
            var rules: Set<CheckRule> = []
            for value in values.flatMap({ $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }) where !value.isEmpty {
                guard let rule = CheckRule(rawValue: value) else {
                    throw ValidationError("unknown rule '\(value)'; rules are \(CheckRule.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                rules.insert(rule)
            }
            return rules
        }
        let chosen = try parse(rule)
        let rules = (chosen.isEmpty ? Set(CheckRule.allCases) : chosen).subtracting(try parse(skip))
        guard !rules.isEmpty else { throw ValidationError("--rule and --skip leave no rule to run") }
        return rules
    }

    /// Checks, shows the findings and the rules' states.
    /// - Throws: exit 5 with findings or an unknown rule, 1 when nothing could be checked.
    public func run() async throws {
        let rules = try selectedRules()
        let timeout = Duration.milliseconds(Int(self.timeout * 1000))
        let report = try await HomelabContext.withConnections(config) { connections in
            await HomelabCheck.run(connections: connections, rules: rules, timeout: timeout)
        }
        let document = CheckDocument(report)
        try output.show(document, ids: document.findings.map { "\($0.rule) \($0.service)" }) { wide in
            document.text(wide: wide, terminal: output.writer.terminal)
        }
        if report.checkedNothing { throw ExitStatus.error.code }
        if !report.isClean { throw ExitStatus.degraded.code }
    }
}

/// `homelab check -o json`: `clean`, one object per rule and every finding.
struct CheckDocument: Encodable, Sendable {
    /// Every rule was checked and found nothing.
    var clean: Bool
    var rules: [RuleRow]
    var findings: [FindingRow]

    struct RuleRow: Encodable, Sendable {
        var rule: String
        /// `ok`, `findings` or `unknown`.
        var state: String
        var checked: Int
        var findings: Int
        var reason: String?
    }

    struct FindingRow: Encodable, Sendable {
        var rule: String
        var service: String
        var expected: String
        var found: String
        var hint: String
    }

    init(_ report: CheckReport) {
        clean = report.isClean
        rules = report.results.map {
            RuleRow(rule: $0.rule.rawValue, state: $0.state, checked: $0.checked, findings: $0.findings.count, reason: $0.unknown)
        }
        findings = report.findings.map {
            FindingRow(rule: $0.rule.rawValue, service: $0.service, expected: $0.expected, found: $0.found, hint: $0.hint)
        }
    }

    static let findingTable = Table<FindingRow>([
        .init("RULE") { .state($0.rule, .warning) },
        .init("SERVICE") { .text($0.service) },
        .init("EXPECTED") { .text($0.expected) },
        .init("FOUND") { .text($0.found) },
        .init("HINT", wide: true) { .text($0.hint) },
    ])

    static let ruleTable = Table<RuleRow>([
        .init("RULE") { .text($0.rule) },
        .init("STATE") { .state($0.state, $0.state == "ok" ? .good : $0.state == "unknown" ? .muted : .bad) },
        .init("CHECKED") { .text(String($0.checked)) },
        .init("FINDINGS") { .text(String($0.findings)) },
        .init("REASON") { .text($0.reason ?? "-") },
    ])

    /// The findings table (hints with `-o wide`), then a line per rule.
    func text(wide: Bool, terminal: Terminal) -> String {
        var parts: [String] = []
        if !findings.isEmpty { parts.append(Self.findingTable.render(findings, wide: wide, terminal: terminal)) }
        parts.append(Self.ruleTable.render(rules, wide: wide, terminal: terminal))
        let summary =
            clean
            ? "clean: every rule checked, nothing found"
            : "\(findings.count) finding\(findings.count == 1 ? "" : "s")"
                + (rules.contains { $0.state == "unknown" } ? "; some rules could not be checked (see REASON)" : "")
                + (findings.isEmpty ? "" : "; -o wide shows a hint for each")
        parts.append(summary)
        return parts.joined(separator: "\n")
    }
}
