/// What one collection of one component gave: whether it answered, how long it took, why it failed, and its
/// metric families (empty when it failed: a stale value is never presented as fresh).
public struct ComponentCollection: Sendable {
    /// The component's name (`docker`, `caddy`, ..., `rollouts` for the journal): the `component` label.
    public var component: String
    /// Whether the collection succeeded within its deadline.
    public var isUp: Bool
    /// How long the collection took (up to the deadline).
    public var duration: Duration
    /// Why it failed, when it did.
    public var failure: CollectionFailure?
    /// The component's own families.
    public var families: [MetricFamily]

    /// A collection result.
    public init(component: String, isUp: Bool, duration: Duration, failure: CollectionFailure? = nil, families: [MetricFamily] = []) {
        self.component = component
        self.isUp = isUp
        self.duration = duration
        self.failure = failure
        self.families = families
    }
}

/// Runs `work` until `deadline`: its value, or ``HomelabError/Code/timedOut`` once the deadline passes (the work
/// is cancelled then; the transport aborts its requests on cancellation).
func untilDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant, component: String, _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(until: deadline, clock: .continuous)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw HomelabError(.timedOut, "no answer before the scrape's deadline", component: component)
        }
        return value
    }
}
