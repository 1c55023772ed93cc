import ArgumentParser
import HomelabCore

/// How nodes are maintained: the arguments `homelab node maintain` and `homelab rollout --maintain` share.
struct NodeMaintenanceArguments: ParsableArguments {
    @Option(name: .long, help: "The shell command run on each node over SSH (no secrets: it is logged and journaled).")
    var command: String?
    @Flag(name: .long, help: "The command reboots the node: wait for it to go down and come back.")
    var reboot = false
    @Flag(name: .long, help: "Drain nodes that hold pinned stateful services (they stop meanwhile).")
    var confirmStateful = false
    @Flag(name: .long, help: "Allow taking the swarm below its Raft majority (a single manager, too many down).")
    var allowQuorumLoss = false
    @Option(name: .long, help: "Workers maintained at once.")
    var workerBudget = 1
    @Option(name: .long, help: "known_hosts file for the nodes' host keys (default $HOMELAB_KNOWN_HOSTS, then ~/.ssh/known_hosts).")
    var knownHosts: String?

    /// Whether any of these arguments was given.
    var isGiven: Bool { command != nil || reboot || confirmStateful || allowQuorumLoss }

    /// The options, each phase limited to `phaseTimeout` seconds when given.
    /// - Throws: `ValidationError` without `--command`, or for a timeout that is not positive.
    func options(phaseTimeout: Double? = nil) throws -> NodeMaintenanceOptions {
        guard let command else { throw ValidationError("node maintenance needs --command, the command run on each node") }
        var options = NodeMaintenanceOptions(
            command: command, expectsReboot: reboot, confirmStatefulDrain: confirmStateful, allowQuorumLoss: allowQuorumLoss,
            workerBudget: workerBudget)
        if let phaseTimeout {
            guard phaseTimeout > 0 else { throw ValidationError("--timeout must be positive, got \(phaseTimeout)") }
            options.limitEachPhase(to: .milliseconds(Int64(phaseTimeout * 1000)))
        }
        return options
    }
}
