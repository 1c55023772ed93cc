/// How often to look again while waiting for something: a first interval that grows by a factor up to a ceiling.
public struct PollSchedule: Sendable, Hashable {
    /// The wait before the second look.
    public var initial: Duration
    /// Each wait is the previous one times this (1: a fixed interval).
    public var multiplier: Double
    /// No wait is longer than this.
    public var maximum: Duration

    /// A schedule; `multiplier` below 1 is treated as 1.
    public init(initial: Duration, multiplier: Double = 1.5, maximum: Duration) {
        self.initial = initial
        self.multiplier = max(1, multiplier)
        self.maximum = max(initial, maximum)
    }

    /// Every `interval`, unchanged.
    public static func every(_ interval: Duration) -> PollSchedule {
        PollSchedule(initial: interval, multiplier: 1, maximum: interval)
    }

    /// The wait after `attempt` looks (1-based).
    public func wait(afterAttempt attempt: Int) -> Duration {
        var wait = initial
        for _ in 1..<max(1, attempt) {
            wait = min(maximum, wait * multiplier)
            if wait == maximum { break }
        }
        return wait
    }
}

/// Looks at something with `check` until it answers, then returns that answer: long-running jobs (Proxmox task
/// UPIDs, TrueNAS jobs, Komodo updates), convergence, a VM's SSH coming up.
///
/// `check` returns `nil` for "not yet". The waits follow `schedule` on `clock` (a test passes a virtual clock) and
/// never run past `deadline`: the last look happens at the deadline at the latest.
/// - Throws: ``HomelabError/Code/timedOut`` naming `what` when the deadline passes first;
///   ``HomelabError/Code/cancelled`` when the task is cancelled; whatever `check` throws, at once.
public func poll<T, C: Clock>(
    _ what: String, component: String? = nil, every schedule: PollSchedule, deadline: C.Instant, clock: C,
    until check: () async throws -> T?
) async throws -> T where C.Duration == Duration {
    var attempt = 1
    while true {
        if Task.isCancelled { throw HomelabError(.cancelled, "cancelled while waiting for \(what)", component: component) }
        if let answer = try await check() { return answer }
        let now = clock.now
        guard now < deadline else {
            throw HomelabError(.timedOut, "gave up waiting for \(what): the deadline passed", component: component)
        }
        let wait = min(schedule.wait(afterAttempt: attempt), now.duration(to: deadline))
        do {
            try await clock.sleep(for: wait)
        } catch {
            throw HomelabError(.cancelled, "cancelled while waiting for \(what)", component: component)
        }
        attempt += 1
    }
}
