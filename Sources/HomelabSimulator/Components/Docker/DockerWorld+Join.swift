import HomelabCore

extension DockerWorld {
    /// A new machine's engine joining the swarm (what `POST /swarm/join` on that machine does): with the current
    /// worker or manager token it appears in the node list, ready, active, without labels, as the role the token
    /// gives. The simulated engine answers only as the leader, so tests (and the simulated provisioning) call this.
    /// - Throws: ``HomelabError/Code/unauthorized`` for a token that is not the swarm's; `.conflict` when a ready node
    ///   with that hostname is already in the swarm.
    public func join(_ node: Homelab.Node, token: String) throws {
        let role: Homelab.Node.Role
        if token == cluster.joinTokens.worker?.reveal() {
            role = .worker
        } else if token == cluster.joinTokens.manager?.reveal() {
            role = .manager
        } else {
            throw HomelabError(.unauthorized, "the join token is not this swarm's (rotated, or another swarm's)", component: "simulator")
        }
        if nodes.contains(where: { $0.description?.hostname == node.name && $0.status?.state == .ready }) {
            throw HomelabError(.conflict, "\(node.name) is already part of the swarm", component: "simulator")
        }
        var joining = node
        joining.role = role
        joining.labels = [:]
        addNode(joining, isLeader: false)
    }
}
