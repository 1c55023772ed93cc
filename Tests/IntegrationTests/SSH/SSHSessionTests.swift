import Foundation
import HomelabCore
import Logging
import HomelabTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SSHSession against a real OpenSSH sshd on 127.0.0.1. Host-key and authentication cases are in
/// SSHHostKeyTests.swift and SSHAuthenticationTests.swift (extensions of this suite, same server).
@Suite("SSHSession against a real sshd on loopback", .serialized, .sshServer)
struct SSHSessionTests {
    /// A connected-on-demand session to the test server that trusts its host key.
    func trustingSession(_ server: SSHTestServer, logger: Logger = LogCapture().logger()) throws -> SSHSession {
        SSHSession(configuration: server.configuration(knownHosts: try server.trustingKnownHosts()), logger: logger)
    }

    @Test("runs commands and reports the host key fingerprint that ssh-keygen -lf shows")
    func runsCommands() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let session = try trustingSession(server)
        try await session.connect()
        #expect(await session.serverFingerprint == server.hostKeyFingerprint)

        let hello = try await session.run("echo hello")
        #expect(hello.stdoutText == "hello\n")
        #expect(hello.stderr.isEmpty)
        #expect(hello.exitStatus == 0)
        #expect(hello.succeeded)

        let whoami = try await session.run("id -un")
        #expect(whoami.stdoutText == server.user + "\n")
        await session.close()
    }

    @Test("keeps stdout, stderr and a non-zero exit status apart")
    func separatesStreams() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let session = try trustingSession(server)
        let result = try await session.run("echo out; echo err >&2; exit 3")
        #expect(result.stdoutText == "out\n")
        #expect(result.stderrText == "err\n")
        #expect(result.exitStatus == 3)
        #expect(!result.succeeded)

        let error = #expect(throws: HomelabError.self) { try result.requireSuccess() }
        #expect(error?.code == .commandFailed)
        #expect(error?.description.contains("status 3") == true)
        #expect(error?.description.contains("err") == true)
        await session.close()
    }

    @Test("feeds stdin larger than the channel window and reads as much output back")
    func roundTripsLargeStdin() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let session = try trustingSession(server)
        let input = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let echoed = try await session.run("cat", stdin: input)
        #expect(echoed.exitStatus == 0)
        #expect(echoed.stdout.count == input.count)
        #expect(echoed.stdout == input)

        // Without stdin the command's input is closed at once, so a reader does not hang.
        let empty = try await session.run("wc -c", timeout: .seconds(10))
        #expect(empty.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        await session.close()
    }

    @Test("a command timeout stops waiting, closes the channel and leaves the session usable")
    func commandTimeout() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let session = try trustingSession(server)
        try await session.connect()
        let started = ContinuousClock.now
        let error = await #expect(throws: HomelabError.self) {
            try await session.run("sleep 5", timeout: .seconds(1))
        }
        let elapsed = ContinuousClock.now - started
        #expect(error?.code == .timedOut)
        #expect(error?.component == "ssh")
        #expect(error?.request?.method == "ssh exec")
        #expect(error?.description.contains("1 s") == true)
        #expect(elapsed < .seconds(4), "the 1 s timeout must end the wait long before sleep 5 does (took \(elapsed))")

        let after = try await session.run("echo still here")
        #expect(after.stdoutText == "still here\n")
        await session.close()
    }

    @Test("cancelling the calling task aborts the running command")
    func cancellationAbortsCommand() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let session = try trustingSession(server)
        try await session.connect()
        let started = ContinuousClock.now
        let task = Task { try await session.run("sleep 5") }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let error = await #expect(throws: HomelabError.self) { try await task.value }
        #expect(error?.code == .cancelled)
        #expect(ContinuousClock.now - started < .seconds(4))

        let after = try await session.run("echo next")
        #expect(after.stdoutText == "next\n")
        await session.close()
    }

    @Test("a closed session refuses further commands")
    func closedSessionRefuses() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let session = try trustingSession(server)
        _ = try await session.run("true")
        await session.close()
        #expect(await session.isClosed)
        let error = await #expect(throws: HomelabError.self) { try await session.run("true") }
        #expect(error?.code == .cancelled)
    }

    @Test("a secret inside the command text is redacted in errors and logs")
    func redactsCommandText() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let token = Secret("tok-\(UUID().uuidString)")
        let recorder = LogCapture()
        let session = try trustingSession(server, logger: recorder.logger())
        let error = await #expect(throws: HomelabError.self) {
            try await session.run("sleep 5; echo \(token.reveal())", timeout: .milliseconds(500))
        }
        #expect(error?.code == .timedOut)
        let description = error.map { String(describing: $0) } ?? ""
        #expect(!description.contains(token.reveal()))
        #expect(description.contains("ssh exec sleep 5; echo <redacted>"))
        #expect(!recorder.all.isEmpty)
        #expect(!recorder.all.contains { $0.contains(token.reveal()) })
        await session.close()
    }

    @Test("a port nobody listens on is a connection failure")
    func refusedConnection() async throws {
        guard let server = try SSHTestServer.require() else { return }
        var configuration = server.configuration(knownHosts: try server.trustingKnownHosts())
        configuration.port = try SSHLoopback.freePort()
        let session = SSHSession(configuration: configuration, logger: LogCapture().logger())
        let error = await #expect(throws: HomelabError.self) { try await session.connect() }
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("127.0.0.1:\(configuration.port)") == true)
    }

    @Test("a server that never speaks times out after connectTimeout")
    func connectTimeout() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let silent = try SSHLoopback.boundSocket(listen: true)
        defer { close(silent.fd) }
        var configuration = server.configuration(knownHosts: try server.trustingKnownHosts())
        configuration.port = silent.port
        configuration.connectTimeout = .seconds(1)
        let session = SSHSession(configuration: configuration, logger: LogCapture().logger())
        let started = ContinuousClock.now
        let error = await #expect(throws: HomelabError.self) { try await session.connect() }
        #expect(error?.code == .timedOut)
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}

extension SSHSessionTests {
    @Test("cancelling a connect to a server that never speaks ends it at once, as cancelled, not at the timeout")
    func connectCancelled() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let silent = try SSHLoopback.boundSocket(listen: true)
        defer { close(silent.fd) }
        var configuration = server.configuration(knownHosts: try server.trustingKnownHosts())
        configuration.port = silent.port
        configuration.connectTimeout = .seconds(30)
        let session = SSHSession(configuration: configuration, logger: LogCapture().logger())
        let attempt = Task { try await session.connect() }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = ContinuousClock.now
        attempt.cancel()
        let error = await #expect(throws: HomelabError.self) { try await attempt.value }
        #expect(error?.code == .cancelled, "\(String(describing: error))")
        #expect(ContinuousClock.now - cancelled < .seconds(5), "the connect ran on after the cancellation")
        // The session is not spoiled: the real server still takes it.
        var good = configuration
        good.port = server.port
        let second = SSHSession(configuration: good, logger: LogCapture().logger())
        #expect(try await second.run("echo ok").stdoutText == "ok\n")
    }
}

extension SSHSessionTests {
    /// This process's established TCP connections to `port` on 127.0.0.1, with the kernel's timer kind for each
    /// (/proc/net/tcp `tr`: 0 none, 1 retransmit, 2 keepalive, 4 zero-window probe).
    static func ownConnections(toPort port: Int) throws -> [Int] {
        var inodes: Set<String> = []
        for fd in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"),
                target.hasPrefix("socket:[")
            {
                inodes.insert(String(target.dropFirst("socket:[".count).dropLast()))
            }
        }
        let table = try Self.readProcFile("/proc/net/tcp")
        let remote = String(format: "0100007F:%04X", port)
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            // sl local rem st queues tr:when retrnsmt uid timeout inode
            guard fields.count > 9, fields[2] == remote, fields[3] == "01", inodes.contains(String(fields[9])) else {
                return nil
            }
            return Int(fields[5].split(separator: ":")[0], radix: 16)
        }
    }

    /// A /proc file read to its end (they report size 0, so readers that trust the size stop early).
    static func readProcFile(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ChildProcessError("cannot open \(path): errno \(errno)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("the session's TCP connection has keepalive probes armed, so a vanished host is noticed")
    func keepaliveArmed() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let session = try trustingSession(server)
        try await session.connect()
        _ = try await session.run("true")
        // Right after a command the retransmit timer (1) may still run for data awaiting its ACK; once the
        // connection idles, a socket with keepalive shows 2 and one without shows 0.
        var timers = try Self.ownConnections(toPort: server.port)
        for _ in 0..<30 where timers.contains(1) {
            try await Task.sleep(for: .milliseconds(100))
            timers = try Self.ownConnections(toPort: server.port)
        }
        #expect(!timers.isEmpty, "no connection to the test sshd found in /proc/net/tcp")
        // Every session of this process to the test server uses the default configuration (keepalive 30 s).
        #expect(timers.allSatisfy { $0 == 2 }, "timer kinds: \(timers)")
        await session.close()
    }
}
