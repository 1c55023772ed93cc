extension Proxmox {
    /// `GET /nodes/{node}/tasks/{upid}/status`, and one entry of `GET /nodes/{node}/tasks`.
    public struct TaskStatus: Codable, Sendable, Hashable {
        /// The task's ID.
        public var upid: String
        /// The node it runs on.
        public var node: String?
        /// What it does (`qmstart`, ...).
        public var type: String?
        /// What it acts on.
        public var id: String?
        /// Who started it.
        public var user: String?
        /// When it started (seconds since 1970).
        public var starttime: Int64?
        /// When it ended (task lists only).
        public var endtime: Int64?
        /// `running` or `stopped`.
        public var status: State
        /// Once stopped: `OK`, `WARNINGS: n`, or the error text.
        public var exitstatus: String?

        /// Whether a task runs.
        public enum State: LenientEnum {
            /// Still running.
            case running
            /// Ended (see the exit status).
            case stopped
            /// A value this SDK does not know yet, kept verbatim.
            case unknown(String)
            /// Every case this SDK knows.
            public static let knownCases: [State] = [.running, .stopped]
            /// The spelling on the wire.
            public var rawValue: String {
                switch self {
                case .running: return "running"
                case .stopped: return "stopped"
                case .unknown(let value): return value
                }
            }
        }

        private enum CodingKeys: String, CodingKey {
            case upid, node, type, id, user, starttime, endtime, status, exitstatus
        }

        /// A status value.
        public init(upid: String, status: State, exitstatus: String? = nil) {
            self.upid = upid
            self.status = status
            self.exitstatus = exitstatus
        }

        /// Reads a status leniently. Task lists give `status` as the exit status once stopped (`OK`, or the error):
        /// such an entry reads as stopped with that exit status.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            upid = c.proxmoxString(.upid) ?? ""
            node = c.proxmoxString(.node)
            type = c.proxmoxString(.type)
            id = c.proxmoxString(.id)
            user = c.proxmoxString(.user)
            starttime = c.proxmoxInt64(.starttime)
            endtime = c.proxmoxInt64(.endtime)
            exitstatus = c.proxmoxString(.exitstatus)
            let raw = c.proxmoxString(.status) ?? "unknown"
            let state = State(rawValue: raw)
            if state.isKnown {
                status = state
            } else if endtime != nil || exitstatus != nil {
                status = .stopped
                if exitstatus == nil { exitstatus = raw }
            } else {
                status = state
            }
        }

        /// Whether the task ended well: `OK`, or `WARNINGS: n` (`upid_status_is_error` is false for both).
        public var succeeded: Bool {
            guard status == .stopped, let exit = exitstatus else { return false }
            return Self.isSuccess(exit)
        }

        /// Whether an exit status means success (`OK` or `WARNINGS: n`).
        public static func isSuccess(_ exitstatus: String) -> Bool {
            exitstatus == "OK" || exitstatus.hasPrefix("WARNINGS: ")
        }
    }

    /// One line of a task's log (`GET /nodes/{node}/tasks/{upid}/log`).
    public struct TaskLogLine: Codable, Sendable, Hashable {
        /// The line number, from 1.
        public var n: Int
        /// The text.
        public var t: String

        private enum CodingKeys: String, CodingKey { case n, t }

        /// A log line.
        public init(n: Int, t: String) {
            self.n = n
            self.t = t
        }

        /// Reads a line leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            n = c.proxmoxInt(.n) ?? 0
            t = c.proxmoxString(.t) ?? ""
        }
    }
}
