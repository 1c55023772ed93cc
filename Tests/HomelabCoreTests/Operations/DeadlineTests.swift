import Testing

@testable import HomelabCore

/// Work that ends only when the test opens the gate, whatever cancellation says.
final class Gate: Sendable {
    private let state = Locked<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

@Suite("Deadline: the caller never waits past it")
struct DeadlineTests {
    @Test("work that ignores cancellation still loses at the deadline, as a timed-out error naming it")
    func workIgnoringCancellation() async {
        let gate = Gate()
        // The work cannot end before the gate opens, and the gate opens only after the result is in.
        let result = await Deadline.run(.milliseconds(200), "listing the swarm") {
            await gate.wait()
            return 1
        }
        gate.open()
        guard case .failure(let error as HomelabError) = result else {
            Issue.record("expected a timeout, got \(result)")
            return
        }
        #expect(error.code == .timedOut)
        #expect(error.message == "listing the swarm took more than 200 ms")
    }

    @Test("work that finishes first wins, with its value or its error")
    func workFirst() async {
        let value = await Deadline.run(.seconds(30), "x") { 42 }
        #expect((try? value.get()) == 42)
        let failure = await Deadline.run(.seconds(30), "x") { () async throws -> Int in
            throw HomelabError(.connectionFailed, "no")
        }
        #expect(throws: HomelabError.self) { try failure.get() }
        let gate = Gate()
        let probe = await Deadline.probe(.milliseconds(100)) { () async -> Int in
            await gate.wait()
            return 1
        }
        gate.open()
        #expect(probe == nil)
    }
}
