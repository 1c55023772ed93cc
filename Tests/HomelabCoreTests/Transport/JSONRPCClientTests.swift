import Foundation
import Synchronization
import Testing

@testable import HomelabCore

/// The JSON-RPC client against an in-memory fake server: no sockets.
@Suite("JSON-RPC client")
struct JSONRPCClientTests {
    static let login: JSONRPCClient.Authenticate = { session in
        guard try await session.call("login", .array([.string("key")])) == .bool(true) else {
            throw HomelabError(.unauthorized, "the API key was refused")
        }
    }

    func client(
        _ server: FakeJSONRPCServer, configuration: JSONRPCConfiguration = JSONRPCConfiguration(callTimeout: .seconds(10)),
        clock: any Clock<Duration> = ContinuousClock(), authenticate: JSONRPCClient.Authenticate? = nil
    ) -> JSONRPCClient {
        JSONRPCClient(
            component: "fake", configuration: configuration, clock: clock, random: { 0.5 },
            connect: { server.connect() }, authenticate: authenticate)
    }

    /// Waits (real time, bounded) until `condition` holds.
    func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test("answers are matched to calls by id even when they come in reverse order")
    func idMatching() async throws {
        let server = FakeJSONRPCServer()
        let rpc = client(server)
        async let a = rpc.call("hold")
        async let b = rpc.call("hold")
        async let c = rpc.call("hold")
        try await eventually { server.methods.filter { $0 == "hold" }.count == 3 }
        #expect(try await rpc.call("release") == .integer(3))
        let answers = try await [a, b, c]
        #expect(Set(answers).count == 3)
        #expect(answers.allSatisfy { if case .string(let s) = $0 { return s.hasPrefix("answer to") } else { return false } })
        await rpc.close()
    }

    @Test("a call without an answer times out; the others go on")
    func callTimeout() async throws {
        let server = FakeJSONRPCServer()
        let rpc = client(server, configuration: JSONRPCConfiguration(callTimeout: .seconds(10)))
        let error = await #expect(throws: HomelabError.self) { try await rpc.call("hold", timeout: .milliseconds(50)) }
        #expect(error?.code == .timedOut)
        #expect(error?.message.contains("hold") == true)
        #expect(try await rpc.call("echo", .array([.integer(7)])) == .array([.integer(7)]))
        await rpc.close()
    }

    @Test("an error answer becomes a HomelabError with the JSON-RPC error underneath and no params")
    func errorAnswer() async throws {
        let rpc = client(FakeJSONRPCServer())
        let error = await #expect(throws: HomelabError.self) { try await rpc.call("fail", .array([.string("s3cr3t-value")])) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.component == "fake")
        #expect((error?.underlying as? JSONRPCError) == JSONRPCError(code: -32602, message: "bad", errorName: "EINVAL", reason: "name is wrong"))
        #expect(!"\(error.map { "\($0)" } ?? "")".contains("s3cr3t"))
        await rpc.close()
    }

    @Test("a lost connection fails the calls in flight, and the next call reconnects and logs in again")
    func lostConnection() async throws {
        let server = FakeJSONRPCServer()
        let rpc = client(
            server, configuration: JSONRPCConfiguration(reconnect: JSONRPCReconnectPolicy(initialDelay: .milliseconds(1))),
            authenticate: Self.login)
        try await rpc.open()
        let held = Task { try await rpc.call("hold") }
        try await eventually { server.methods.contains("hold") }
        _ = try? await rpc.call("drop", timeout: .milliseconds(200))
        let error = await #expect(throws: HomelabError.self) { try await held.value }
        #expect(error?.code == .connectionFailed)
        #expect(try await rpc.call("echo", .string("again")) == .string("again"))
        #expect(server.connects == 2)
        #expect(server.logins.count == 2)
        let loginFirst = server.methods.split(separator: "drop").last?.first
        #expect(loginFirst == "login")
        await rpc.close()
    }

    @Test("a refused login stops the client: no retry, no second login, a clear unauthorized error")
    func refusedLogin() async throws {
        let server = FakeJSONRPCServer(acceptsLogin: false)
        let rpc = client(server, authenticate: Self.login)
        let error = await #expect(throws: HomelabError.self) { try await rpc.open() }
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("stops instead of retrying") == true)
        let later = await #expect(throws: HomelabError.self) { try await rpc.call("echo") }
        #expect(later?.code == .unauthorized)
        try await Task.sleep(for: .milliseconds(50))
        #expect(server.connects == 1)
        #expect(server.logins.count == 1)
        await rpc.close()
    }

    @Test("logins that keep failing on a flaky link stay within the login budget (5 per 60 s)")
    func loginBudget() async throws {
        let clock = SteppingClock()
        let start = clock.now
        let server = FakeJSONRPCServer(dropOnLogin: true, now: { start.duration(to: clock.now) })
        let policy = JSONRPCReconnectPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1), maximumAttempts: nil)
        let rpc = client(
            server, configuration: JSONRPCConfiguration(callTimeout: nil, reconnect: policy), clock: clock,
            authenticate: Self.login)
        let opening = Task { try await rpc.open() }
        try await eventually { server.logins.count >= 16 }
        let logins = server.logins
        #expect(logins.count >= 16)
        for (index, time) in logins.enumerated() {
            let inWindow = logins[index...].prefix { $0 - time < .seconds(60) }.count
            #expect(inWindow <= 5, "logins \(index)... in 60 s: \(inWindow)")
        }
        await rpc.close()
        opening.cancel()
        _ = await opening.result
    }

    @Test("notifications reach the sequences that asked for them, by name")
    func notifications() async throws {
        let rpc = client(FakeJSONRPCServer())
        let updates = await rpc.notifications(named: "update")
        let all = await rpc.notifications()
        _ = try await rpc.call("emit")
        var updateIterator = updates.makeAsyncIterator()
        var allIterator = all.makeAsyncIterator()
        #expect(try await updateIterator.next()?.method == "update")
        #expect(try await allIterator.next()?.method == "other")
        #expect(try await allIterator.next()?.method == "update")
        await rpc.close()
        #expect(try await updateIterator.next() == nil)
    }

    @Test("subscriptions are made again after a reconnect and keep delivering")
    func subscriptionReplay() async throws {
        let server = FakeJSONRPCServer()
        let rpc = client(server, configuration: JSONRPCConfiguration(reconnect: JSONRPCReconnectPolicy(initialDelay: .milliseconds(1))))
        let updates = try await rpc.subscribe("subscribe", notifications: "update")
        #expect(server.subscribes == 1)
        _ = try? await rpc.call("drop", timeout: .milliseconds(200))
        _ = try await rpc.call("emit")
        #expect(server.subscribes == 2)
        var iterator = updates.makeAsyncIterator()
        #expect(try await iterator.next()?.method == "update")
        await rpc.close()
    }

    @Test("a keepalive call without an answer drops the connection and the client reconnects")
    func keepalive() async throws {
        let server = FakeJSONRPCServer(silentPings: true)
        let configuration = JSONRPCConfiguration(
            reconnect: JSONRPCReconnectPolicy(initialDelay: .milliseconds(1)),
            keepalive: JSONRPCKeepalive(method: "core.ping", interval: .milliseconds(20), timeout: .milliseconds(20)))
        let rpc = client(server, configuration: configuration)
        try await rpc.open()
        try await eventually { server.connects >= 2 }
        #expect(server.connects >= 2)
        server.state.withLock { $0.silentPings = false }
        #expect(try await rpc.call("echo", .bool(true)) == .bool(true))
        await rpc.close()
    }

    @Test("a closed client fails its calls as cancelled and stays closed")
    func closed() async throws {
        let server = FakeJSONRPCServer()
        let rpc = client(server)
        let held = Task { try await rpc.call("hold") }
        try await eventually { server.methods.contains("hold") }
        await rpc.close()
        let error = await #expect(throws: HomelabError.self) { try await held.value }
        #expect(error?.code == .cancelled)
        let after = await #expect(throws: HomelabError.self) { try await rpc.call("echo") }
        #expect(after?.code == .cancelled)
    }
}
