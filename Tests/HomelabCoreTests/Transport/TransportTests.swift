import Foundation
import Logging
import Synchronization
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// The libcurl multi transport against real loopback servers (plain HTTP, TLS, unix socket).
@Suite("HTTP transport")
struct TransportTests {
    static let transport: CurlTransport = {
        do {
            return try CurlTransport(configuration: .init(connectTimeout: .seconds(5), totalTimeout: .seconds(30)))
        } catch {
            preconditionFailure("libcurl could not start: \(error)")
        }
    }()

    func client(_ url: String, tls: TLSOptions = TLSOptions(), middleware: [any HTTPMiddleware] = [LoggingMiddleware()])
        -> HTTPClient
    {
        HTTPClient(transport: Self.transport, endpoint: .url(url, tls: tls), component: "test", middleware: middleware)
    }

    struct Count: Decodable { let count: Int }
    struct Connections: Decodable { let connections: Int }
    struct Echo: Decodable {
        let method: String
        let path: String
        let headers: [String: String]
        let body: String
    }

    @Test("a GET returns status, headers and the whole body")
    func simpleGet() async throws {
        try await TestHTTPServer.with { server in
            let response = try await client(server.url()).send(HTTPRequest(path: "/json?size=2048"))
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            #expect(response.body.count >= 2048)
            #expect(response.body.count == Int(response.headers["Content-Length"] ?? "") ?? -1)
        }
    }

    @Test("method, headers and body reach the server intact", arguments: [HTTPMethod.post, .put, .patch, .delete])
    func methodsAndBodies(method: HTTPMethod) async throws {
        try await TestHTTPServer.with { server in
            let request = HTTPRequest(
                method: method, path: "/echo?a=1", headers: ["Content-Type": "application/json", "X-Trace": "t1"],
                body: Array(#"{"spec":{"Name":"web"}}"#.utf8))
            let echo = try await client(server.url()).json(Echo.self, request)
            #expect(echo.method == method.rawValue)
            #expect(echo.path == "/echo?a=1")
            #expect(echo.headers["X-Trace"] == "t1")
            #expect(echo.body == #"{"spec":{"Name":"web"}}"#)
        }
    }

    @Test("a POST without a body sends Content-Length 0")
    func emptyPost() async throws {
        try await TestHTTPServer.with { server in
            let echo = try await client(server.url()).json(Echo.self, HTTPRequest(method: .post, path: "/echo"))
            #expect(echo.method == "POST")
            #expect(echo.headers["Content-Length"] == "0")
        }
    }

    @Test("sequential requests reuse one keep-alive connection")
    func keepAlive() async throws {
        try await TestHTTPServer.with { server in
            let c = client(server.url())
            let before = try await c.json(Connections.self, HTTPRequest(path: "/connections")).connections
            for _ in 0..<25 { _ = try await c.send(HTTPRequest(path: "/json?size=512")) }
            let after = try await c.json(Connections.self, HTTPRequest(path: "/connections")).connections
            #expect(before == 1)
            #expect(after == 1, "25 sequential requests opened \(after - before) new connections")
        }
    }

    @Test(
        "a request sent while the transport's thread sleeps wakes it (with and without linger), never waiting for the poll's 1 s timeout",
        arguments: [Duration.zero, .microseconds(200), .milliseconds(20)])
    func wakesTheSleepingThread(linger: Duration) async throws {
        let transport = try CurlTransport(configuration: .init(connectTimeout: .seconds(5), linger: linger))
        defer { transport.shutdown() }
        try await TestHTTPServer.with { server in
            let c = HTTPClient(transport: transport, endpoint: .url(server.url()), component: "test", middleware: [])
            _ = try await c.send(HTTPRequest(path: "/json?size=64"))
            // Each pause outlasts the linger, so every request finds the thread asleep in curl_multi_poll: a missed
            // wake-up would cost each one the poll's whole second.
            let clock = ContinuousClock()
            var slowest = Duration.zero
            for _ in 0..<6 {
                try await Task.sleep(for: .milliseconds(40))
                let start = clock.now
                let status = try await c.send(HTTPRequest(path: "/json?size=64")).status
                slowest = max(slowest, clock.now - start)
                #expect(status == 200)
            }
            #expect(slowest < .milliseconds(700), "a request waited \(slowest): the sleeping transport thread was not woken")
            // Back to back (the linger's case), and 20 at once.
            for _ in 0..<20 { #expect(try await c.send(HTTPRequest(path: "/json?size=64")).status == 200) }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await c.send(HTTPRequest(path: "/json?size=64")).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 20))
        }
    }

    @Test("concurrent requests all complete and connections are reused afterwards")
    func concurrency() async throws {
        try await TestHTTPServer.with { server in
            let c = client(server.url())
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 { group.addTask { try await c.send(HTTPRequest(path: "/slow?ms=100")).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 40 && statuses.allSatisfy { $0 == 200 })
            let opened = try await c.json(Connections.self, HTTPRequest(path: "/connections")).connections
            for _ in 0..<10 { _ = try await c.send(HTTPRequest(path: "/json?size=100")) }
            let later = try await c.json(Connections.self, HTTPRequest(path: "/connections")).connections
            #expect(opened <= 41)
            #expect(later == opened, "requests after the burst should reuse cached connections")
        }
    }

    @Test("cancelling the task aborts a request that never answers")
    func cancellation() async throws {
        try await TestHTTPServer.with { server in
            let c = client(server.url())
            let start = ContinuousClock.now
            let task = Task { try await c.send(HTTPRequest(path: "/slow?ms=600000", timeout: .seconds(900))) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let error = await #expect(throws: HomelabError.self) { try await task.value }
            #expect(error?.code == .cancelled)
            #expect(ContinuousClock.now - start < .seconds(120), "cancellation must not wait for the 600 s answer")
            // The transport is still healthy afterwards.
            let status = try await c.send(HTTPRequest(path: "/json?size=10")).status
            #expect(status == 200)
        }
    }

    @Test("a request in an already-cancelled task fails at once")
    func cancelledBeforeStart() async throws {
        try await TestHTTPServer.with { server in
            let c = client(server.url())
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await c.send(HTTPRequest(path: "/json"))
            }
            let error = await #expect(throws: HomelabError.self) { try await task.value }
            #expect(error?.code == .cancelled)
        }
    }

    @Test("the total timeout ends a slow answer with a timed-out error")
    func totalTimeout() async throws {
        try await TestHTTPServer.with { server in
            let error = await #expect(throws: HomelabError.self) {
                try await client(server.url()).send(HTTPRequest(path: "/slow?ms=5000", timeout: .seconds(0.4)))
            }
            #expect(error?.code == .timedOut)
            #expect(error?.description.contains("no complete answer") == true)
            #expect(error?.description.contains("GET /slow?ms=5000") == true)
        }
    }

    @Test("the connect timeout covers a TLS handshake that never happens")
    func connectTimeout() async throws {
        let transport = try CurlTransport(configuration: .init(connectTimeout: .milliseconds(300), totalTimeout: .seconds(600)))
        try await TestHTTPServer.with(["--silent"]) { server in
            let c = HTTPClient(transport: transport, endpoint: .url(server.url(tls: true)), component: "test", middleware: [])
            let start = ContinuousClock.now
            let error = await #expect(throws: HomelabError.self) { try await c.send(HTTPRequest(path: "/")) }
            #expect(error?.code == .timedOut)
            #expect(error?.description.contains("connecting to") == true, "\(String(describing: error))")
            #expect(ContinuousClock.now - start < .seconds(120), "the 300 ms connect timeout, not the 600 s total, must end it")
        }
    }

    @Test("a refused connection is a connection failure naming the endpoint")
    func refused() async throws {
        let port = try await TestHTTPServer.with { $0.port }  // stopped: nothing listens there now
        let error = await #expect(throws: HomelabError.self) {
            try await client("http://127.0.0.1:\(port)").send(HTTPRequest(path: "/x"))
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
    }

    @Test("streamed bodies arrive chunk by chunk and stopping the stream closes the transfer")
    func streaming() async throws {
        try await TestHTTPServer.with { server in
            let c = client(server.url())
            let response = try await c.stream(HTTPRequest(path: "/stream?key=s1&interval_ms=20", timeout: .none))
            #expect(response.status == 200)
            var seen: [String] = []
            for try await line in response.body.lines {
                seen.append(String(decoding: line, as: UTF8.self))
                if seen.count == 5 { break }
            }
            #expect(seen == (0..<5).map { #"{"seq": \#($0)}"# })
            // The server notices the client went away (the transfer was removed, the connection closed).
            var closed = 0
            for _ in 0..<50 where closed == 0 {
                try await Task.sleep(for: .milliseconds(100))
                closed = try await c.json(Count.self, HTTPRequest(path: "/count?key=s1-closed")).count
            }
            #expect(closed == 1)
        }
    }

    @Test("a streamed body nobody reads pauses the transfer, so the server stops sending; reading on loses nothing")
    func backPressure() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport(configuration: .init(streamBufferBytes: 256 << 10))
            defer { transport.shutdown() }
            let c = HTTPClient(transport: transport, endpoint: .url(server.url()), component: "test", middleware: [])
            // The server's pattern (byte i is i % 251), long enough to compare any chunk with memcmp.
            let block = 64_256
            let pattern = (0..<(block * 40)).map { UInt8($0 % 251) }
            let size = block * 500  // 32 MB, a whole number of the pattern's blocks
            let response = try await c.stream(HTTPRequest(path: "/firehose?key=bp&size=\(size)", timeout: .none))
            var iterator = response.body.makeAsyncIterator()
            var received = 0
            var intact = true
            func check(_ chunk: [UInt8]) {
                let offset = received % block
                let same = chunk.count + offset <= pattern.count && chunk.withUnsafeBytes { got in
                    pattern.withUnsafeBytes { all in
                        guard let a = got.baseAddress, let b = all.baseAddress else { return got.isEmpty }
                        return memcmp(a, b + offset, got.count) == 0
                    }
                }
                if !same { intact = false }
                received += chunk.count
            }
            check(try #require(try await iterator.next()))
            // Nothing is read for a second: libcurl stops reading the socket once 256 KiB wait unread, the
            // kernel buffers fill, and the server's writes block.
            try await Task.sleep(for: .seconds(1))
            let sent = try await client(server.url()).json(Count.self, HTTPRequest(path: "/count?key=bp-sent")).count
            #expect(sent < 24 << 20, "the server sent \(sent) bytes while the consumer had read \(received)")
            while let chunk = try await iterator.next() { check(chunk) }
            #expect(received == size)
            #expect(intact, "every byte arrives, in order, across the pauses")
        }
    }

    @Test("a unix socket endpoint reaches the server with the configured Host header")
    func unixSocket() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hl-\(UUID().uuidString.prefix(8)).sock").path
        try await TestHTTPServer.with(["--unix", path]) { server in
            let endpoint = Endpoint.unixSocket(server.socketPath ?? path, host: "docker")
            let c = HTTPClient(transport: Self.transport, endpoint: endpoint, component: "docker")
            let echo = try await c.json(Echo.self, HTTPRequest(path: "/echo/v1.41/info"))
            #expect(echo.path == "/echo/v1.41/info")
            #expect(echo.headers["Host"] == "docker")
            // An empty Host header is sent as such (Caddy's admin socket needs it).
            let caddy = HTTPClient(transport: Self.transport, endpoint: .unixSocket(path, host: ""), component: "caddy")
            let bare = try await caddy.json(Echo.self, HTTPRequest(path: "/echo/config/"))
            #expect(bare.headers["Host"] == "")
        }
    }

    @Test("a missing unix socket is a connection failure naming the socket")
    func missingSocket() async throws {
        let c = HTTPClient(transport: Self.transport, endpoint: .unixSocket("/nonexistent/docker.sock"), component: "docker")
        let error = await #expect(throws: HomelabError.self) { try await c.send(HTTPRequest(path: "/_ping")) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("unix:///nonexistent/docker.sock") == true)
        #expect(error?.description.hasPrefix("[docker]") == true)
    }

    @Test("non-2xx answers become errors carrying status and the server's message")
    func serverErrors() async throws {
        try await TestHTTPServer.with { server in
            let error = await #expect(throws: HomelabError.self) {
                try await client(server.url()).json(Echo.self, HTTPRequest(path: "/status/404"))
            }
            #expect(error?.code == .notFound)
            #expect(error?.status == 404)
            #expect(error?.serverMessage == "status 404")
            #expect(error?.description == "[test] GET /status/404: the server refused the request (HTTP 404: status 404)")
        }
    }

    @Test("an answer of the wrong shape names the field that did not decode")
    func decodingErrors() async throws {
        struct Wrong: Decodable { let items: String }
        try await TestHTTPServer.with { server in
            let error = await #expect(throws: HomelabError.self) {
                try await client(server.url()).json(Wrong.self, HTTPRequest(path: "/json?size=100"))
            }
            #expect(error?.code == .decodingFailed)
            #expect(error?.description.contains("at items") == true)
        }
    }
}
