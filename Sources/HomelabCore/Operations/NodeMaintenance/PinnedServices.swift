import Foundation

/// A service that cannot move off a node: draining the node stops it until the node is active again.
public struct PinnedService: Sendable, Hashable {
    /// The service's Swarm name (`<stack>_<service>`) when known, else its inventory name.
    public var name: String
    /// Why it counts as pinned: `stateful, pinned in the inventory`, `constraint node.hostname==barbary`.
    public var reasons: [String]

    /// A pinned service.
    public init(name: String, reasons: [String]) {
        self.name = name
        self.reasons = reasons
    }
}

/// Finds the pinned stateful services each node holds, from the inventory (`stateful` with `pinnedNode`) and
/// from the live services' placement constraints (`node.hostname==NAME`, `node.id==ID`).
///
/// Only equality constraints on the node's hostname or ID count; a label constraint that happens to match one
/// node is not detected. Services scaled to zero replicas hold nothing and are left out.
public enum PinnedServices {
    /// The pinned services per node name (the node's hostname), services sorted by name; nodes without any are
    /// left out.
    public static func byNode(nodes: [Swarm.Node], services: [Swarm.Service], homelab: Homelab?) -> [String: [PinnedService]] {
        var found: [String: [String: [String]]] = [:]  // node -> service -> reasons
        func add(_ node: String, _ service: String, _ reason: String) {
            var reasons = found[node, default: [:]][service, default: []]
            if !reasons.contains(reason) { reasons.append(reason) }
            found[node, default: [:]][service] = reasons
        }
        let liveNames = Set(services.compactMap(\.spec?.name))
        for service in homelab?.services ?? [] where service.isStateful {
            guard let node = service.pinnedNode else { continue }
            let name = liveNames.contains(service.swarmName) || !liveNames.contains(service.name) ? service.swarmName : service.name
            add(node, name, "stateful, pinned to \(node) in the inventory")
        }
        for service in services {
            guard let spec = service.spec, let name = spec.name, spec.mode?.replicas != 0 else { continue }
            for constraint in spec.taskTemplate?.placement?.constraints ?? [] {
                for node in nodes where pins(constraint, to: node) {
                    add(node.nodeName, name, "constraint \(constraint.filter { $0 != " " })")
                }
            }
        }
        return found.mapValues { services in
            services.map { PinnedService(name: $0.key, reasons: $0.value) }.sorted { $0.name < $1.name }
        }
    }

    /// Whether a placement constraint (`node.hostname==x`, `node.id==y`, spaces allowed) names `node`.
    /// Hostnames compare case-insensitively, as swarmkit does; IDs exactly.
    public static func pins(_ constraint: String, to node: Swarm.Node) -> Bool {
        let parts = constraint.components(separatedBy: "==")
        guard parts.count == 2 else { return false }
        let key = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { return false }
        switch key {
        case "node.hostname":
            guard let hostname = node.description?.hostname ?? node.spec?.name else { return false }
            return hostname.lowercased() == value.lowercased()
        case "node.id":
            return node.id == value
        default:
            return false
        }
    }
}

extension Swarm.Node {
    /// The name the homelab knows the node by: its hostname (the inventory's node name), else its spec name,
    /// else its ID.
    public var nodeName: String { description?.hostname ?? spec?.name ?? id ?? "?" }
}
