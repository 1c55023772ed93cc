import Foundation
import HomelabCore

/// The simulation's sense of time: simulated durations (an update's `Delay`, a task's start-up, the
/// `Monitor` window) pass `timeScale` times as fast in real time.
///
/// A `timeScale` of 0.01 makes ten simulated seconds take a tenth of a real second. Timestamps in API
/// answers stay on the real wall clock (so the docker CLI's "2 seconds ago" reads right); only waiting is
/// scaled.
public struct SimulatedClock: Sendable, Hashable {
    /// Real seconds per simulated second (1: real time; 0.01: a hundred times faster).
    public let timeScale: Double

    /// A clock running `timeScale` real seconds per simulated second.
    /// - Throws: ``HomelabError/Code/invalidArgument`` when `timeScale` is not a finite number in (0, 10].
    public init(timeScale: Double) throws {
        guard timeScale.isFinite, timeScale > 0, timeScale <= 10 else {
            throw HomelabError(
                .invalidArgument, "time scale \(timeScale) is out of range: expected a number in (0, 10] (0.01 runs 100x faster)",
                component: "simulator")
        }
        self.timeScale = timeScale
    }

    /// Real time, no scaling.
    public static let realTime = SimulatedClock(uncheckedTimeScale: 1)

    private init(uncheckedTimeScale: Double) { self.timeScale = uncheckedTimeScale }

    /// The real duration a simulated `duration` takes.
    public func real(_ duration: Duration) -> Duration { duration * timeScale }

    /// The simulated duration a real `duration` stands for.
    public func simulated(_ duration: Duration) -> Duration { duration / timeScale }

    /// Waits for a simulated `duration` (at least its scaled real length).
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: real(duration))
    }

    /// The wall-clock time now (answers carry real timestamps).
    public func now() -> Date { Date() }
}
