import Testing

@testable import HomelabCore

@Suite("Deadline: the caller never waits past it")
struct DeadlineTests {
    @Test("work that ignores cancellation still loses at the deadline, as a timed-out error naming it")
    func workIgnoringCancellation() async {
        let started = ContinuousClock.now
        let result = await Deadline.run(.milliseconds(200), "listing the swarm") {
            // Awaiting an unstructured task's value does not pass cancellation on: this takes its full 3 s.
            await Task { try? await Task.sleep(for: .seconds(3)) }.value
            return 1
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        guard case .failure(let error as HomelabError) = result else {
            Issue.record("expected a timeout, got \(result)")
            return
        }
        #expect(error.code == .timedOut)
        #expect(error.message == "listing the swarm took more than 200 ms")
    }

    @Test("work that finishes first wins, with its value or its error")
    func workFirst() async {
        let value = await Deadline.run(.seconds(5), "x") { 42 }
        #expect((try? value.get()) == 42)
        let failure = await Deadline.run(.seconds(5), "x") { () async throws -> Int in
            throw HomelabError(.connectionFailed, "no")
        }
        #expect(throws: HomelabError.self) { try failure.get() }
        #expect(await Deadline.probe(.milliseconds(100)) { () async -> Int in
            await Task { try? await Task.sleep(for: .seconds(2)) }.value
            return 1
        } == nil)
    }
}
