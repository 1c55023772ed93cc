import Foundation
import HomelabCore
import HomelabTestSupport
import Logging
import Testing

/// `direct-tcpip` forwards (``SSHTunnel/Target/forward(host:port:)``) through a real sshd to a loopback HTTP(S)
/// server, directly and through ``HomelabConnections`` (`ssh_tunnel: NODE` on a TCP component).
@Suite("SSH direct-tcpip forwards through a real sshd on loopback", .serialized, .sshServer)
struct SSHForwardTests {
    struct Echo: Decodable {
        let path: String
        let headers: [String: String]
    }

    func tunnel(_ server: SSHTestServer, port: Int, host: String = "127.0.0.1") throws -> SSHTunnel {
        SSHTunnel(
            configuration: server.configuration(knownHosts: try server.trustingKnownHosts()),
            target: .forward(host: host, port: port), logger: LogCapture().logger())
    }

    func acceptedLogins(_ server: SSHTestServer) -> Int {
        let data = FileManager.default.contents(atPath: server.directory + "/sshd.log") ?? Data()
        return String(decoding: data, as: UTF8.self).components(separatedBy: "Accepted publickey").count - 1
    }

    @Test("plain HTTP through a forward: requests reach the server with the URL's Host, on one SSH session")
    func plainHTTP() async throws {
        guard let server = try SSHTestServer.require() else { return }
        try await TestHTTPServer.with { http in
            let tunnel = try tunnel(server, port: http.port)
            try await tunnel.start()
            let transport = try CurlTransport()
            let client = HTTPClient(
                transport: transport, endpoint: tunnel.carrying(.url(http.url())), component: "test", middleware: [])
            for i in 0..<10 {
                let echo = try await client.json(Echo.self, HTTPRequest(path: "/echo?i=\(i)"))
                #expect(echo.path == "/echo?i=\(i)")
                #expect(echo.headers["Host"] == "127.0.0.1:\(http.port)")
            }
            let statistics = tunnel.statistics
            #expect(statistics.sshConnections == 1)
            #expect(statistics.channelsOpened >= 1 && statistics.channelsOpened <= 2, "keep-alive reuses the channel")
            #expect(statistics.failedConnections == 0)
            await tunnel.shutdown()
            #expect(!FileManager.default.fileExists(atPath: tunnel.socketPath))
            transport.shutdown()
        }
    }

    @Test("HTTPS through a forward checks the certificate against the URL's host, not the tunnel")
    func httpsKeepsTheHostName() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let pki = try await TestPKI.shared()
        try await TestHTTPServer.with(["--cert", pki.serverCert, "--key", pki.serverKey]) { https in
            let tunnel = try tunnel(server, port: https.port)
            try await tunnel.start()
            let transport = try CurlTransport()
            let tls = TLSOptions(trust: .caFile(pki.caCert))
            // The certificate names 127.0.0.1 and localhost.
            for host in ["127.0.0.1", "localhost"] {
                let client = HTTPClient(
                    transport: transport, endpoint: tunnel.carrying(.url("https://\(host):\(https.port)", tls: tls)),
                    component: "test", middleware: [])
                let echo = try await client.json(Echo.self, HTTPRequest(path: "/echo"))
                #expect(echo.headers["Host"] == "\(host):\(https.port)")
            }
            // Same tunnel, same server, but a URL host the certificate does not name: refused.
            let wrong = HTTPClient(
                transport: transport, endpoint: tunnel.carrying(.url("https://127.0.0.2:\(https.port)", tls: tls)),
                component: "test", middleware: [])
            let error = try await #require(throws: HomelabError.self) { try await wrong.send(HTTPRequest(path: "/echo")) }
            #expect(error.code == .tlsFailure)
            await tunnel.shutdown()
            transport.shutdown()
        }
    }

    @Test("a forward to a port nobody listens on fails the request and records why")
    func refusedTarget() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let closedPort = try SSHLoopback.freePort()
        let tunnel = try tunnel(server, port: closedPort)
        try await tunnel.start()
        let transport = try CurlTransport()
        let client = HTTPClient(
            transport: transport, endpoint: tunnel.carrying(.url("http://127.0.0.1:\(closedPort)")), component: "test",
            middleware: [])
        let error = try await #require(throws: HomelabError.self) { try await client.send(HTTPRequest(path: "/")) }
        #expect(error.code == .connectionFailed)
        var failure = tunnel.statistics.lastFailure
        for _ in 0..<50 where failure == nil {
            try await Task.sleep(for: .milliseconds(50))
            failure = tunnel.statistics.lastFailure
        }
        #expect(failure?.request?.method == "ssh direct-tcpip")
        #expect(failure?.message.contains("did not forward to 127.0.0.1:\(closedPort)") == true)
        await tunnel.shutdown()
        transport.shutdown()
    }

    @Test("HomelabConnections: ssh_tunnel on TCP components shares one SSH session per node, closed once")
    func throughConnections() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let other = try await TestHTTPServer()
        defer { other.stop() }
        try await TestHTTPServer.with { http in
            let node = Homelab.Node(
                name: "barbary", role: .manager, platform: .truenas, address: "127.0.0.1",
                ssh: .init(user: server.user, port: server.port, identityFile: server.userKey))
            let homelab = Homelab(
                name: "t", nodes: [node], tiers: [], stacks: [],
                components: [
                    .forgejo: ComponentEndpoint(
                        kind: .forgejo, endpoint: .url(http.url() + "/echo"), sshTunnel: "barbary",
                        credentials: ["token": .env("FORGEJO_TOKEN")]),
                    .prometheus: ComponentEndpoint(kind: .prometheus, endpoint: .url(http.url() + "/echo"), sshTunnel: "barbary"),
                    .loki: ComponentEndpoint(kind: .loki, endpoint: .url(other.url() + "/echo"), sshTunnel: "barbary"),
                ])
            let capture = LogCapture()
            let transport = try CurlTransport()
            let connections = HomelabConnections(
                homelab: homelab, transport: transport,
                secrets: CompositeSecretResolver(environment: ["FORGEJO_TOKEN": "pat-123"]),
                sshLogin: SSHNodeShell(knownHostsFile: try server.trustingKnownHosts(), logger: capture.logger()),
                logger: capture.logger())
            let before = acceptedLogins(server)
            // Both components forward to the same host and port: one tunnel, however many ask at once.
            let clients = try await withThrowingTaskGroup(of: HTTPClient.self) { group in
                for kind in [ComponentKind.forgejo, .prometheus, .forgejo, .prometheus] {
                    group.addTask { try await connections.http(for: kind) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(clients.compactMap(\.endpoint.connectionSocket)).count == 1)
            let forgejo = try await connections.http(for: .forgejo)
            let echo = try await forgejo.json(Echo.self, HTTPRequest(path: "/version"))
            #expect(echo.headers["Authorization"] == "token pat-123")
            let row = await ComponentProbe.probe(.prometheus, connections: connections)
            #expect(row.reachable, "\(row.detail)")
            #expect(row.endpoint.hasSuffix("via ssh barbary"))
            // Another target on the same node: another socket, the same SSH session.
            let loki = try await connections.http(for: .loki)
            let lokiEcho = try await loki.json(Echo.self, HTTPRequest(path: "/x"))
            #expect(lokiEcho.headers["Host"] == "127.0.0.1:\(other.port)")
            #expect(loki.endpoint.connectionSocket != forgejo.endpoint.connectionSocket)
            #expect(acceptedLogins(server) - before == 1, "one SSH login for the node")
            let socket = try #require(forgejo.endpoint.connectionSocket)
            let lokiSocket = try #require(loki.endpoint.connectionSocket)
            await connections.close()
            await connections.close()
            #expect(!FileManager.default.fileExists(atPath: socket))
            #expect(!FileManager.default.fileExists(atPath: lokiSocket))
            #expect(!capture.text.contains("pat-123"))
            transport.shutdown()
        }
    }

    @Test("a tunnel that cannot start is shut down, its error is located, and the next call tries again")
    func failedOpening() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let node = Homelab.Node(
            name: "ching", role: .manager, platform: .proxmoxVM, address: "127.0.0.1",
            ssh: .init(user: server.user, port: server.port, identityFile: server.userKey))
        let homelab = Homelab(
            name: "t", nodes: [node], tiers: [], stacks: [],
            components: [.caddy: ComponentEndpoint(kind: .caddy, endpoint: .url("http://localhost:2019"), sshTunnel: "ching")])
        let wrongKey = try server.knownHostsFile(["\(server.knownHostsName) \(server.otherHostKeyLine)"])
        let transport = try CurlTransport()
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]),
            sshLogin: SSHNodeShell(knownHostsFile: wrongKey, logger: LogCapture().logger()))
        let first = try await #require(throws: HomelabError.self) { try await connections.http(for: .caddy) }
        #expect(first.code == .hostKeyMismatch)
        let second = try await #require(throws: HomelabError.self) { try await connections.http(for: .caddy) }
        #expect(second.code == .hostKeyMismatch, "a failed opening is not kept: the second call connected again")
        let row = await ComponentProbe.probe(.caddy, connections: connections)
        #expect(row.state == .down("SSH host key mismatch: \(first.message)"))
        await connections.close()
        transport.shutdown()
    }
}
