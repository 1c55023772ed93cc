extension Swarm {
    /// A container health check.
    public struct HealthConfig: Codable, Sendable, Hashable {
        /// `[]` inherits the image's check, `["NONE"]` disables it, `["CMD", args...]` runs a
        /// command, `["CMD-SHELL", command]` runs it through the shell.
        public var test: [String]?
        /// Time between checks; 0 inherits.
        public var interval: Nanoseconds?
        /// Time before a check counts as hung; 0 inherits.
        public var timeout: Nanoseconds?
        /// Consecutive failures before the container is unhealthy; 0 inherits.
        public var retries: Int?
        /// Start-up time during which failures do not count; 0 inherits.
        public var startPeriod: Nanoseconds?
        /// Time between checks during the start period; 0 inherits.
        public var startInterval: Nanoseconds?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            test: [String]? = nil,
            interval: Nanoseconds? = nil,
            timeout: Nanoseconds? = nil,
            retries: Int? = nil,
            startPeriod: Nanoseconds? = nil,
            startInterval: Nanoseconds? = nil
        ) {
            self.test = test
            self.interval = interval
            self.timeout = timeout
            self.retries = retries
            self.startPeriod = startPeriod
            self.startInterval = startInterval
        }

        enum CodingKeys: String, CodingKey {
            case test = "Test"
            case interval = "Interval"
            case timeout = "Timeout"
            case retries = "Retries"
            case startPeriod = "StartPeriod"
            case startInterval = "StartInterval"
        }
    }
}
