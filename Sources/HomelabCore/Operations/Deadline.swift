
/// Runs work under a deadline: the first of the work and the deadline wins, and the work is cancelled if it lost.
///
/// The caller never waits past the deadline, even for work that is slow to notice its cancellation (an SSH
/// connect in progress): that work finishes on its own, unobserved. Cancelling a request removes its transfer
/// from the transport, so a server that never answers costs the deadline and nothing more.
enum Deadline {
    /// `body`'s result, or a `.timedOut` failure naming `what` when `limit` passes first (`.cancelled` when the
    /// caller is cancelled).
    static func run<T: Sendable>(
        _ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T
    ) async -> Result<T, any Error> {
        let outcome = FirstOutcome<T>()
        let work = Task {
            do { outcome.settle(.success(try await body())) } catch { outcome.settle(.failure(error)) }
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            outcome.settle(.failure(HomelabError(.timedOut, "\(what) took more than \(limit.spoken)")))
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { outcome.wait($0) }
        } onCancel: {
            outcome.settle(.failure(HomelabError(.cancelled, "\(what) was cancelled")))
        }
        work.cancel()
        timer.cancel()
        return result
    }

    /// `body`'s value, or `nil` when `limit` passes first.
    static func probe<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
        try? await run(limit, "the probe", { await body() }).get()
    }
}

/// The first of several outcomes, handed to one waiting continuation; later outcomes are dropped.
private final class FirstOutcome<T: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Result<T, any Error>, Never>)
        case settled(Result<T, any Error>)
        case done
    }

    private let state = Locked(State.empty)

    func settle(_ result: Result<T, any Error>) {
        let waiter: CheckedContinuation<Result<T, any Error>, Never>? = state.withLock { state in
            switch state {
            case .empty:
                state = .settled(result)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .settled, .done:
                return nil
            }
        }
        waiter?.resume(returning: result)
    }

    func wait(_ continuation: CheckedContinuation<Result<T, any Error>, Never>) {
        let ready: Result<T, any Error>? = state.withLock { state in
            switch state {
            case .settled(let result):
                state = .done
                return result
            case .empty:
                state = .waiting(continuation)
                return nil
            case .waiting, .done:
                return nil
            }
        }
        if let ready { continuation.resume(returning: ready) }
    }
}
