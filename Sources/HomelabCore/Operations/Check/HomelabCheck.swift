import Foundation
import Logging

/// `homelab check`: coverage rules across components (see ``CheckRule``). ``run(connections:rules:timeout:logger:)``
/// reads every component the rules need once (``CheckSnapshot/read(connections:rules:timeout:now:logger:)``), then
/// ``evaluate(_:rules:)`` applies the rules without I/O.
///
/// A component that cannot be read never fails the check: the rules reading it come out `unknown`, with the reason,
/// and keep the findings of the parts they could read.
public enum HomelabCheck {
    /// Reads and evaluates `rules`.
    public static func run(
        connections: HomelabConnections, rules: Set<CheckRule> = Set(CheckRule.allCases), timeout: Duration = .seconds(20),
        logger: Logger? = nil
    ) async -> CheckReport {
        let snapshot = await CheckSnapshot.read(connections: connections, rules: rules, timeout: timeout, logger: logger)
        return evaluate(snapshot, rules: rules)
    }

    /// Applies `rules` to a snapshot.
    public static func evaluate(_ snapshot: CheckSnapshot, rules: Set<CheckRule> = Set(CheckRule.allCases)) -> CheckReport {
        CheckReport(results: rules.sorted().map { rule in
            switch rule {
            case .forwardAuth: return forwardAuth(snapshot)
            case .backups: return backups(snapshot)
            case .monitoring: return monitoring(snapshot)
            case .secrets: return secrets(snapshot)
            case .placement: return placement(snapshot)
            }
        })
    }

    /// Joins the reasons a rule is only partly known.
    static func unknown(_ problems: String?...) -> String? {
        let reasons = problems.compactMap { $0 }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }
}
