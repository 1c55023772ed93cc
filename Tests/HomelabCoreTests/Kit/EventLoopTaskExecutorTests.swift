import NIOCore
import NIOPosix
import Testing

@testable import HomelabCore

/// The executor the WebSocket handshake's certificate check runs on.
@Suite("Event-loop task executor")
struct EventLoopTaskExecutorTests {
    /// Stands for the certificate check: nonisolated async code that suspends.
    nonisolated static func whereAmI(_ loop: any EventLoop) async -> Bool {
        await Task.yield()
        return loop.inEventLoop
    }

    @Test("a task that prefers it runs on its event loop, before and after suspensions and in the async code it calls")
    func runsOnTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let observed = await Task(executorPreference: EventLoopTaskExecutor(loop)) { () -> [Bool] in
            let first = loop.inEventLoop
            try? await Task.sleep(for: .milliseconds(5))
            let afterSleep = loop.inEventLoop
            let inCallee = await Self.whereAmI(loop)
            return [first, afterSleep, inCallee]
        }.value
        #expect(observed == [true, true, true])
        // The same code without the preference runs on the global pool, never on the loop.
        #expect(await Task { await Self.whereAmI(loop) }.value == false)
        try await group.shutdownGracefully()
    }

    @Test("a promise the loop waits for is kept by a task on the loop, as the TLS verification callback does")
    func keepsAPromise() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let promise = loop.makePromise(of: String.self)
        Task(executorPreference: EventLoopTaskExecutor(promise.futureResult.eventLoop)) {
            precondition(loop.inEventLoop)
            await Task.yield()
            promise.succeed(loop.inEventLoop ? "kept on the loop" : "kept elsewhere")
        }
        #expect(try await promise.futureResult.get() == "kept on the loop")
        try await group.shutdownGracefully()
    }
}
