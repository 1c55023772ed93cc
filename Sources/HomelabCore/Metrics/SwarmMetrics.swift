/// The swarm's state as metric families: nodes (state, availability, role, manager reachability), services
/// (desired and running replicas, update state) with their stack and tier from the inventory, and tasks by state.
///
/// A pure function of what the Docker API answered; no I/O here.
public enum SwarmMetrics {
    /// The families for one listing of nodes, services (their summaries: everything here is a listing's field)
    /// and tasks.
    public static func families(
        nodes: [Swarm.Node], services: [Swarm.ServiceSummary], tasks: [Swarm.Task], homelab: Homelab
    ) -> [MetricFamily] {
        nodeFamilies(nodes) + serviceFamilies(services, tasks: tasks, homelab: homelab) + taskFamilies(tasks)
    }

    static func nodeFamilies(_ nodes: [Swarm.Node]) -> [MetricFamily] {
        var state = MetricFamily("homelab_swarm_node_state", help: "Node state as Docker reports it (one-hot: 1 for the current state).")
        var availability = MetricFamily(
            "homelab_swarm_node_availability", help: "Node availability set by the operator (one-hot: active, pause, drain).")
        var role = MetricFamily("homelab_swarm_node_role", help: "Node role (one-hot: manager, worker).")
        var reachability = MetricFamily(
            "homelab_swarm_node_manager_reachability",
            help: "Manager node reachability in the Raft cluster (one-hot: reachable, unreachable, unknown); managers only.")
        var leader = MetricFamily("homelab_swarm_node_leader", help: "1 for the manager that leads the Raft cluster, else 0.")
        for node in nodes {
            let name = node.spec?.name ?? node.description?.hostname ?? node.id ?? "unknown"
            oneHot(&state, node: name, label: "state", current: node.status?.state?.rawValue ?? "unknown",
                   known: Swarm.NodeState.knownCases.map(\.rawValue))
            oneHot(&availability, node: name, label: "availability", current: node.spec?.availability?.rawValue ?? "unknown",
                   known: Swarm.NodeAvailability.knownCases.map(\.rawValue))
            oneHot(&role, node: name, label: "role", current: node.spec?.role?.rawValue ?? "unknown",
                   known: Swarm.NodeRole.knownCases.map(\.rawValue))
            if let manager = node.managerStatus {
                oneHot(&reachability, node: name, label: "reachability", current: manager.reachability?.rawValue ?? "unknown",
                       known: Swarm.Reachability.knownCases.map(\.rawValue))
                leader.add(manager.leader == true ? 1 : 0, ["node": name])
            }
        }
        return [state, availability, role, reachability, leader]
    }

    static func serviceFamilies(_ services: [Swarm.ServiceSummary], tasks: [Swarm.Task], homelab: Homelab) -> [MetricFamily] {
        var desired = MetricFamily(
            "homelab_swarm_service_replicas_desired", help: "Tasks the service should run (replicas, or one per eligible node for global services).")
        var running = MetricFamily("homelab_swarm_service_replicas_running", help: "Tasks of the service running now.")
        var update = MetricFamily(
            "homelab_swarm_service_update_state",
            help: "State of the service's last rolling update (one-hot; none when it was never updated).")
        var info = MetricFamily("homelab_swarm_service_info", help: "Service image and mode (value 1).")
        let inventory = Dictionary(homelab.services.map { ($0.swarmName, $0) }, uniquingKeysWith: { first, _ in first })
        var runningByService: [String: Int] = [:]
        var desiredByService: [String: Int] = [:]
        for task in tasks {
            guard let service = task.serviceID else { continue }
            if task.status?.state == .running { runningByService[service, default: 0] += 1 }
            if task.desiredState == .running { desiredByService[service, default: 0] += 1 }
        }
        let updateStates = ["none"] + Swarm.UpdateState.knownCases.map(\.rawValue)
        for service in services {
            let name = service.name ?? service.id ?? "unknown"
            let known = inventory[name]
            let stack = known?.stack ?? service.labels?["com.docker.stack.namespace"] ?? ""
            let labels = [MetricFamily.Label("service", name), .init("stack", stack), .init("tier", known?.tier ?? "")]
            let id = service.id ?? ""
            let wanted: Double
            if let tasks = service.serviceStatus?.desiredTasks {
                wanted = Double(tasks)
            } else if case .replicated(let replicas)? = service.mode {
                wanted = Double(replicas ?? 1)
            } else {
                wanted = Double(desiredByService[id] ?? 0)
            }
            desired.add(wanted, labels: labels)
            running.add(Double(service.serviceStatus?.runningTasks.map(Int.init) ?? runningByService[id] ?? 0), labels: labels)
            let current = service.updateStatus?.state?.rawValue ?? "none"
            for state in updateStates {
                update.add(state == current ? 1 : 0, labels: labels + [.init("state", state)])
            }
            if !updateStates.contains(current) { update.add(1, labels: labels + [.init("state", current)]) }
            info.add(1, labels: labels + [.init("image", service.image ?? ""), .init("mode", mode(service))])
        }
        return [desired, running, update, info]
    }

    static func taskFamilies(_ tasks: [Swarm.Task]) -> [MetricFamily] {
        var counts: [String: Int] = [:]
        for task in tasks { counts[task.status?.state?.rawValue ?? "unknown", default: 0] += 1 }
        var family = MetricFamily("homelab_swarm_tasks", help: "Tasks in the swarm by their current state.")
        var states = Swarm.TaskState.knownCases.map(\.rawValue)
        states += counts.keys.filter { !states.contains($0) }.sorted()
        for state in states { family.add(Double(counts[state] ?? 0), ["state": state]) }
        return [family]
    }

    private static func oneHot(_ family: inout MetricFamily, node: String, label: String, current: String, known: [String]) {
        for value in known { family.add(value == current ? 1 : 0, labels: [.init("node", node), .init(label, value)]) }
        if !known.contains(current) { family.add(1, labels: [.init("node", node), .init(label, current)]) }
    }

    private static func mode(_ service: Swarm.ServiceSummary) -> String {
        switch service.mode {
        case .replicated?: return "replicated"
        case .global?: return "global"
        case .replicatedJob?: return "replicated-job"
        case .globalJob?: return "global-job"
        case .unknown?, nil: return "unknown"
        }
    }
}
