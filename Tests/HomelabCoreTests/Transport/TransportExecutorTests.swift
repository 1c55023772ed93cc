import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// ``CurlTransport/executor``: tasks that prefer the transport's own thread send and resume there.
@Suite("HTTP transport: its thread as a task executor")
struct TransportExecutorTests {
    func makeTransport() throws -> CurlTransport {
        try CurlTransport(configuration: .init(connectTimeout: .seconds(5), totalTimeout: .seconds(30)))
    }

    func client(_ transport: CurlTransport, _ url: String) -> HTTPClient {
        HTTPClient(transport: transport, endpoint: .url(url), component: "test")
    }


    @Test("a task that prefers it runs on the transport's thread before and after each request, and its answers are whole")
    func runsOnTheTransportThread() async throws {
        let transport = try makeTransport()
        defer { transport.shutdown() }
        try await TestHTTPServer.with { server in
            let c = client(transport, server.url())
            let (threads, sizes) = try await withTaskExecutorPreference(transport.executor) {
                var threads = [transport.onTransportThread]
                var sizes: [Int] = []
                for size in [10, 70_000, 300] {
                    sizes.append(try await c.send(HTTPRequest(path: "/json?size=\(size)")).body.count)
                    threads.append(transport.onTransportThread)
                }
                return (threads, sizes)
            }
            // The first look is before the first suspension: a preference takes effect when the task is next enqueued.
            #expect(Array(threads.dropFirst()) == [true, true, true])
            #expect(sizes[0] >= 10 && sizes[1] >= 70_000 && sizes[2] >= 300)
            // Without the preference the same code runs on the concurrency runtime's threads.
            _ = try await c.send(HTTPRequest(path: "/json?size=10"))
            #expect(!transport.onTransportThread)
        }
    }

    @Test("child tasks inherit it: 24 concurrent requests from a task group all complete on the transport's thread")
    func concurrentChildren() async throws {
        let transport = try makeTransport()
        defer { transport.shutdown() }
        try await TestHTTPServer.with { server in
            let c = client(transport, server.url())
            let results = try await withTaskExecutorPreference(transport.executor) {
                try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                    for _ in 0..<24 {
                        group.addTask { (try await c.send(HTTPRequest(path: "/slow?ms=50")).status, transport.onTransportThread) }
                    }
                    return try await group.reduce(into: [(Int, Bool)]()) { $0.append($1) }
                }
            }
            #expect(results.count == 24)
            #expect(results.allSatisfy { $0.0 == 200 && $0.1 })
        }
    }

    @Test("cancelling a task that prefers it aborts its request")
    func cancellation() async throws {
        let transport = try makeTransport()
        defer { transport.shutdown() }
        try await TestHTTPServer.with { server in
            let c = client(transport, server.url())
            let task = Task(executorPreference: transport.executor) {
                try await c.send(HTTPRequest(path: "/slow?ms=600000", timeout: .seconds(900)))
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let error = await #expect(throws: HomelabError.self) { try await task.value }
            #expect(error?.code == .cancelled)
            let status = try await withTaskExecutorPreference(transport.executor) {
                try await c.send(HTTPRequest(path: "/json?size=10")).status
            }
            #expect(status == 200)
        }
    }

    @Test("a shutdown from the transport's own thread neither waits for itself nor strands the task: it goes on elsewhere")
    func shutdownFromItsThread() async throws {
        let transport = try makeTransport()
        try await TestHTTPServer.with { server in
            let c = client(transport, server.url())
            let outcome = try await withTaskExecutorPreference(transport.executor) { () -> (Bool, HomelabError.Code?, Bool) in
                _ = try await c.send(HTTPRequest(path: "/json?size=10"))
                let before = transport.onTransportThread
                transport.shutdown()
                var code: HomelabError.Code?
                do {
                    _ = try await c.send(HTTPRequest(path: "/json?size=10"))
                } catch let error as HomelabError {
                    code = error.code
                }
                // The refused request failed without suspending; the next suspension moves the task off the thread.
                try await Task.sleep(for: .milliseconds(10))
                return (before, code, transport.onTransportThread)
            }
            #expect(outcome.0)
            #expect(outcome.1 == .cancelled, "a request after the shutdown fails as cancelled")
            #expect(!outcome.2, "after the shutdown the task's jobs run on a global thread")
        }
    }
}

