import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// JSON-RPC 2.0 over a real WebSocket server: concurrent calls, errors, subscriptions, reconnect and the login guard.
@Suite("JSON-RPC over a real WebSocket")
struct JSONRPCOverWebSocketTests {
    func withRPC(
        configuration: JSONRPCConfiguration = JSONRPCConfiguration(callTimeout: .seconds(20)),
        authenticate: JSONRPCClient.Authenticate? = nil,
        _ body: (JSONRPCClient, WebSocketTestServer) async throws -> Void
    ) async throws {
        guard try WebSocketTestServer.require() else { return }
        let pki = try await TestPKI.shared()
        try await WebSocketTestServer.with(cert: pki.serverCert, key: pki.serverKey) { server in
            let endpoint = server.endpoint(TLSOptions(trust: .caFile(pki.caCert)))
            let client = JSONRPCClient(component: "rpc-test", configuration: configuration, connect: {
                try await WebSocketConnection.connect(to: endpoint, path: "/rpc", component: "rpc-test")
            }, authenticate: authenticate)
            try await body(client, server)
            await client.close()
        }
    }

    static let login: JSONRPCClient.Authenticate = { session in
        guard try await session.call("login", .array([.string("good")])) == .bool(true) else {
            throw HomelabError(.unauthorized, "the API key was refused")
        }
    }

    @Test("concurrent calls are matched to their answers by id, whatever the answer order")
    func concurrentCalls() async throws {
        try await withRPC { client, _ in
            async let slow = client.call("sleep", .array([.number(0.4), .string("slow")]))
            async let fast = client.call("sleep", .array([.number(0.05), .string("fast")]))
            async let echo = client.call("echo", .object(["a": .integer(1)]))
            let results = try await (slow, fast, echo)
            #expect(results.0 == .string("slow"))
            #expect(results.1 == .string("fast"))
            #expect(results.2 == .object(["a": .integer(1)]))
        }
    }

    @Test("an error object becomes a HomelabError with the JSON-RPC code and message, never the params")
    func errorObject() async throws {
        try await withRPC { client, _ in
            let error = await #expect(throws: HomelabError.self) { try await client.call("fail", .array([.string("secret-param-value")])) }
            #expect(error?.code == .notFound)
            let rpc = error?.underlying as? JSONRPCError
            #expect(rpc?.code == -32001)
            #expect(rpc?.errorName == "ENOENT")
            #expect(rpc?.message == "no such thing")
            #expect(!"\(error.map { "\($0)" } ?? "")".contains("secret-param-value"))
        }
    }

    @Test("a subscription delivers its notifications as an AsyncSequence")
    func subscription() async throws {
        try await withRPC { client, _ in
            let updates = try await client.subscribe(
                "core.subscribe", .array([.string("alert.list")]), notifications: "collection_update", unsubscribe: "core.unsubscribe")
            _ = try await client.call("emit", .array([.string("alert.list")]))
            var iterator = updates.makeAsyncIterator()
            let first = try await iterator.next()
            #expect(field(first?.params, "collection") == .string("alert.list"))
        }
    }

    @Test("after a dropped connection the client reconnects and logs in again")
    func reconnect() async throws {
        let configuration = JSONRPCConfiguration(
            callTimeout: .seconds(20), reconnect: JSONRPCReconnectPolicy(initialDelay: .milliseconds(50)))
        try await withRPC(configuration: configuration, authenticate: Self.login) { client, _ in
            try await client.open()
            #expect(try await client.call("stats") == stats(connections: 1, logins: 1))
            let lost = await #expect(throws: HomelabError.self) { try await client.call("drop") }
            #expect(lost?.code == .connectionFailed)
            let start = ContinuousClock.now
            #expect(try await client.call("stats") == stats(connections: 2, logins: 2))
            print("note: reconnect + login after a dropped connection took \(ContinuousClock.now - start)")
        }
    }

    @Test("a refused login stops the client: one login attempt, no retries, a clear unauthorized error")
    func refusedLogin() async throws {
        let refused: JSONRPCClient.Authenticate = { session in
            guard try await session.call("login", .array([.string("bad")])) == .bool(true) else {
                throw HomelabError(.unauthorized, "the API key was refused")
            }
        }
        try await withRPC(authenticate: refused) { client, server in
            let error = await #expect(throws: HomelabError.self) { try await client.open() }
            #expect(error?.code == .unauthorized)
            #expect(error?.message.contains("stops instead of retrying") == true)
            let again = await #expect(throws: HomelabError.self) { try await client.call("echo") }
            #expect(again?.code == .unauthorized)
            let pki = try await TestPKI.shared()
            let observer = JSONRPCClient(component: "observer") {
                try await WebSocketConnection.connect(
                    to: server.endpoint(TLSOptions(trust: .caFile(pki.caCert))), path: "/rpc", component: "observer")
            }
            #expect(field(try await observer.call("stats"), "logins") == .integer(1))
            await observer.close()
        }
    }
}

/// A field of a JSON object, or nil.
func field(_ value: JSONValue?, _ key: String) -> JSONValue? {
    if case .object(let fields) = value { return fields[key] }
    return nil
}

/// The test server's `stats` answer.
func stats(connections: Int64, logins: Int64) -> JSONValue {
    .object(["connections": .integer(connections), "logins": .integer(logins)])
}
