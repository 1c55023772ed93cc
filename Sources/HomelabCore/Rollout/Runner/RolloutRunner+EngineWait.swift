import Foundation

extension RolloutRunner {
    /// The error, when it says the engine did not answer rather than refused the step: no connection, a reset or
    /// a timed-out request, a 5xx, or "not a swarm manager" (what a manager answers while it stops or restarts).
    /// A step meeting one is not failed: nothing says its change is wrong.
    static func engineUnreachable(_ error: any Error) -> HomelabError? {
        guard let error = error as? HomelabError else { return nil }
        if error.isTransient { return error }
        switch error.code {
        case .connectionFailed, .timedOut, .unavailable, .notSwarmManager: return error
        case .httpStatus: return (error.status ?? 0) >= 500 ? error : nil
        default: return nil
        }
    }

    /// Retries of one step while the engine does not answer: backs off from 100 ms to 2 s, says so once per outage
    /// (``RolloutProgressEvent/engineUnreachable(step:message:retrying:)``), and gives up at the step's deadline.
    struct EngineWait {
        let step: String
        let deadline: ContinuousClock.Instant
        let continuation: AsyncStream<RolloutProgressEvent>.Continuation
        private var interval: Duration = .milliseconds(100)
        private var announced = false

        init(step: String, deadline: ContinuousClock.Instant, continuation: AsyncStream<RolloutProgressEvent>.Continuation) {
            self.step = step
            self.deadline = deadline
            self.continuation = continuation
        }

        /// Says the deadline passed with the engine away, and hands the step back not done.
        func giveUp(after error: HomelabError) -> Completion {
            continuation.yield(.engineUnreachable(step: step, message: error.description, retrying: false))
            return .unreachable(step, message: error.description)
        }

        /// Waits before the next attempt, or returns ``Completion/unreachable(_:message:)`` once the deadline passed.
        /// - Throws: `CancellationError` when the task is cancelled while waiting.
        mutating func retry(after error: HomelabError) async throws -> Completion? {
            let message = error.description
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return giveUp(after: error) }
            if !announced {
                announced = true
                continuation.yield(.engineUnreachable(step: step, message: message, retrying: true))
            }
            try await Task.sleep(for: min(interval, remaining))
            interval = min(interval * 2, .seconds(2))
            return nil
        }
    }
}
