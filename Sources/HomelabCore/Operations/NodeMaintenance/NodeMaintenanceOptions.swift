/// What to do on each node during maintenance, what to allow, and how long each wait may take.
public struct NodeMaintenanceOptions: Sendable, Hashable {
    /// The shell command run over SSH once the node is drained (`apt-get -y upgrade && systemctl reboot`).
    public var command: String
    /// Whether the command reboots the node: the runner then waits to see it leave Ready before waiting for it
    /// to come back, and an SSH connection that drops during the command is expected.
    public var expectsReboot: Bool
    /// Drains nodes that hold pinned stateful services (their tasks stop until the node is active again).
    /// Without it such a request is refused.
    public var confirmStatefulDrain: Bool
    /// Takes managers down even when the swarm then loses its Raft majority (a single-manager swarm, or too many
    /// managers already unavailable): the swarm API and scheduling stop until they return. Managers then go one
    /// at a time.
    public var allowQuorumLoss: Bool
    /// Workers maintained at once.
    public var workerBudget: Int
    /// How long to wait for the node's tasks to stop after draining.
    public var drainTimeout: Duration
    /// How long the SSH command may run.
    public var commandTimeout: Duration
    /// With ``expectsReboot``: how long to wait for the node to leave Ready after the command.
    public var downTimeout: Duration
    /// How long to wait for the node to be Ready after the command (after a reboot: after it left Ready), and
    /// then Ready and active after activating it.
    public var readyTimeout: Duration
    /// How often node and task state is polled.
    public var pollInterval: Duration

    /// Options; the timeouts default to 5 minutes for draining, 30 for the command, 3 for the node to go down
    /// and 10 for it to be Ready again.
    public init(
        command: String, expectsReboot: Bool = false, confirmStatefulDrain: Bool = false, allowQuorumLoss: Bool = false,
        workerBudget: Int = 1, drainTimeout: Duration = .seconds(300), commandTimeout: Duration = .seconds(1800),
        downTimeout: Duration = .seconds(180), readyTimeout: Duration = .seconds(600), pollInterval: Duration = .seconds(1)
    ) {
        self.command = command
        self.expectsReboot = expectsReboot
        self.confirmStatefulDrain = confirmStatefulDrain
        self.allowQuorumLoss = allowQuorumLoss
        self.workerBudget = workerBudget
        self.drainTimeout = drainTimeout
        self.commandTimeout = commandTimeout
        self.downTimeout = downTimeout
        self.readyTimeout = readyTimeout
        self.pollInterval = pollInterval
    }

    /// Gives every phase (tasks stopping, the command, going down, coming back) the same limit.
    public mutating func limitEachPhase(to limit: Duration) {
        (drainTimeout, commandTimeout, downTimeout, readyTimeout) = (limit, limit, limit, limit)
    }

    /// Checks the options can be used.
    /// - Throws: ``HomelabError/Code/invalidArgument`` naming the option that is wrong.
    public func validate() throws {
        func fail(_ message: String) -> HomelabError {
            HomelabError(.invalidArgument, "node maintenance: \(message)", component: "node-maintenance")
        }
        if command.allSatisfy(\.isWhitespace) { throw fail("the command to run on each node is empty") }
        if workerBudget < 1 { throw fail("the worker budget must be at least 1, got \(workerBudget)") }
        let limits: [(String, Duration)] = [
            ("drain timeout", drainTimeout), ("command timeout", commandTimeout), ("down timeout", downTimeout),
            ("ready timeout", readyTimeout), ("poll interval", pollInterval),
        ]
        for (name, value) in limits where value <= .zero { throw fail("the \(name) must be positive") }
    }
}
