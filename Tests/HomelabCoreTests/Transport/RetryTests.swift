import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// Retries: only idempotent methods, only transient failures, bounded, honouring Retry-After.
@Suite("HTTP transport: retries")
struct RetryTests {
    /// Records the waits instead of sleeping.
    final class Waits: Sendable {
        private let recorded = Locked<[Duration]>([])
        var all: [Duration] { recorded.withLock { $0 } }
        var sleeper: @Sendable (Duration) async throws -> Void { { d in self.recorded.withLock { $0.append(d) } } }
    }

    func client(_ url: String, _ waits: Waits, policy: RetryPolicy = .standard) -> HTTPClient {
        HTTPClient(
            transport: TransportTests.transport, endpoint: .url(url), component: "retry-test",
            middleware: [RetryMiddleware(policy: policy, sleep: waits.sleeper, random: { 1.0 }), LoggingMiddleware()])
    }

    func hits(_ server: TestHTTPServer, _ key: String) async throws -> Int {
        let c = HTTPClient(transport: TransportTests.transport, endpoint: .url(server.url()), component: "t", middleware: [])
        return try await c.json(TransportTests.Count.self, HTTPRequest(path: "/count?key=\(key)")).count
    }

    @Test("a GET is retried through 503s and succeeds", arguments: [502, 503, 504, 429])
    func retriesTransientStatuses(code: Int) async throws {
        try await TestHTTPServer.with { server in
            let waits = Waits()
            let key = "t\(code)"
            let response = try await client(server.url(), waits).send(HTTPRequest(path: "/flaky?key=\(key)&fail=2&code=\(code)"))
            #expect(response.status == 200)
            #expect(try await hits(server, key) == 3)
            #expect(waits.all == [.milliseconds(200), .milliseconds(400)])  // exponential, jitter pinned at 1.0
        }
    }

    @Test("retries stop after maxAttempts and the last answer is returned")
    func bounded() async throws {
        try await TestHTTPServer.with { server in
            let waits = Waits()
            let response = try await client(server.url(), waits).send(HTTPRequest(path: "/flaky?key=b&fail=100&code=503"))
            #expect(response.status == 503)
            #expect(try await hits(server, "b") == RetryPolicy.standard.maxAttempts)
            #expect(waits.all.count == RetryPolicy.standard.maxAttempts - 1)
            #expect(waits.all.allSatisfy { $0 <= RetryPolicy.standard.maxDelay })
        }
    }

    @Test("a POST is never retried")
    func postNotRetried() async throws {
        try await TestHTTPServer.with { server in
            let waits = Waits()
            let response = try await client(server.url(), waits).send(HTTPRequest(method: .post, path: "/flaky?key=p&fail=1&code=503"))
            #expect(response.status == 503)
            #expect(try await hits(server, "p") == 1)
            #expect(waits.all.isEmpty)
        }
    }

    @Test("a 500 or 404 is not retried", arguments: [500, 404])
    func permanentNotRetried(code: Int) async throws {
        try await TestHTTPServer.with { server in
            let waits = Waits()
            _ = try await client(server.url(), waits).send(HTTPRequest(path: "/flaky?key=n\(code)&fail=1&code=\(code)"))
            #expect(try await hits(server, "n\(code)") == 1)
        }
    }

    @Test("Retry-After in seconds is honoured instead of the backoff")
    func retryAfterSeconds() async throws {
        try await TestHTTPServer.with { server in
            let waits = Waits()
            let response = try await client(server.url(), waits).send(HTTPRequest(path: "/flaky?key=ra&fail=1&code=429&retry_after=2"))
            #expect(response.status == 200)
            #expect(waits.all == [.seconds(2)])
        }
    }

    @Test("a Retry-After beyond the bound is not waited for")
    func retryAfterTooLong() async throws {
        try await TestHTTPServer.with { server in
            let waits = Waits()
            let response = try await client(server.url(), waits).send(HTTPRequest(path: "/flaky?key=rl&fail=1&code=503&retry_after=3600"))
            #expect(response.status == 503)
            #expect(waits.all.isEmpty)
        }
    }

    @Test("Retry-After as an HTTP date is parsed relative to now")
    func retryAfterDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(RetryPolicy.retryAfter("Tue, 14 Nov 2023 22:13:25 GMT", now: now) == .seconds(5))
        #expect(RetryPolicy.retryAfter("7", now: now) == .seconds(7))
        #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
    }

    @Test("connection failures are retried, then reported")
    func connectionFailuresRetried() async throws {
        let port = try await TestHTTPServer.with { $0.port }
        let waits = Waits()
        let error = await #expect(throws: HomelabError.self) {
            try await client("http://127.0.0.1:\(port)", waits).send(HTTPRequest(path: "/"))
        }
        #expect(error?.code == .connectionFailed)
        #expect(waits.all.count == RetryPolicy.standard.maxAttempts - 1)
    }

    @Test("backoff grows exponentially and is capped")
    func backoffShape() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.backoff(afterAttempt: 1, random: 1) == .milliseconds(100))
        #expect(policy.backoff(afterAttempt: 3, random: 1) == .milliseconds(400))
        #expect(policy.backoff(afterAttempt: 9, random: 1) == .seconds(1))
        #expect(policy.backoff(afterAttempt: 3, random: 0.5) == .milliseconds(200))
    }

    @Test("a real wait between retries really happens (and is cancellable)")
    func realSleep() async throws {
        try await TestHTTPServer.with { server in
            let c = HTTPClient(
                transport: TransportTests.transport, endpoint: .url(server.url()), component: "t",
                middleware: [RetryMiddleware(policy: RetryPolicy(baseDelay: .seconds(30)), random: { 1 })])
            let task = Task { try await c.send(HTTPRequest(path: "/flaky?key=rs&fail=5&code=503")) }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            let error = await #expect(throws: HomelabError.self) { try await task.value }
            #expect(error?.code == .cancelled)
        }
    }
}
