import Synchronization

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

/// Runs `work` until `deadline`: its value, or ``HomelabError/Code/timedOut`` as soon as the deadline passes. The
/// work is then cancelled but not waited for: a request stuck where cancellation does not reach (a version
/// negotiation shared by several callers) cannot hold the scrape past its deadline.
func untilDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant, component: String, _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    let task = Task { try await work() }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try await Task.sleep(until: deadline, clock: .continuous)
                task.cancel()
                once.resume(.failure(HomelabError(.timedOut, "no answer before the scrape's deadline", component: component)))
            }
            Task {
                let result = await task.result
                timer.cancel()
                once.resume(result)
            }
        }
    } onCancel: {
        task.cancel()
    }
}

/// A continuation resumed by whichever of several racers finishes first; later results are dropped.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ result: Result<T, any Error>) {
        let taken = continuation.withLock { stored in
            defer { stored = nil }
            return stored
        }
        taken?.resume(with: result)
    }
}
