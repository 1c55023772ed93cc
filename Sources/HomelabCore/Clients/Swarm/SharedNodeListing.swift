/// A node listing shared by callers that ask for one at about the same moment: a listing at most `maxAge` old (by
/// the continuous clock) is reused, and callers that ask while one is being fetched wait for that one.
///
/// A rollout runs many steps at once and each step's convergence poll needs the nodes; without sharing, 50 steps
/// polling once a second ask the manager for its node list 50 times a second, and the client decodes (and throws
/// away) as many copies. A failed fetch is not kept: the next caller fetches again.
final class SharedNodeListing: Sendable {
    private struct State {
        var listing: [Swarm.Node]?
        var fetchedAt: ContinuousClock.Instant?
        var inFlight: Task<[Swarm.Node], any Error>?
        var fetches = 0
    }

    let maxAge: Duration
    private let state = Locked(State())

    init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    /// The shared listing, or a new one from `fetch` when the last is older than `maxAge`.
    /// - Throws: what `fetch` throws (to every caller waiting for that fetch).
    func nodes(_ fetch: @escaping @Sendable () async throws -> [Swarm.Node]) async throws -> [Swarm.Node] {
        let now = ContinuousClock.now
        let (fresh, task) = state.withLock { state -> ([Swarm.Node]?, Task<[Swarm.Node], any Error>?) in
            if let listing = state.listing, let fetchedAt = state.fetchedAt, fetchedAt.duration(to: now) <= maxAge {
                return (listing, nil)
            }
            if let running = state.inFlight { return (nil, running) }
            state.fetches += 1
            let started = ContinuousClock.now
            let task = Task<[Swarm.Node], any Error> { [weak self] in
                do {
                    let listing = try await fetch()
                    self?.state.withLock { state in
                        state.listing = listing
                        state.fetchedAt = started
                        state.inFlight = nil
                    }
                    return listing
                } catch {
                    self?.state.withLock { $0.inFlight = nil }
                    throw error
                }
            }
            state.inFlight = task
            return (nil, task)
        }
        if let fresh { return fresh }
        guard let task else { preconditionFailure("a shared node listing has neither a result nor a fetch") }
        // A cancelled caller still waits for the fetch (bounded by the request's timeouts): other callers may be
        // waiting for it too, so it is not cancelled; the caller's poll notices its cancellation right after.
        return try await task.value
    }

    /// How many fetches were started (for tests).
    var fetchCount: Int { state.withLock { $0.fetches } }
}
