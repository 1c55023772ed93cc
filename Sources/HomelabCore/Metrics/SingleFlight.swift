/// Concurrent requests for the same key share one piece of work in flight: the first caller starts it, the
/// others wait for its result; once it finishes, the next caller starts a fresh one. Nothing is cached.
public actor SingleFlight<Value: Sendable> {
    private var inFlight: [String: Task<Value, Never>] = [:]
    /// How many pieces of work were started (joined callers do not count).
    public private(set) var started = 0

    /// An empty set of flights.
    public init() {}

    /// The result of `work` for `key`, shared with every caller that arrives while it runs.
    public func run(_ key: String, _ work: @escaping @Sendable () async -> Value) async -> Value {
        if let task = inFlight[key] { return await task.value }
        started += 1
        let task = Task { await work() }
        inFlight[key] = task
        let value = await task.value
        inFlight[key] = nil
        return value
    }
}
