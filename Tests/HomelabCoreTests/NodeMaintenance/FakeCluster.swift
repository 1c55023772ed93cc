import Foundation
import HomelabCore

/// Builders for swarm snapshots and inventories used by the node maintenance tests.
enum MaintenanceFixture {
    static func node(
        _ name: String, manager: Bool = false, leader: Bool = false, state: Swarm.NodeState = .ready,
        availability: Swarm.NodeAvailability = .active, reachability: Swarm.Reachability? = nil
    ) -> Swarm.Node {
        Swarm.Node(
            id: "id-\(name)", version: Swarm.ObjectVersion(index: 1),
            spec: Swarm.NodeSpec(name: nil, role: manager ? .manager : .worker, availability: availability),
            description: Swarm.NodeDescription(hostname: name), status: Swarm.NodeStatus(state: state, addr: "10.0.0.1"),
            managerStatus: manager
                ? Swarm.ManagerStatus(leader: leader, reachability: reachability ?? (state == .ready ? .reachable : .unreachable))
                : nil)
    }

    /// `count` managers `m1...` (m1 leads) and the named workers.
    static func swarm(managers count: Int, workers: [String] = [], down: Set<String> = []) -> [Swarm.Node] {
        (1..<(count + 1)).map { i in
            node("m\(i)", manager: true, leader: i == 1, state: down.contains("m\(i)") ? .down : .ready)
        } + workers.map { node($0, state: down.contains($0) ? .down : .ready) }
    }

    static func service(_ name: String, constraints: [String], replicas: UInt64 = 1) -> Swarm.Service {
        Swarm.Service(
            id: "svc-\(name)",
            spec: Swarm.ServiceSpec(
                name: name, taskTemplate: Swarm.TaskSpec(placement: Swarm.Placement(constraints: constraints)),
                mode: .replicated(replicas: replicas)))
    }

    /// An inventory naming every node of `nodes`, with the given services in one stack `apps`.
    static func homelab(_ nodes: [Swarm.Node], services: [Homelab.Service] = []) -> Homelab {
        Homelab(
            name: "test",
            nodes: nodes.map { node in
                Homelab.Node(
                    name: node.nodeName, role: ManagerQuorum.isManager(node) ? .manager : .worker, platform: .bareMetal,
                    address: "192.0.2.1", ssh: .init(user: "ops", port: 22))
            },
            tiers: ["apps"], stacks: [Homelab.Stack(name: "apps", tier: "apps", services: services)])
    }

    static func options(
        _ command: String = "apt-get -y upgrade", reboot: Bool = false, confirm: Bool = false,
        allowQuorumLoss: Bool = false, workerBudget: Int = 1, timeout: Duration = .seconds(5)
    ) -> NodeMaintenanceOptions {
        NodeMaintenanceOptions(
            command: command, expectsReboot: reboot, confirmStatefulDrain: confirm, allowQuorumLoss: allowQuorumLoss,
            workerBudget: workerBudget, drainTimeout: timeout, commandTimeout: timeout, downTimeout: timeout,
            readyTimeout: timeout, pollInterval: .milliseconds(5))
    }
}

/// An in-memory swarm and SSH shell in one: records every call in order, runs tasks that stop some polls
/// after a drain, and reboots nodes when the command says so.
actor FakeCluster: NodeMaintenanceSwarm, NodeMaintenanceShell {
    /// What the command does on one node.
    enum Command {
        /// Exits 0 printing `stdout`.
        case succeed(stdout: String)
        /// Exits with `status`, printing `stderr`.
        case exit(status: Int32, stderr: String)
        /// Reboots: the connection drops (`.connectionFailed`) and the node is down for `downPolls` inspections.
        case rebootDropping(downPolls: Int)
        /// Reboots: exits 0 first, then the node is down for `downPolls` inspections.
        case rebootExiting(downPolls: Int)
        /// Reboots and never comes back.
        case rebootForever
        /// Exits 0 and does not reboot.
        case noReboot
        /// Fails before the command runs (host key, authentication).
        case sshError(HomelabError)
    }

    private(set) var nodes: [String: Swarm.Node] = [:]
    private(set) var journal: [String] = []
    /// Per node: inspections left while down after a reboot (`Int.max`: forever).
    private var downFor: [String: Int] = [:]
    /// Per node: how many task polls after the drain still show a running task (`Int.max`: never stop).
    private var tasksStopAfter: [String: Int] = [:]
    private var commands: [String: Command] = [:]
    private var drained: Set<String> = []
    private(set) var maxDrainedManagers = 0
    private(set) var maxDrainedWorkers = 0
    /// A pause inside every drain, so nodes of one batch overlap.
    private let stepDelay: Duration

    init(nodes: [Swarm.Node], stepDelay: Duration = .milliseconds(20)) {
        for node in nodes { self.nodes[node.nodeName] = node }
        self.stepDelay = stepDelay
    }

    func set(_ node: String, command: Command) { commands[node] = command }
    func set(_ node: String, tasksStopAfter polls: Int) { tasksStopAfter[node] = polls }
    /// Takes the node with this ID down (unreachable, for a manager).
    func markDown(_ id: String) {
        guard let name = nodes.first(where: { $0.value.id == id })?.key else { return }
        nodes[name]?.status?.state = .down
        if nodes[name]?.managerStatus != nil { nodes[name]?.managerStatus?.reachability = .unreachable }
    }
    /// The journal entries about `node`, without the node name.
    func steps(_ node: String) -> [String] {
        journal.filter { $0.hasSuffix(" \(node)") }.map { String($0.dropLast(node.count + 1)) }
    }

    private func name(ofID id: String) throws -> String {
        guard let name = nodes.first(where: { $0.value.id == id })?.key else {
            throw HomelabError(.notFound, "no node \(id)", component: "fake")
        }
        return name
    }

    func maintenanceNodes() async throws -> [Swarm.Node] {
        journal.append("list")
        return nodes.values.sorted { $0.nodeName < $1.nodeName }
    }

    func maintenanceNode(_ id: String) async throws -> Swarm.Node {
        let name = try name(ofID: id)
        if let left = downFor[name] {
            if left == 0 {
                downFor[name] = nil
                nodes[name]?.status?.state = .ready
            } else {
                nodes[name]?.status?.state = .down
                if left != Int.max { downFor[name] = left - 1 }
            }
        }
        let state = nodes[name]?.status?.state?.rawValue ?? "?"
        if journal.last != "inspect:\(state) \(name)" { journal.append("inspect:\(state) \(name)") }
        guard let node = nodes[name] else { throw HomelabError(.notFound, "no node \(id)", component: "fake") }
        return node
    }

    func setAvailability(ofNode id: String, to availability: Swarm.NodeAvailability) async throws {
        let name = try name(ofID: id)
        journal.append("\(availability.rawValue) \(name)")
        nodes[name]?.spec?.availability = availability
        if availability == .drain {
            drained.insert(name)
            let managers = drained.filter { nodes[$0].map(ManagerQuorum.isManager) ?? false }.count
            maxDrainedManagers = max(maxDrainedManagers, managers)
            maxDrainedWorkers = max(maxDrainedWorkers, drained.count - managers)
            try await Task.sleep(for: stepDelay)
        } else {
            drained.remove(name)
        }
    }

    func tasks(onNode id: String) async throws -> [Swarm.Task] {
        let name = try name(ofID: id)
        if journal.last != "tasks \(name)" { journal.append("tasks \(name)") }
        let drainedNow = nodes[name]?.spec?.availability == .drain
        var left = tasksStopAfter[name] ?? 1
        if drainedNow, left != Int.max, left > 0 {
            left -= 1
            tasksStopAfter[name] = left
        }
        let running = !drainedNow || left > 0
        return [
            Swarm.Task(
                id: "task-\(name)", name: "web.1", nodeID: id, status: Swarm.TaskStatus(state: running ? .running : .shutdown),
                desiredState: drainedNow ? .shutdown : .running)
        ]
    }

    func run(_ command: String, on node: Homelab.Node, timeout: Duration) async throws -> SSHCommandResult {
        journal.append("command \(node.name)")
        func result(_ status: Int32?, out: String = "", err: String = "") -> SSHCommandResult {
            SSHCommandResult(
                command: command, stdout: Array(out.utf8), stderr: Array(err.utf8), exitStatus: status, duration: .zero)
        }
        switch commands[node.name] ?? .succeed(stdout: "upgraded\n") {
        case .succeed(let stdout): return result(0, out: stdout)
        case .noReboot: return result(0)
        case .exit(let status, let stderr): return result(status, err: stderr)
        case .rebootDropping(let polls):
            downFor[node.name] = polls
            throw HomelabError(.connectionFailed, "connection reset by peer", component: "ssh")
        case .rebootExiting(let polls):
            downFor[node.name] = polls
            return result(0, out: "rebooting\n")
        case .rebootForever:
            downFor[node.name] = Int.max
            throw HomelabError(.connectionFailed, "connection reset by peer", component: "ssh")
        case .sshError(let error):
            throw error
        }
    }
}
