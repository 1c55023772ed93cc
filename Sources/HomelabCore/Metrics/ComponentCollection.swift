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

/// Runs `work` until `deadline` through the shared ``Deadline`` race: its value, or ``HomelabError/Code/timedOut``
/// as soon as the deadline passes. The work is then cancelled but not waited for: a request stuck where
/// cancellation does not reach (a version negotiation shared by several callers) cannot hold the scrape past its
/// deadline.
func untilDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant, component: String, _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    let limit = max(.zero, ContinuousClock.now.duration(to: deadline))
    do {
        return try await Deadline.run(limit, "collecting \(component) before the scrape's deadline", work).get()
    } catch var error as HomelabError {
        if error.component == nil { error.component = component }
        throw error
    }
}
