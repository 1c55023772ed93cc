import Foundation

/// The swarm steps: join with a manager's token, the inventory's labels, Komodo deploying the stacks that now fit.
extension NodeProvisioning {
    /// The swarm's record of `node`: the ready entry whose hostname is the node's name, else whose address is the
    /// node's address (a node that joined earlier and went down leaves a `down` entry behind, which is passed over).
    static func find(_ node: Homelab.Node, in nodes: [Swarm.Node]) -> Swarm.Node? {
        let ready = nodes.filter { $0.status?.state == .ready }
        return ready.first { $0.description?.hostname == node.name } ?? ready.first { $0.status?.addr == node.address }
    }

    /// Joins the node unless the swarm has it already; waits until the manager lists it ready.
    func join(_ node: Homelab.Node) async throws -> (Bool, String) {
        let manager = parts.manager
        let nodes = try await manager.nodes.list(logger: logger)
        if let existing = Self.find(node, in: nodes) {
            return (false, "already in the swarm as \(existing.id ?? "?") (\(existing.spec?.role?.rawValue ?? "?"))")
        }
        let tokens = try await manager.swarm.joinTokens(logger: logger)
        guard let token = node.role == .manager ? tokens.manager : tokens.worker, !token.isEmpty else {
            throw HomelabError(.decodingFailed, "the manager gave no \(node.role.rawValue) join token", component: "docker")
        }
        let managers = nodes.filter { $0.managerStatus != nil && $0.managerStatus?.reachability != .unreachable }
            .sorted { ($0.managerStatus?.leader ?? false) && !($1.managerStatus?.leader ?? false) }
        let remotes = managers.compactMap(\.managerStatus?.addr)
        guard !remotes.isEmpty else {
            throw HomelabError(.unavailable, "the swarm lists no reachable manager address to join through", component: "docker")
        }
        let request = Swarm.SwarmJoinRequest(listenAddr: "0.0.0.0:2377", remoteAddrs: remotes, joinToken: token, advertiseAddr: node.address)
        try await parts.joiner.join(node, request, timeout: timeouts.join)
        let clock = ContinuousClock()
        let joined = try await poll(
            "\(node.name) to be ready in the swarm", component: "docker", every: PollSchedule(initial: .milliseconds(200), maximum: .seconds(2)),
            deadline: clock.now + timeouts.join, clock: clock
        ) { Self.find(node, in: try await manager.nodes.list(logger: logger)) }
        return (true, "joined as a \(node.role.rawValue) through \(remotes[0]); node \(joined.id ?? "?") ready")
    }

    /// Sets the inventory labels the node lacks (others it has are kept), through the node's versioned update.
    func label(_ node: Homelab.Node) async throws -> (Bool, String) {
        guard let swarmNode = Self.find(node, in: try await parts.manager.nodes.list(logger: logger)), let id = swarmNode.id else {
            throw HomelabError(.notFound, "\(node.name) is not a ready node of the swarm", component: "docker")
        }
        let current = swarmNode.spec?.labels ?? [:]
        let missing = node.labels.filter { current[$0.key] != $0.value }
        if node.labels.isEmpty { return (false, "the inventory gives \(node.name) no labels") }
        let text = { (labels: [String: String]) in labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") }
        if missing.isEmpty { return (false, "labels in place: \(text(node.labels))") }
        try await parts.manager.nodes.setLabels(id, missing.mapValues { Optional($0) }, logger: logger)
        return (true, "set \(text(missing))")
    }

    /// The stacks with a service whose placement constraints are not empty and all hold on the node.
    static func fittingStacks(for swarmNode: Swarm.Node, services: [Swarm.Service]) -> [String] {
        var stacks: Set<String> = []
        for service in services {
            guard let spec = service.spec, let stack = spec.labels?["com.docker.stack.namespace"] else { continue }
            let constraints = spec.taskTemplate?.placement?.constraints ?? []
            if !constraints.isEmpty, PlacementFit.satisfies(constraints, node: swarmNode) { stacks.insert(stack) }
        }
        return stacks.sorted()
    }

    /// Komodo deploys each stack (that it manages) whose constraints the node now satisfies, waiting for each.
    func deploy(_ node: Homelab.Node, komodo: KomodoClient) async throws -> (Bool, String) {
        let manager = parts.manager
        guard let swarmNode = Self.find(node, in: try await manager.nodes.list(logger: logger)) else {
            throw HomelabError(.notFound, "\(node.name) is not a ready node of the swarm", component: "docker")
        }
        let fitting = Self.fittingStacks(for: swarmNode, services: try await manager.services.list(status: false, logger: logger))
        let managed = Set(try await komodo.stacks.list(logger: logger).map(\.name))
        let deploy = fitting.filter(managed.contains)
        let unmanaged = fitting.filter { !managed.contains($0) }
        let note = unmanaged.isEmpty ? "" : "; not in Komodo: \(unmanaged.joined(separator: ", "))"
        guard !deploy.isEmpty else { return (false, "no Komodo stack has constraints that select \(node.name)\(note)") }
        for stack in deploy {
            let started = try await komodo.stacks.deploy(stack, logger: logger)
            let finished = try await komodo.waitForUpdate(started, timeout: timeouts.deploy, logger: logger)
            guard finished.success else {
                throw HomelabError(
                    .commandFailed, "Komodo's deploy of \(stack) failed: \(finished.failureText ?? "no reason given")", component: "komodo")
            }
        }
        return (true, "deployed \(deploy.joined(separator: ", "))\(note)")
    }
}
