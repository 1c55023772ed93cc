/// What a ``NodeMaintenanceRunner`` reports while it works, in the order things happen on each node.
public enum NodeMaintenanceEvent: Sendable, Hashable {
    /// A batch of nodes starts (they are maintained together).
    case batchStarted(nodes: [String])
    /// The node was set to drain.
    case draining(node: String)
    /// No task runs on the node any more.
    case drained(node: String)
    /// The command ended (or its connection dropped, which a reboot makes expected).
    case commandFinished(node: String, outcome: CommandOutcome)
    /// After a reboot command, the node left Ready.
    case nodeDown(node: String, state: String)
    /// The node is Ready again.
    case nodeReady(node: String)
    /// The node was set back to active and is Ready and active.
    case activated(node: String)
    /// The node's maintenance failed; the message says where it stopped and how to recover.
    case failed(node: String, message: String)
    /// A batch did not start: a node before it failed.
    case notStarted(nodes: [String])

    /// How the maintenance command ended, with the end of its output (redacted).
    public struct CommandOutcome: Sendable, Hashable {
        /// The exit status, when the server sent one.
        public var exitStatus: Int32?
        /// The signal that ended it, when the server sent one.
        public var exitSignal: String?
        /// Whether the connection dropped before the command's end (expected when it reboots the node).
        public var connectionDropped: Bool
        /// The last lines of standard output (at most ``NodeMaintenanceEvent/tailLength`` characters).
        public var stdoutTail: String
        /// The last lines of standard error (at most ``NodeMaintenanceEvent/tailLength`` characters).
        public var stderrTail: String

        /// An outcome.
        public init(exitStatus: Int32?, exitSignal: String? = nil, connectionDropped: Bool = false, stdoutTail: String = "", stderrTail: String = "") {
            self.exitStatus = exitStatus
            self.exitSignal = exitSignal
            self.connectionDropped = connectionDropped
            self.stdoutTail = stdoutTail
            self.stderrTail = stderrTail
        }

        /// `exit status 0`, `killed by signal TERM`, `connection dropped`.
        public var summary: String {
            if let exitStatus { return "exit status \(exitStatus)" }
            if let exitSignal { return "killed by signal \(exitSignal)" }
            return connectionDropped ? "connection dropped" : "ended without an exit status"
        }
    }

    /// How much of each output stream an event keeps.
    public static let tailLength = 2000
}

/// How a maintenance run ended.
public struct NodeMaintenanceResult: Sendable, Hashable {
    /// Nodes maintained and active again, in the order they finished.
    public var completed: [String]
    /// Nodes whose maintenance failed, with the message (each is left as the message says, usually drained).
    public var failed: [String: String]
    /// Nodes not touched because an earlier batch failed.
    public var notStarted: [String]

    /// Whether every node was maintained.
    public var succeeded: Bool { failed.isEmpty && notStarted.isEmpty }
}
