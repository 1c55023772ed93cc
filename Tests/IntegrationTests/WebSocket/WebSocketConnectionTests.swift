import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// The WebSocket transport against a real, independent server (Python `websockets`) over TLS with a CA made by openssl.
@Suite("WebSocket transport against a real server")
struct WebSocketConnectionTests {
    static let wrongPin = "sha256//" + String(repeating: "A", count: 43) + "="

    /// Runs `body` with a TLS server whose CA is trusted through a CA file.
    func withTLSServer(clientCA: Bool = false, _ body: (WebSocketTestServer, TestPKI) async throws -> Void) async throws {
        guard try WebSocketTestServer.require() else { return }
        let pki = try await TestPKI.shared()
        try await WebSocketTestServer.with(cert: pki.serverCert, key: pki.serverKey, clientCA: clientCA ? pki.caCert : nil) {
            try await body($0, pki)
        }
    }

    func connect(_ server: WebSocketTestServer, _ tls: TLSOptions, path: String = "/echo") async throws -> WebSocketConnection {
        try await WebSocketConnection.connect(to: server.endpoint(tls), path: path, component: "ws-test")
    }

    /// The next message, or a failure when the stream ends first.
    func next(_ connection: WebSocketConnection) async throws -> String {
        var iterator = connection.messages.makeAsyncIterator()
        guard let message = try await iterator.next() else { throw ChildProcessError("the message stream ended") }
        return message
    }

    @Test("1 MiB messages arrive whole in both directions")
    func largeMessages() async throws {
        try await withTLSServer { server, pki in
            let connection = try await connect(server, TLSOptions(trust: .caFile(pki.caCert)))
            let size = 1 << 20
            let start = ContinuousClock.now
            try await connection.send("big \(size)")
            let received = try await next(connection)
            #expect(received.utf8.count == size)
            #expect(received.allSatisfy { $0 == "x" })
            let outgoing = String(repeating: "z", count: size)
            try await connection.send(outgoing)
            #expect(try await next(connection) == outgoing)
            print("note: 1 MiB from the server plus a 1 MiB echo over TLS took \(ContinuousClock.now - start)")
            await connection.close()
        }
    }

    @Test("a message the server sends in 16 fragments arrives as one message")
    func fragments() async throws {
        try await withTLSServer { server, pki in
            let connection = try await connect(server, TLSOptions(trust: .caFile(pki.caCert)))
            try await connection.send("fragmented 16 100000")
            let received = try await next(connection)
            #expect(received.utf8.count == 100_000)
            try await connection.send("after")
            #expect(try await next(connection) == "after")
            await connection.close()
        }
    }

    @Test("the client answers the server's ping with a pong")
    func pingPong() async throws {
        try await withTLSServer { server, pki in
            let connection = try await connect(server, TLSOptions(trust: .caFile(pki.caCert)))
            try await connection.send("ping")
            #expect(try await next(connection) == "pong received")
            await connection.close()
        }
    }

    @Test("a close from the server ends the messages with its code and reason")
    func serverClose() async throws {
        try await withTLSServer { server, pki in
            let connection = try await connect(server, TLSOptions(trust: .caFile(pki.caCert)))
            try await connection.send("close 4001 maintenance window")
            let error = await #expect(throws: HomelabError.self) {
                for try await _ in connection.messages {}
            }
            #expect(error?.code == .connectionFailed)
            #expect(error?.message.contains("4001") == true)
            #expect(error?.message.contains("maintenance window") == true)
            let sendError = await #expect(throws: HomelabError.self) { try await connection.send("late") }
            #expect(sendError?.code == .connectionFailed)
        }
    }

    @Test("a dropped connection ends the messages with a connection error")
    func dropped() async throws {
        try await withTLSServer { server, pki in
            let connection = try await connect(server, TLSOptions(trust: .caFile(pki.caCert)))
            try await connection.send("drop")
            let error = await #expect(throws: HomelabError.self) {
                for try await _ in connection.messages {}
            }
            #expect(error?.code == .connectionFailed)
        }
    }

    @Test("a pin mismatch is refused in the handshake: the server never sees an upgrade request")
    func pinMismatch() async throws {
        try await withTLSServer { server, pki in
            for tls in [
                TLSOptions(trust: .caFile(pki.caCert), pinnedPublicKeys: [Self.wrongPin]),
                TLSOptions(trust: .pinnedKeyOnly, pinnedPublicKeys: [Self.wrongPin]),
            ] {
                let error = await #expect(throws: HomelabError.self) { try await connect(server, tls) }
                #expect(error?.code == .tlsFailure)
                #expect(error?.component == "ws-test")
                #expect("\(error.map { "\($0)" } ?? "")".contains("pinned"))
            }
            // The only WebSocket the server ever served is this one.
            let rpc = try await connect(server, TLSOptions(trust: .caFile(pki.caCert)), path: "/rpc")
            try await rpc.send(#"{"jsonrpc":"2.0","id":1,"method":"stats"}"#)
            #expect(try await next(rpc).contains(#""connections": 1"#))
            await rpc.close()
        }
    }

    @Test("mutual TLS: the server refuses a client without a certificate and accepts one with it")
    func mutualTLS() async throws {
        try await withTLSServer(clientCA: true) { server, pki in
            let without = TLSOptions(trust: .caFile(pki.caCert))
            await #expect(throws: HomelabError.self) {
                let connection = try await connect(server, without)
                try await connection.send("hello")
                for try await _ in connection.messages {}
            }
            var with = without
            with.clientCertificate = .init(certificateFile: pki.clientCert, keyFile: pki.clientKey)
            let connection = try await connect(server, with)
            try await connection.send("hello")
            #expect(try await next(connection) == "hello")
            await connection.close()
        }
    }

    /// Each ping must be answered before the next one is due, so the interval leaves room for a machine busy with the
    /// whole suite (250 ms was missed there once: "Ping timeout").
    @Test("with pings every 2 s the server's pongs keep the connection open")
    func keepalivePings() async throws {
        try await withTLSServer { server, pki in
            let connection = try await WebSocketConnection.connect(
                to: server.endpoint(TLSOptions(trust: .caFile(pki.caCert))), path: "/echo",
                options: WebSocketOptions(pingInterval: .seconds(2)), component: "ws-test")
            try await Task.sleep(for: .milliseconds(5500))
            try await connection.send("still here")
            #expect(try await next(connection) == "still here")
            await connection.close()
        }
    }

    @Test("a unix socket endpoint carries the WebSocket (TrueNAS's local middlewared.sock)")
    func unixSocket() async throws {
        guard try WebSocketTestServer.require() else { return }
        let folder = try TemporaryFolder(prefix: "homelab-ws")
        let server = try await WebSocketTestServer(unixSocket: folder.file("middleware.sock"))
        defer { server.stop() }
        let connection = try await connect(server, TLSOptions())
        try await connection.send("over the socket")
        #expect(try await next(connection) == "over the socket")
        await connection.close()
    }

    @Test("a plain ws:// endpoint works without TLS")
    func plain() async throws {
        guard try WebSocketTestServer.require() else { return }
        try await WebSocketTestServer.with { server in
            let connection = try await connect(server, TLSOptions())
            try await connection.send("héllo ✓")
            #expect(try await next(connection) == "héllo ✓")
            await connection.close()
        }
    }
}
