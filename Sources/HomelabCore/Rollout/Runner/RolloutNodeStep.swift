import Foundation

/// A node-maintenance step of a rollout, as journaled: which node, how to reach it, what to run, and whether the
/// command already ran (so a step resumed after a crash does not run it, and reboot, twice).
public struct RolloutNodeStep: Codable, Sendable, Hashable {
    /// The node's name (its hostname, as in the inventory).
    public var node: String
    /// The swarm node ID.
    public var nodeID: String
    /// Manager or worker.
    public var isManager: Bool
    /// Whether it led the Raft group when the rollout was planned.
    public var isLeader: Bool
    /// Where to log in: the inventory node's address, ssh user, port and identity file.
    public var address: String
    public var sshUser: String
    public var sshPort: Int
    public var identityFile: String?
    /// The command run over SSH once the node is drained.
    public var command: String
    /// The command reboots the node.
    public var expectsReboot: Bool
    /// Whether taking a manager down may cost the Raft quorum (chosen explicitly).
    public var allowQuorumLoss: Bool
    /// Seconds each phase may take (tasks stopping, the command, going down, coming back); `nil`: the defaults.
    public var timeoutSeconds: Double?
    /// Set (and journaled) once the command has finished.
    public var commandFinished: Bool
    /// Set (and journaled) just before the command is started: a resumed step whose command started but never
    /// finished does not run it again (it may have run partly, or wholly with its end unrecorded).
    public var commandStarted: Bool

    /// The step ID of a node's maintenance: `node:<name>` (never a Swarm service name, which has no colon).
    public static func stepID(node: String) -> String { "node:\(node)" }

    /// The step of `target` under `options`.
    public init(target: NodeMaintenancePlan.Target, options: NodeMaintenanceOptions, timeoutSeconds: Double? = nil) {
        node = target.name
        nodeID = target.id
        isManager = target.isManager
        isLeader = target.isLeader
        address = target.inventoryNode.address
        sshUser = target.inventoryNode.ssh.user
        sshPort = target.inventoryNode.ssh.port
        identityFile = target.inventoryNode.ssh.identityFile
        command = options.command
        expectsReboot = options.expectsReboot
        allowQuorumLoss = options.allowQuorumLoss
        self.timeoutSeconds = timeoutSeconds
        commandFinished = false
        commandStarted = false
    }

    private enum CodingKeys: String, CodingKey {
        case node, nodeID, isManager, isLeader, address, sshUser, sshPort, identityFile, command, expectsReboot
        case allowQuorumLoss, timeoutSeconds, commandFinished, commandStarted
    }

    /// Decodes a journaled step; journals written before `commandStarted` existed read as not started.
    /// - Throws: `DecodingError` for a malformed payload.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        node = try c.decode(String.self, forKey: .node)
        nodeID = try c.decode(String.self, forKey: .nodeID)
        isManager = try c.decode(Bool.self, forKey: .isManager)
        isLeader = try c.decode(Bool.self, forKey: .isLeader)
        address = try c.decode(String.self, forKey: .address)
        sshUser = try c.decode(String.self, forKey: .sshUser)
        sshPort = try c.decode(Int.self, forKey: .sshPort)
        identityFile = try c.decodeIfPresent(String.self, forKey: .identityFile)
        command = try c.decode(String.self, forKey: .command)
        expectsReboot = try c.decode(Bool.self, forKey: .expectsReboot)
        allowQuorumLoss = try c.decode(Bool.self, forKey: .allowQuorumLoss)
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        commandFinished = try c.decode(Bool.self, forKey: .commandFinished)
        commandStarted = try c.decodeIfPresent(Bool.self, forKey: .commandStarted) ?? commandFinished
    }

    /// The maintenance target this step describes.
    public var target: NodeMaintenancePlan.Target {
        NodeMaintenancePlan.Target(
            name: node, id: nodeID, isManager: isManager, isLeader: isLeader,
            inventoryNode: Homelab.Node(
                name: node, role: isManager ? .manager : .worker, platform: .bareMetal, address: address,
                ssh: Homelab.Node.SSHLogin(user: sshUser, port: sshPort, identityFile: identityFile), isLeader: isLeader),
            pinnedServices: [])
    }

    /// The options this step runs with (its drain was confirmed when the rollout was planned).
    public var options: NodeMaintenanceOptions {
        var options = NodeMaintenanceOptions(
            command: command, expectsReboot: expectsReboot, confirmStatefulDrain: true, allowQuorumLoss: allowQuorumLoss)
        if let timeoutSeconds, timeoutSeconds > 0 { options.limitEachPhase(to: .milliseconds(Int64(timeoutSeconds * 1000))) }
        return options
    }
}

/// What a rollout runner needs to maintain nodes: the swarm's node operations and a shell on each node.
public struct RolloutNodeTools: Sendable {
    /// Drain, inspect, activate.
    public var swarm: any NodeMaintenanceSwarm
    /// Runs the command on a node (over SSH).
    public var shell: any NodeMaintenanceShell
    /// How often nodes and their tasks are inspected while waiting.
    public var pollInterval: Duration

    /// Tools for node steps.
    public init(swarm: any NodeMaintenanceSwarm, shell: any NodeMaintenanceShell, pollInterval: Duration = .seconds(1)) {
        self.swarm = swarm
        self.shell = shell
        self.pollInterval = pollInterval
    }
}

extension RolloutRequest {
    /// Node-maintenance steps for `plan` (each occupying its node) and their ordering: the plan's batches one
    /// after the other (workers first, managers as the quorum allows, the leader last), and each node after
    /// every step of `changes` that occupies it (a pinned service is updated before its node is drained).
    public static func nodeSteps(
        _ plan: NodeMaintenancePlan, after changes: [Change], timeoutSeconds: Double? = nil
    ) -> (steps: [Change], dependencies: [Dependency]) {
        var steps: [Change] = []
        var dependencies: [Dependency] = []
        var previous: [String] = []
        for batch in plan.batches {
            let ids = batch.map { RolloutNodeStep.stepID(node: $0.name) }
            for (target, id) in zip(batch, ids) {
                let step = RolloutNodeStep(target: target, options: plan.options, timeoutSeconds: timeoutSeconds)
                steps.append(Change(service: id, change: .maintainNode(step), nodes: [target.name], estimateSeconds: nodeEstimate(step)))
                for earlier in previous { dependencies.append(Dependency(service: id, dependsOn: earlier)) }
                for change in changes where change.nodes.contains(target.name) {
                    dependencies.append(Dependency(service: id, dependsOn: change.service))
                }
            }
            previous = ids
        }
        return (steps, dependencies)
    }
}
