import HomelabCore

/// The homelab's machines as every simulated component sees them: one table of nodes and their power.
///
/// Components follow it rather than keeping their own: Docker takes a powered-off node's swarm node down and
/// reschedules its tasks; a hypervisor that stops a VM powers the node off here, and Docker sees it.
public actor SimulatedNodes {
    /// Whether a machine is on.
    public enum Power: String, Sendable, Hashable, Codable {
        /// Running.
        case on
        /// Powered off (or cut off: no heartbeat, no answers).
        case off
    }

    /// One machine of the homelab.
    public struct Node: Sendable, Hashable, Codable {
        /// The inventory name (the swarm node's hostname).
        public let name: String
        /// Its loopback address in the simulation (127.10.0.x).
        public let address: String
        /// Whether it is on.
        public var power: Power
    }

    /// Called after a node's power changed, with the node's name and its new power.
    typealias Observer = @Sendable (String, Power) async -> Void

    private var nodes: [Node]
    private var positions: [String: Int]
    private var observers: [Observer] = []

    /// Every node of `homelab`, powered on.
    init(homelab: Homelab) {
        nodes = homelab.nodes.map { Node(name: $0.name, address: $0.address, power: .on) }
        positions = Dictionary(nodes.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every node, in inventory order.
    public var all: [Node] { nodes }

    /// The node called `name`, if the homelab has one.
    public func node(_ name: String) -> Node? { positions[name].map { nodes[$0] } }

    /// Powers `name` on or off and tells every component; nothing happens when it already is.
    /// - Throws: ``HomelabError/Code/notFound`` for a node the homelab does not have.
    public func setPower(_ name: String, _ power: Power) async throws {
        guard let position = positions[name] else {
            throw HomelabError(.notFound, "the homelab has no node '\(name)'", component: "simulator")
        }
        guard nodes[position].power != power else { return }
        nodes[position].power = power
        for observer in observers { await observer(name, power) }
    }

    /// Adds `observer`, called after every power change.
    func observe(_ observer: @escaping Observer) { observers.append(observer) }
}
