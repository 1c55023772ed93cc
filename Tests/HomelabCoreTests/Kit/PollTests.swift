import Foundation
import Testing

@testable import HomelabCore

/// The poll helper: answers, deadlines, backoff and cancellation, on a clock that only moves when slept on.
@Suite("Client kit: polling")
struct PollTests {
    final class Looks: Sendable {
        private let count = Locked(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
        var total: Int { count.withLock { $0 } }
    }

    @Test("returns the first answer, after waits that grow by the factor up to the ceiling")
    func answers() async throws {
        let clock = SteppingClock()
        let looks = Looks()
        let start = clock.now
        let answer = try await poll(
            "task UPID:pve:1", every: PollSchedule(initial: .seconds(1), multiplier: 2, maximum: .seconds(5)),
            deadline: start.advanced(by: .seconds(60)), clock: clock
        ) { looks.next() == 5 ? "OK" : nil }
        #expect(answer == "OK")
        #expect(looks.total == 5)
        #expect(start.duration(to: clock.now) == .seconds(1 + 2 + 4 + 5))
    }

    @Test("gives up at the deadline with a timeout that names what it waited for; the last look is at the deadline")
    func deadline() async throws {
        let clock = SteppingClock()
        let looks = Looks()
        let start = clock.now
        let error = await #expect(throws: HomelabError.self) {
            _ = try await poll(
                "Komodo update 42", component: "komodo", every: .every(.seconds(3)), deadline: start.advanced(by: .seconds(10)),
                clock: clock
            ) { () -> Int? in _ = looks.next(); return nil }
        }
        #expect(error?.code == .timedOut)
        #expect(error?.component == "komodo")
        #expect(error?.message.contains("Komodo update 42") == true)
        #expect(start.duration(to: clock.now) == .seconds(10))
        #expect(looks.total == 5)  // at 0, 3, 6, 9 and 10 s
    }

    @Test("an error from the check ends the wait at once")
    func checkThrows() async throws {
        let clock = SteppingClock()
        await #expect(throws: HomelabError.self) {
            _ = try await poll("job 7", every: .every(.seconds(1)), deadline: clock.now.advanced(by: .seconds(60)), clock: clock) {
                () -> Int? in throw HomelabError(.commandFailed, "job 7 failed")
            }
        }
    }

    @Test("cancelling the waiting task ends it as cancelled")
    func cancellation() async throws {
        let task = Task {
            try await poll("never", every: .every(.milliseconds(20)), deadline: ContinuousClock.now.advanced(by: .seconds(60)),
                           clock: ContinuousClock()) { () -> Int? in nil }
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let error = await #expect(throws: HomelabError.self) { _ = try await task.value }
        #expect(error?.code == .cancelled)
    }

    @Test("schedule: fixed, growing and capped waits")
    func schedule() {
        #expect(PollSchedule.every(.seconds(2)).wait(afterAttempt: 7) == .seconds(2))
        let growing = PollSchedule(initial: .milliseconds(100), multiplier: 3, maximum: .seconds(1))
        #expect((1...5).map { growing.wait(afterAttempt: $0) } == [.milliseconds(100), .milliseconds(300), .milliseconds(900), .seconds(1), .seconds(1)])
    }
}
