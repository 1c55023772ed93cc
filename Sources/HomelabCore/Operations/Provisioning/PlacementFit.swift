import Foundation

/// Whether a swarm node satisfies a service's placement constraints, evaluated as swarmkit's scheduler does:
/// `key==value` or `key!=value` on `node.id`, `node.hostname`, `node.role`, `node.platform.os|arch`,
/// `node.labels.KEY`, `engine.labels.KEY`; values compare case-insensitively and a missing label is never equal.
public enum PlacementFit {
    /// Whether every constraint holds on `node`; an expression this SDK cannot read does not hold.
    public static func satisfies(_ constraints: [String], node: Swarm.Node) -> Bool {
        constraints.allSatisfy { holds($0, on: node) ?? false }
    }

    /// Whether one constraint holds on `node`; `nil` when it is not a constraint expression.
    public static func holds(_ constraint: String, on node: Swarm.Node) -> Bool? {
        let equals: Bool
        let parts: [Substring]
        if let range = constraint.range(of: "==") {
            equals = true
            parts = [constraint[..<range.lowerBound], constraint[range.upperBound...]]
        } else if let range = constraint.range(of: "!=") {
            equals = false
            parts = [constraint[..<range.lowerBound], constraint[range.upperBound...]]
        } else {
            return nil
        }
        let key = parts[0].trimmingCharacters(in: .whitespaces)
        let expected = parts[1].trimmingCharacters(in: .whitespaces).lowercased()
        guard !expected.isEmpty else { return nil }
        let actual: String?
        switch key.lowercased() {
        case "node.id": actual = node.id
        case "node.hostname": actual = node.description?.hostname
        case "node.role": actual = node.spec?.role?.rawValue
        case "node.platform.os": actual = node.description?.platform?.os
        case "node.platform.arch": actual = node.description?.platform?.architecture
        default:
            if key.lowercased().hasPrefix("node.labels."), key.count > "node.labels.".count {
                actual = node.spec?.labels?[String(key.dropFirst("node.labels.".count))]
            } else if key.lowercased().hasPrefix("engine.labels."), key.count > "engine.labels.".count {
                actual = node.description?.engine?.labels?[String(key.dropFirst("engine.labels.".count))]
            } else {
                return nil
            }
        }
        let matches = actual.map { $0.lowercased() == expected } ?? false
        return equals ? matches : !matches
    }
}
