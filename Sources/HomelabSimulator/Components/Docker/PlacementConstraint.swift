import Foundation
import HomelabCore

/// One placement constraint (`node.hostname == barbary`, `node.labels.storage != zfs`), evaluated as swarmkit's
/// scheduler does: `==` or `!=`, values compared case-insensitively, a missing label never equal.
struct PlacementConstraint: Sendable, Hashable {
    /// What the constraint looks at.
    enum Key: Sendable, Hashable {
        case nodeID, hostname, role, os, architecture
        case nodeLabel(String)
        case engineLabel(String)
    }

    let key: Key
    let equals: Bool
    let value: String

    /// Parses one constraint expression.
    /// - Throws: ``DockerAPIError`` 400 with swarmkit's wording when it is not `key==value` or `key!=value` on a known key.
    init(parsing text: String) throws {
        let (keyText, equals, value): (Substring, Bool, Substring)
        if let range = text.range(of: "==") {
            (keyText, equals, value) = (text[..<range.lowerBound], true, text[range.upperBound...])
        } else if let range = text.range(of: "!=") {
            (keyText, equals, value) = (text[..<range.lowerBound], false, text[range.upperBound...])
        } else {
            throw DockerAPIError.invalidArgument("invalid constraint: constraint expected one operator from ==, !=")
        }
        let name = keyText.trimmingCharacters(in: .whitespaces).lowercased()
        let trimmedValue = value.trimmingCharacters(in: .whitespaces)
        guard !trimmedValue.isEmpty else {
            throw DockerAPIError.invalidArgument("invalid constraint: value of constraint \(text) is empty")
        }
        switch name {
        case "node.id": key = .nodeID
        case "node.hostname": key = .hostname
        case "node.role": key = .role
        case "node.platform.os": key = .os
        case "node.platform.arch": key = .architecture
        default:
            let original = keyText.trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("node.labels."), name.count > "node.labels.".count {
                key = .nodeLabel(String(original.dropFirst("node.labels.".count)))
            } else if name.hasPrefix("engine.labels."), name.count > "engine.labels.".count {
                key = .engineLabel(String(original.dropFirst("engine.labels.".count)))
            } else {
                throw DockerAPIError.invalidArgument("invalid constraint: constraint key \(original) is not supported")
            }
        }
        self.equals = equals
        self.value = trimmedValue
    }

    /// Whether `node` satisfies the constraint.
    func isSatisfied(by node: Swarm.Node) -> Bool {
        let actual: String?
        switch key {
        case .nodeID: actual = node.id
        case .hostname: actual = node.description?.hostname
        case .role: actual = node.spec?.role?.rawValue
        case .os: actual = node.description?.platform?.os
        case .architecture: actual = node.description?.platform?.architecture
        case .nodeLabel(let label): actual = node.spec?.labels?[label]
        case .engineLabel(let label): actual = node.description?.engine?.labels?[label]
        }
        let matches = actual.map { $0.lowercased() == value.lowercased() } ?? false
        return equals ? matches : !matches
    }

    /// Parses every constraint of a placement.
    /// - Throws: ``DockerAPIError`` for the first malformed one.
    static func all(_ placement: Swarm.Placement?) throws -> [PlacementConstraint] {
        try (placement?.constraints ?? []).map { try PlacementConstraint(parsing: $0) }
    }
}
