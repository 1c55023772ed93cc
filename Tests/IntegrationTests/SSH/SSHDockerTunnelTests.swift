import Foundation
import HomelabCore
import Logging
import HomelabTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SSHDockerTunnel against a real sshd on loopback. The remote command is a stdio HTTP/1.1 responder
/// (stdio_http_responder.py) standing in for `docker system dial-stdio`; one test uses a real dockerd when
/// HOMELAB_TEST_DOCKER_HOST names one.
@Suite("SSHDockerTunnel through a real sshd on loopback", .serialized, .sshServer)
struct SSHDockerTunnelTests {
    static let python = "/usr/bin/python3"

    /// The test server, a python3 for the responder, and the responder command (the script is copied into
    /// the server's directory, which the login user can read).
    func fixture(sourceLocation: SourceLocation = #_sourceLocation) throws -> (SSHTestServer, String)? {
        guard let server = try SSHTestServer.require(sourceLocation: sourceLocation) else { return nil }
        guard
            try RealServer.require(
                "python3", available: FileManager.default.isExecutableFile(atPath: Self.python),
                hint: "apt-get install python3", sourceLocation: sourceLocation)
        else { return nil }
        let script = server.directory + "/stdio_http_responder.py"
        if !FileManager.default.fileExists(atPath: script) {
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("stdio_http_responder.py").path
            try FileManager.default.copyItem(atPath: source, toPath: script)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: script)
        }
        return (server, "\(Self.python) -u \(script)")
    }

    /// A tunnel to the test server built from its `ssh://` URL.
    func tunnel(
        _ server: SSHTestServer, command: String?, path: String = "", logger: Logger = LogCapture().logger()
    ) throws -> SSHDockerTunnel {
        try SSHDockerTunnel(
            url: "ssh://\(server.user)@127.0.0.1:\(server.port)\(path)", defaultUser: "nobody",
            authentication: .keyFile(path: server.userKey), knownHostsFile: try server.trustingKnownHosts(),
            remoteCommand: command, logger: logger)
    }

    /// How many logins sshd has accepted so far (its log says `Accepted publickey` once per SSH connection).
    func acceptedLogins(_ server: SSHTestServer) -> Int {
        let data = FileManager.default.contents(atPath: server.directory + "/sshd.log") ?? Data()
        // sshd -E writes CRLF line ends; count occurrences rather than lines.
        return String(decoding: data, as: UTF8.self).components(separatedBy: "Accepted publickey").count - 1
    }

    /// The tunnel's latest failure, once it has recorded one (it does so when the failed link is retired).
    func lastFailure(_ tunnel: SSHDockerTunnel) async -> HomelabError? {
        var waited = 0
        while tunnel.statistics.lastFailure == nil, waited < 100 {
            try? await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        return tunnel.statistics.lastFailure
    }

    func client(_ transport: CurlTransport, _ tunnel: SSHDockerTunnel) -> HTTPClient {
        HTTPClient(transport: transport, endpoint: tunnel.endpoint, component: "docker", middleware: [])
    }

    @Test("50 sequential requests ride one SSH connection and, kept alive, one channel")
    func sequentialRequestsShareOneSession() async throws {
        guard let (server, command) = try fixture() else { return }
        let loginsBefore = acceptedLogins(server)
        let tunnel = try tunnel(server, command: command)
        let started = ContinuousClock.now
        try await tunnel.start()
        let startCost = ContinuousClock.now - started
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let http = client(transport, tunnel)

        var pids: Set<String> = []
        var numbers: [Int] = []
        var firstCost = Duration.zero
        let first = ContinuousClock.now
        for _ in 0..<50 {
            let response = try await http.send(HTTPRequest(path: "/hello"))
            #expect(response.status == 200)
            #expect(response.body == Array("hello".utf8))
            pids.insert(response.headers["X-Responder-Pid"] ?? "?")
            numbers.append(Int(response.headers["X-Request-Number"] ?? "") ?? -1)
            if numbers.count == 1 { firstCost = ContinuousClock.now - first }
        }
        let elapsed = ContinuousClock.now - first - firstCost
        let statistics = tunnel.statistics
        #expect(statistics.sshConnections == 1)
        #expect(statistics.channelsOpened == 1, "keep-alive should carry every request on one channel")
        #expect(pids.count == 1)
        #expect(numbers == Array(1...50))
        await tunnel.shutdown()
        #expect(acceptedLogins(server) - loginsBefore == 1, "sshd must have seen exactly one SSH connection")
        let perSecond = 49 / max(elapsed.seconds, 0.000_001)
        print(
            "figure: tunnel start (ssh connect + command check) \(startCost); first request (new channel + command "
                + "start) \(firstCost); 49 more sequential requests \(elapsed) = \(Int(perSecond)) requests/s")
    }

    @Test("10 concurrent requests get channels of their own on the same SSH connection")
    func concurrentRequestsShareTheSession() async throws {
        guard let (server, command) = try fixture() else { return }
        let loginsBefore = acceptedLogins(server)
        let tunnel = try tunnel(server, command: command)
        try await tunnel.start()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let http = client(transport, tunnel)

        let responses = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
            for _ in 0..<10 {
                group.addTask { try await http.send(HTTPRequest(path: "/slow?ms=300")) }
            }
            return try await group.reduce(into: [HTTPResponse]()) { $0.append($1) }
        }
        #expect(responses.count == 10)
        #expect(responses.allSatisfy { $0.status == 200 && $0.body == Array("slow".utf8) })
        let pids = Set(responses.compactMap { $0.headers["X-Responder-Pid"] })
        let statistics = tunnel.statistics
        #expect(pids.count > 1, "concurrent requests must not wait for one another on a single channel")
        #expect(statistics.channelsOpened == pids.count)
        #expect(statistics.sshConnections == 1)
        await tunnel.shutdown()
        #expect(acceptedLogins(server) - loginsBefore == 1)
    }

    @Test("a 1 MB body goes up and comes back intact")
    func largeBodyRoundTrips() async throws {
        guard let (server, command) = try fixture() else { return }
        let tunnel = try tunnel(server, command: command)
        try await tunnel.start()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let body = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 11) }
        let response = try await client(transport, tunnel).send(HTTPRequest(method: .post, path: "/echo", body: body))
        #expect(response.status == 200)
        #expect(response.body.count == body.count)
        #expect(response.body == body)
        // The same channel still answers afterwards.
        let after = try await client(transport, tunnel).send(HTTPRequest(path: "/hello"))
        #expect(after.headers["X-Request-Number"] == "2")
        await tunnel.shutdown()
    }

    @Test(
        "a remote command that cannot start fails start() with its exit and stderr, and leaves no socket",
        arguments: [
            ("echo 'cannot connect to the Docker daemon' >&2; exit 3", "status 3", "cannot connect to the Docker daemon"),
            ("no-such-docker-binary system dial-stdio", "status 127", "not found"),
        ])
    func failingCommand(command: String, exit: String, stderr: String) async throws {
        guard let (server, _) = try fixture() else { return }
        let tunnel = try tunnel(server, command: command)
        let error = await #expect(throws: HomelabError.self) { try await tunnel.start() }
        #expect(error?.code == .connectionFailed)
        #expect(error?.component == "ssh")
        #expect(error?.description.contains(exit) == true, "\(String(describing: error))")
        #expect(error?.serverMessage?.contains(stderr) == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: tunnel.socketPath))
        await tunnel.shutdown()
    }

    @Test("a command that fails for a later connection is reported, and the request fails")
    func laterCommandFailure() async throws {
        guard let (server, _) = try fixture() else { return }
        // Succeeds for start()'s check (empty input), fails as soon as a request arrives.
        let command = #"[ -n "$(head -c 1)" ] && { echo 'daemon went away' >&2; exit 4; }; exit 0"#
        let tunnel = try tunnel(server, command: command)
        try await tunnel.start()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let error = await #expect(throws: HomelabError.self) {
            try await client(transport, tunnel).send(HTTPRequest(path: "/_ping"))
        }
        #expect(error?.code == .connectionFailed)
        let failure = await lastFailure(tunnel)
        #expect(failure?.code == .connectionFailed)
        #expect(failure?.description.contains("status 4") == true, "\(String(describing: failure))")
        #expect(failure?.serverMessage == "daemon went away")
        await tunnel.shutdown()
    }

    @Test("a stream the client stops frees its channel, and other requests meanwhile use channels of their own")
    func streamStoppedByClient() async throws {
        guard let (server, command) = try fixture() else { return }
        let tunnel = try tunnel(server, command: command)
        try await tunnel.start()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let http = client(transport, tunnel)
        let stream = try await http.stream(HTTPRequest(path: "/stream", timeout: .none))
        #expect(stream.status == 200)
        var ticks: [String] = []
        for try await line in stream.body.lines {
            ticks.append(String(decoding: line, as: UTF8.self))
            if ticks.count == 2 {
                let hello = try await http.send(HTTPRequest(path: "/hello"))
                #expect(hello.status == 200)
                #expect(hello.headers["X-Responder-Pid"] != stream.headers["X-Responder-Pid"])
            }
            if ticks.count == 4 { break }
        }
        #expect(ticks == ["tick 1", "tick 2", "tick 3", "tick 4"])
        #expect(tunnel.statistics.channelsOpened == 2)
        // The /hello connection stays open (keep-alive); the stream's channel must close.
        var waited = 0
        while tunnel.statistics.openChannels != 1, waited < 100 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        #expect(tunnel.statistics.openChannels == 1)
        await tunnel.shutdown()
        #expect(tunnel.statistics.openChannels == 0)
    }

    @Test("a lost SSH connection is noticed, its channels closed, and the next connection reconnects")
    func reconnectsAfterLoss() async throws {
        guard let (server, command) = try fixture() else { return }
        let loginsBefore = acceptedLogins(server)
        let tunnel = try tunnel(server, command: command)
        try await tunnel.start()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let http = client(transport, tunnel)
        let first = try await http.send(HTTPRequest(path: "/hello"))
        #expect(first.status == 200)
        #expect(tunnel.statistics.openChannels == 1)

        // End the server side of this SSH connection: its per-connection sshd child.
        let child = try #require(sessionChildPID(server), "sshd logs 'User child is on pid N' at LogLevel VERBOSE")
        kill(child, SIGTERM)
        var waited = 0
        while tunnel.statistics.openChannels != 0, waited < 100 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        #expect(tunnel.statistics.openChannels == 0, "the pump must notice the lost session and close its channels")

        let second = try await http.send(HTTPRequest(path: "/hello"))
        #expect(second.status == 200)
        #expect(second.headers["X-Responder-Pid"] != first.headers["X-Responder-Pid"])
        #expect(tunnel.statistics.sshConnections == 2)
        #expect(acceptedLogins(server) - loginsBefore == 2)
        await tunnel.shutdown()
    }

    /// The pid sshd logged last as `User child is on pid N` (the per-connection process after login).
    func sessionChildPID(_ server: SSHTestServer) -> pid_t? {
        let data = FileManager.default.contents(atPath: server.directory + "/sshd.log") ?? Data()
        let log = String(decoding: data, as: UTF8.self)
        guard let range = log.range(of: "User child is on pid ", options: .backwards) else { return nil }
        return pid_t(log[range.upperBound...].prefix(while: { $0.isNumber }))
    }

    @Test("half-close passes both ways: local EOF reaches the command, whose later output still arrives")
    func halfClose() async throws {
        guard let (server, _) = try fixture() else { return }
        let tunnel = try tunnel(server, command: "cat; echo ' and done'")
        try await tunnel.start()
        let reply = try await Task.detached { try UnixStreamClient.exchange(tunnel.socketPath, send: "ping") }.value
        #expect(reply == "ping and done\n")
        await tunnel.shutdown()
    }

    @Test("shutdown removes the socket and its directory; requests then fail; start is refused")
    func shutdownCleansUp() async throws {
        guard let (server, command) = try fixture() else { return }
        let tunnel = try tunnel(server, command: command)
        try await tunnel.start()
        #expect(FileManager.default.fileExists(atPath: tunnel.socketPath))
        let directory = URL(fileURLWithPath: tunnel.socketPath).deletingLastPathComponent().path
        let mode = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let http = client(transport, tunnel)
        _ = try await http.send(HTTPRequest(path: "/hello"))

        await tunnel.shutdown()
        #expect(!FileManager.default.fileExists(atPath: tunnel.socketPath))
        #expect(!FileManager.default.fileExists(atPath: directory))
        let error = await #expect(throws: HomelabError.self) { try await http.send(HTTPRequest(path: "/hello")) }
        #expect(error?.code == .connectionFailed)
        let restart = await #expect(throws: HomelabError.self) { try await tunnel.start() }
        #expect(restart?.code == .cancelled)
    }

    @Test("real dockerd: GET /_ping through docker system dial-stdio (the test dockerd of scripts/dockerd-test.sh)")
    func realDockerPing() async throws {
        guard let path = try DockerTestEngine.socketPath(), let (server, _) = try fixture() else { return }
        // The URL's path becomes `docker --host=unix://<path> system dial-stdio` on the remote side.
        let tunnel = try tunnel(server, command: nil, path: path)
        #expect(tunnel.remoteCommand == "docker --host=unix://\(path) system dial-stdio")
        try await tunnel.start()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let http = client(transport, tunnel)
        let response = try await http.send(HTTPRequest(path: "/_ping"))
        #expect(response.status == 200)
        #expect(response.body == Array("OK".utf8))
        #expect(response.headers["Api-Version"] != nil)

        struct Version: Decodable { var ApiVersion: String }
        let version = try await http.json(Version.self, HTTPRequest(path: "/version"))
        #expect(!version.ApiVersion.isEmpty)
        let started = ContinuousClock.now
        for _ in 0..<50 { _ = try await http.send(HTTPRequest(path: "/_ping")) }
        let elapsed = ContinuousClock.now - started
        #expect(tunnel.statistics.channelsOpened == 1, "keep-alive should carry every request on one channel")
        await tunnel.shutdown()
        print("figure: real dockerd API \(version.ApiVersion): 50 sequential GET /_ping through the tunnel in \(elapsed)")
    }
}

extension SSHDockerTunnelTests {
    @Test("SwarmClient.open over ssh:// negotiates and lists through one SSH session (real dockerd)")
    func swarmClientOverSSH() async throws {
        guard let socket = try DockerTestEngine.socketPath(), let (server, _) = try fixture() else { return }
        let logins = acceptedLogins(server)
        let connection = try DockerConnection(
            host: DockerConnection.parse("ssh://\(server.user)@127.0.0.1:\(server.port)\(socket)"))
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let open = try await SwarmClient.open(
            transport: transport, connection: connection,
            ssh: SSHDockerLogin(
                defaultUser: "nobody", authentication: .keyFile(path: server.userKey),
                knownHostsFile: try server.trustingKnownHosts()))
        let version = try await open.client.apiVersion()
        #expect(version.description == "1.41")
        _ = try await open.client.services.list()
        _ = try await open.client.nodes.list()
        #expect(acceptedLogins(server) == logins + 1, "every request rides the one SSH session")
        await open.close()
    }

    @Test("an ssh:// host without a login is a clear configuration error")
    func sshNeedsLogin() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let error = await #expect(throws: HomelabError.self) {
            _ = try await SwarmClient.open(
                transport: transport, connection: DockerConnection(host: try DockerConnection.parse("ssh://ops@barbary.lab")))
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.description.contains("needs an SSH login") == true)
    }
}

/// A blocking unix-socket client: sends text, half-closes, and reads until the server's EOF.
enum UnixStreamClient {
    static func exchange(_ path: String, send text: String) throws -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ChildProcessError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (i, byte) in path.utf8.enumerated() { bytes[i] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw ChildProcessError("connect(\(path)) failed: errno \(errno)") }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else {
            throw ChildProcessError("send failed: errno \(errno)")
        }
        shutdown(fd, Int32(SHUT_WR))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw ChildProcessError("recv failed: errno \(errno)") }
            received.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: received, as: UTF8.self)
    }
}
