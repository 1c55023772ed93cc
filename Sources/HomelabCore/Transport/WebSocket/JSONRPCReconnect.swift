/// When and how often ``JSONRPCClient`` reconnects, and how often it may log in.
///
/// TrueNAS locks a client out for 10 minutes after 20 authentication attempts in 60 s, so logins are budgeted
/// separately from connects: at most ``loginsPerWindow`` per ``loginWindow`` (5 per 60 s by default), whatever happens.
public struct JSONRPCReconnectPolicy: Sendable, Hashable {
    /// The wait before the first reconnect; doubled after each failed attempt.
    public var initialDelay: Duration
    /// The longest wait between attempts.
    public var maximumDelay: Duration
    /// Random spread of each wait, as a fraction (0.2: ±20 %).
    public var jitter: Double
    /// Consecutive failed connects before the client gives up (nil: never). A client that gave up connects again on
    /// the next call.
    public var maximumAttempts: Int?
    /// Logins (runs of the authenticate hook) allowed per ``loginWindow``.
    public var loginsPerWindow: Int
    /// The window the login budget counts in.
    public var loginWindow: Duration

    /// A policy; the defaults are 0.5 s doubling to 30 s, ±20 %, 5 attempts (about 15 s), 5 logins per 60 s.
    public init(
        initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(30), jitter: Double = 0.2,
        maximumAttempts: Int? = 5, loginsPerWindow: Int = 5, loginWindow: Duration = .seconds(60)
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.jitter = min(max(jitter, 0), 1)
        self.maximumAttempts = maximumAttempts
        self.loginsPerWindow = max(1, loginsPerWindow)
        self.loginWindow = loginWindow
    }

    /// Never reconnect: the first lost connection stops the client.
    public static let never = JSONRPCReconnectPolicy(maximumAttempts: 0)
}

/// The reconnect decisions as a value: failures and logins in, waits out. No I/O, no clock of its own.
struct ReconnectSchedule: Sendable {
    let policy: JSONRPCReconnectPolicy
    /// Consecutive failed connect attempts since the last good connection.
    private(set) var failures = 0
    /// When recent logins started (clock offsets), oldest first.
    private(set) var logins: [Duration] = []

    init(policy: JSONRPCReconnectPolicy) { self.policy = policy }

    /// A connect attempt failed (or a good connection was lost: `lost`). Returns the wait before the next attempt,
    /// or nil when the attempts are used up. `random` is uniform in 0..<1.
    mutating func failed(random: Double) -> Duration? {
        failures += 1
        if let limit = policy.maximumAttempts, failures > limit { return nil }
        var delay = policy.initialDelay
        for _ in 1..<failures {
            delay = delay * 2
            if delay >= policy.maximumDelay { break }
        }
        delay = min(delay, policy.maximumDelay)
        let spread = 1 + policy.jitter * (2 * random - 1)
        return delay * spread
    }

    /// A connection was made and logged in: the next failure starts from the initial delay again.
    mutating func connected() { failures = 0 }

    /// How long to wait at `now` before the next login keeps within the budget (zero: log in now).
    func loginDelay(now: Duration) -> Duration {
        let recent = logins.filter { now - $0 < policy.loginWindow }
        guard recent.count >= policy.loginsPerWindow else { return .zero }
        let oldestCounted = recent[recent.count - policy.loginsPerWindow]
        return oldestCounted + policy.loginWindow - now
    }

    /// A login starts at `now`.
    mutating func loginStarted(now: Duration) {
        logins.append(now)
        logins.removeAll { now - $0 >= policy.loginWindow }
    }
}
