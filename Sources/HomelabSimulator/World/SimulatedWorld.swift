import HomelabCore

/// The state every simulated component shares, so that one component's action shows in the others: the
/// nodes and their power (a hypervisor stopping a VM takes its swarm node down).
public final class SimulatedWorld: Sendable {
    /// The homelab's machines and their power.
    public let nodes: SimulatedNodes

    /// The world of `homelab` (node addresses already on loopback), every node on.
    init(homelab: Homelab) {
        nodes = SimulatedNodes(homelab: homelab)
    }
}
