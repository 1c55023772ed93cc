import Foundation
import HomelabCore

/// The JSON shape of `homelab status -o json` (the README's table): the nodes, every inventory service with its
/// tier and live state, each component's probe, and whether everything is up.
struct StatusJSON: Encodable {
    struct Node: Encodable {
        var name, role, availability, state: String
        var platform: String?
        var leader: Bool
    }

    struct Service: Encodable {
        var name, stack, swarm_name, tier: String
        var running, desired: Int
        var image: String?
        var update_state: String?
        var pinned_node: String?
        var health: String
    }

    struct Component: Encodable {
        var kind, endpoint, state, detail: String
        var version: String?
        var elapsed_seconds: Double
    }

    var name: String
    var all_up: Bool
    var swarm_failure: String?
    var nodes: [Node]
    var services: [Service]
    var components: [Component]

    init(_ overview: HomelabOverview, name: String) {
        self.name = name
        all_up = overview.isAllUp
        swarm_failure = overview.swarmFailure
        nodes = overview.nodes.map {
            Node(name: $0.name, role: $0.role, availability: $0.availability, state: $0.state, platform: $0.platform, leader: $0.isLeader)
        }
        services = overview.tiers.flatMap { tier in
            tier.services.map {
                Service(
                    name: $0.name, stack: $0.stack, swarm_name: $0.swarmName, tier: tier.name, running: $0.running,
                    desired: $0.desired, image: $0.image, update_state: $0.updateState, pinned_node: $0.pinnedNode,
                    health: $0.health.rawValue)
            }
        }
        components = overview.components.map { row in
            var version: String?
            let state: String
            switch row.state {
            case .up(let answered):
                state = "up"
                version = answered
            case .credentialsRejected: state = "credentials_rejected"
            case .down: state = "down"
            case .notConfigured: state = "not_configured"
            }
            return Component(
                kind: row.kind.rawValue, endpoint: row.endpoint, state: state, detail: row.detail, version: version,
                elapsed_seconds: (row.elapsed.seconds * 1000).rounded() / 1000)
        }
    }

    /// What `-q` prints: each component that is not up and each service that is not healthy.
    var notUp: [String] {
        components.filter { $0.state == "down" || $0.state == "credentials_rejected" }.map(\.kind)
            + services.filter { $0.health != "healthy" }.map(\.swarm_name)
    }
}
