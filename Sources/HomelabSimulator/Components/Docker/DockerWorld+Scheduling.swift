import Foundation
import HomelabCore

/// The orchestrators and the scheduler: how many tasks each service should have, and on which node.
extension DockerWorld {
    func addLoad(_ nodeID: String?) {
        guard let nodeID else { return }
        nodeLoad[nodeID, default: 0] += 1
    }

    func releaseLoad(_ nodeID: String?) {
        guard let nodeID, let load = nodeLoad[nodeID] else { return }
        nodeLoad[nodeID] = max(0, load - 1)
    }

    /// Whether new tasks of a service with `constraints` may be placed on `node` (active, ready, constraints met).
    func accepts(_ node: Swarm.Node, _ constraints: [PlacementConstraint]) -> Bool {
        node.spec?.availability == .active && node.status?.state == .ready && constraints.allSatisfy { $0.isSatisfied(by: node) }
    }

    /// Whether tasks already on `node` may stay there (not drained, not down, constraints still met).
    func keeps(_ node: Swarm.Node?, _ constraints: [PlacementConstraint]) -> Bool {
        guard let node else { return false }
        return node.spec?.availability != .drain && node.status?.state != .down
            && constraints.allSatisfy { $0.isSatisfied(by: node) }
    }

    /// The node a new task of the service goes to: among nodes that accept it, the one with the fewest tasks of
    /// this service, then the fewest tasks overall (swarmkit's spread); `nil` when no node qualifies.
    func chooseNode(serviceID: String) -> String? {
        guard let service = services[serviceID] else { return nil }
        let constraints = (try? PlacementConstraint.all(service.spec.taskTemplate?.placement)) ?? []
        var ofService: [String: Int] = [:]
        for id in service.taskIDs {
            if let record = tasks[id], record.isRunnable, let node = record.nodeID { ofService[node, default: 0] += 1 }
        }
        var best: (id: String, own: Int, total: Int)?
        for node in nodes where accepts(node, constraints) {
            guard let id = node.id else { continue }
            let candidate = (id: id, own: ofService[id] ?? 0, total: nodeLoad[id] ?? 0)
            if let current = best, (current.own, current.total) <= (candidate.own, candidate.total) { continue }
            best = candidate
        }
        return best?.id
    }

    /// Brings a service's tasks in line with its spec and the nodes: missing slots get tasks, surplus slots
    /// stop, tasks on drained or down nodes (or nodes that no longer meet the constraints) move elsewhere.
    /// With `alreadyRunning`, new tasks start out running (seeding).
    func reconcile(_ serviceID: String, alreadyRunning: Bool = false) {
        guard let service = services[serviceID] else { return }
        let spec = service.spec
        let constraints = (try? PlacementConstraint.all(spec.taskTemplate?.placement)) ?? []
        let runnable = service.taskIDs.compactMap { tasks[$0] }.filter(\.isRunnable)
        switch spec.mode ?? .replicated(replicas: 1) {
        case .global:
            var covered: Set<String> = []
            for record in runnable {
                guard case .node(let nodeID) = record.slot else { continue }
                if keeps(node(nodeID), constraints) {
                    covered.insert(nodeID)
                } else {
                    setDesiredState(record.id, .shutdown)
                }
            }
            for node in nodes where accepts(node, constraints) {
                guard let id = node.id, !covered.contains(id) else { continue }
                createTask(serviceID: serviceID, slot: .node(id), desired: .running, nodeID: id, alreadyRunning: alreadyRunning)
            }
        case .replicated(let replicas):
            let wanted = Int(replicas ?? 1)
            var occupied: Set<Int> = []
            for record in runnable {
                guard case .replica(let number) = record.slot else { continue }
                if number > wanted {
                    setDesiredState(record.id, .shutdown)
                } else if record.nodeID != nil, !keeps(node(record.nodeID), constraints) {
                    setDesiredState(record.id, .shutdown)
                } else {
                    occupied.insert(number)
                }
            }
            for number in 1...max(1, wanted) where wanted > 0 && !occupied.contains(number) {
                let node = chooseNode(serviceID: serviceID)
                createTask(
                    serviceID: serviceID, slot: .replica(number), desired: .running, nodeID: node,
                    alreadyRunning: alreadyRunning && node != nil)
            }
        default:
            break
        }
    }

    /// Places pending tasks that had no suitable node, now that the nodes changed.
    func retryPending() {
        for serviceID in serviceOrder {
            guard let service = services[serviceID] else { continue }
            for id in service.taskIDs {
                guard let record = tasks[id], record.isRunnable, record.nodeID == nil, place(id, serviceID: serviceID)
                else { continue }
                scheduleStep(id)
            }
        }
    }

    /// Puts an unplaced task on the node its service's constraints choose; `false` (and the task marked as
    /// waiting for a node) when none fits.
    func place(_ id: String, serviceID: String) -> Bool {
        guard let node = chooseNode(serviceID: serviceID) else {
            noteUnschedulable(id)
            return false
        }
        mutateTask(id) {
            $0.task.nodeID = node
            $0.task.status?.err = nil
        }
        addLoad(node)
        return true
    }

    /// Marks a pending task as waiting for a node, as the scheduler reports it.
    func noteUnschedulable(_ id: String) {
        let message = "no suitable node (scheduling constraints not satisfied on \(nodes.count) node\(nodes.count == 1 ? "" : "s"))"
        guard tasks[id]?.task.status?.err != message else { return }
        mutateTask(id) { $0.task.status?.err = message }
    }

    /// Re-runs every service's orchestrator and the scheduler (after a node changed).
    func reconcileAll() {
        for serviceID in serviceOrder { reconcile(serviceID) }
        retryPending()
    }

    // MARK: - Nodes

    /// `POST /nodes/{id}/update?version=`: replaces the node's spec (availability, role, labels).
    /// - Throws: ``DockerAPIError`` 404 for an unknown node, 500 "update out of sequence" for a stale version.
    func updateNode(_ nameOrID: String, version: UInt64, spec: Swarm.NodeSpec) throws {
        let position = try nodePosition(for: nameOrID)
        guard nodes[position].version?.index == version else { throw DockerAPIError.outOfSequence }
        var node = nodes[position]
        let role = spec.role ?? node.spec?.role ?? .worker
        node.spec = Swarm.NodeSpec(
            name: spec.name, labels: spec.labels ?? [:], role: role, availability: spec.availability ?? .active)
        if role == .manager, node.managerStatus == nil {
            node.managerStatus = Swarm.ManagerStatus(leader: false, reachability: .reachable, addr: (node.status?.addr ?? "") + ":2377")
        } else if role == .worker {
            guard node.managerStatus?.leader != true else {
                throw DockerAPIError.badRequest("rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm")
            }
            node.managerStatus = nil
        }
        node.version = Swarm.ObjectVersion(index: nextIndex())
        node.updatedAt = timestamp()
        nodes[position] = node
        reconcileAll()
    }

    /// `DELETE /nodes/{id}`: removes a node that is down (or any worker with `force`).
    /// - Throws: ``DockerAPIError`` 404 for an unknown node, 400 for a manager or a node still up.
    func removeNode(_ nameOrID: String, force: Bool) throws {
        let position = try nodePosition(for: nameOrID)
        let node = nodes[position]
        let id = node.id ?? ""
        if node.spec?.role == .manager {
            throw DockerAPIError.badRequest("rpc error: code = FailedPrecondition desc = node \(id) is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal")
        }
        if node.status?.state != .down, !force {
            throw DockerAPIError.badRequest("rpc error: code = FailedPrecondition desc = node \(id) is not down and can't be removed")
        }
        nodes.remove(at: position)
        nodePositions = Dictionary(uniqueKeysWithValues: nodes.enumerated().compactMap { item in item.element.id.map { ($0, item.offset) } })
        reconcileAll()
    }

    /// The hostname of the node called or identified by `nameOrID` (its name in the shared node table).
    /// - Throws: ``DockerAPIError`` 404 for an unknown node.
    func hostname(of nameOrID: String) throws -> String {
        let node = nodes[try nodePosition(for: nameOrID)]
        return node.description?.hostname ?? node.spec?.name ?? nameOrID
    }

    /// Takes a node down or brings it back, following the shared node table's power (a reboot, a power cut,
    /// a stopped VM).
    /// - Throws: ``DockerAPIError`` 404 for an unknown node, 400 for a state other than ready or down.
    func setNodeState(_ nameOrID: String, _ state: Swarm.NodeState) throws {
        let position = try nodePosition(for: nameOrID)
        guard state == .ready || state == .down else {
            throw DockerAPIError.badRequest("a simulated node can be made ready or down, not \(state)")
        }
        nodes[position].status?.state = state
        nodes[position].status?.message = state == .down ? "heartbeat failure" : nil
        if nodes[position].managerStatus != nil {
            nodes[position].managerStatus?.reachability = state == .down ? .unreachable : .reachable
        }
        nodes[position].version = Swarm.ObjectVersion(index: nextIndex())
        nodes[position].updatedAt = timestamp()
        let nodeID = nodes[position].id
        if state == .ready {
            // The agent is back: it reports the tasks it was told to stop, and carries on with the rest.
            for (id, record) in tasks where record.nodeID == nodeID && !record.isTerminal {
                scheduleStep(id)
            }
        }
        reconcileAll()
    }
}
