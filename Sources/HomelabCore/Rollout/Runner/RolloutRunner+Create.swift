import Foundation

extension RolloutRunner {
    /// Whether the change cannot be rolled back: node maintenance cannot be undone, and a created service is not
    /// removed (it may already hold data); both stay as they are when they fail.
    static func cannotRollBack(_ change: RolloutChange?) -> Bool {
        switch change {
        case .maintainNode?, .create?: return true
        default: return false
        }
    }

    /// Journals a create step as running and returns the work that creates the service (unless it exists), then
    /// waits until it converged and is healthy.
    func prepareCreateStep(_ d: Drive, _ id: String, _ creation: ServiceCreation) async throws
        -> @Sendable () async throws -> Completion
    {
        try await journal.transition(runID: d.runID, stepID: id, to: .running, payload: try JSONEncoder().encode(
            RolloutChange.create(creation)))
        guard let creator = swarm as? any RolloutServiceCreator else {
            let message = "creating service \(id) needs a swarm that can create services, networks, secrets and configs, which this runner was not given"
            return { .failed(id, message: message, swarmRolledBack: false) }
        }
        let timeout = try await convergenceTimeout(id, d.request, spec: creation.spec)
        let (swarm, continuation, healthCheck, gate, made) = (swarm, continuation, healthCheck, creationGate, madeNetworks)
        let url = d.request.healthURLs?[id]
        return {
            do {
                // One creation at a time: two steps sharing a stack network must not both find it missing.
                await gate.enter()
                let created: Bool
                do {
                    created = try await creation.ensure(on: creator, made: made)
                } catch {
                    await gate.leave()
                    throw error
                }
                await gate.leave()
                if created { continuation.yield(.progress(step: id, running: 0, desired: Int(creation.spec.mode?.replicas ?? 1))) }
            } catch {
                if Task.isCancelled { throw error }
                return .failed(id, message: "could not create service \(id): \(error)", swarmRolledBack: false)
            }
            return try await Self.awaitHealthy(
                id, swarm: swarm, timeout: timeout, healthURL: url, healthCheck: healthCheck, continuation: continuation)
        }
    }
}

/// Lets one task at a time through (an actor alone would interleave at every `await`).
actor SerialGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Waits until no one else is inside.
    func enter() async {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
    }

    /// Lets the next waiter in.
    func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
