import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

extension SSHSessionTests {
    @Test(
        "a different key recorded in known_hosts is refused under either policy, naming both fingerprints and the file",
        arguments: [SSHConfiguration.HostKeyPolicy.strict, .acceptNew])
    func mismatchRefused(policy: SSHConfiguration.HostKeyPolicy) async throws {
        guard let server = try SSHTestServer.require() else { return }
        let knownHosts = try server.knownHostsFile(["\(server.knownHostsName) \(server.otherHostKeyLine)"])
        let before = try String(contentsOfFile: knownHosts, encoding: .utf8)
        let session = SSHSession(
            configuration: server.configuration(knownHosts: knownHosts, policy: policy),
            logger: LogCapture().logger())

        let error = await #expect(throws: HomelabError.self) { try await session.run("echo never") }
        #expect(error?.code == .hostKeyMismatch)
        #expect(error?.component == "ssh")
        let text = error?.description ?? ""
        #expect(text.contains(server.hostKeyFingerprint), "presented key missing: \(text)")
        #expect(text.contains(server.otherHostKeyFingerprint), "expected key missing: \(text)")
        #expect(text.contains(knownHosts), "known_hosts path missing: \(text)")
        #expect(try String(contentsOfFile: knownHosts, encoding: .utf8) == before)
        #expect(await session.serverFingerprint == server.hostKeyFingerprint)
    }

    @Test("an unknown host is refused under strict, and the error says how to accept it", arguments: [true, false])
    func unknownRefused(fileExists: Bool) async throws {
        guard let server = try SSHTestServer.require() else { return }
        let knownHosts = try server.knownHostsFile(fileExists ? [] : nil)
        let session = SSHSession(
            configuration: server.configuration(knownHosts: knownHosts), logger: LogCapture().logger())

        let error = await #expect(throws: HomelabError.self) { try await session.connect() }
        #expect(error?.code == .hostKeyUnknown)
        let text = error?.description ?? ""
        #expect(text.contains("acceptNew"), "no hint how to accept: \(text)")
        #expect(text.contains(server.hostKeyFingerprint))
        #expect(FileManager.default.fileExists(atPath: knownHosts) == fileExists)
        if fileExists { #expect(try String(contentsOfFile: knownHosts, encoding: .utf8) == "\n") }
    }

    @Test("accept-new records an unknown host's key, and a strict session then trusts it")
    func acceptNewRecords() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let knownHosts = try server.knownHostsFile(nil)
        let recorder = LogCapture()
        let first = SSHSession(
            configuration: server.configuration(knownHosts: knownHosts, policy: .acceptNew), logger: recorder.logger())
        #expect(try await first.run("echo first").stdoutText == "first\n")
        await first.close()

        let recorded = try String(contentsOfFile: knownHosts, encoding: .utf8)
        #expect(recorded.contains("\(server.knownHostsName) \(server.hostKeyLine)"), "recorded: \(recorded)")
        #expect(recorder.all.contains { $0.contains("recorded a new host key") && $0.contains(server.hostKeyFingerprint) })

        let strict = SSHSession(
            configuration: server.configuration(knownHosts: knownHosts), logger: LogCapture().logger())
        #expect(try await strict.run("echo second").stdoutText == "second\n")
        await strict.close()
        #expect(try String(contentsOfFile: knownHosts, encoding: .utf8) == recorded)
    }

    @Test("a hashed known_hosts entry (ssh-keygen -H) is honoured")
    func hashedEntry() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let knownHosts = try server.trustingKnownHosts()
        try SSHTestProcess.run(RealServer.executable(["ssh-keygen"]) ?? "/usr/bin/ssh-keygen", ["-H", "-f", knownHosts])
        #expect(try !String(contentsOfFile: knownHosts, encoding: .utf8).contains("127.0.0.1"))
        let session = SSHSession(
            configuration: server.configuration(knownHosts: knownHosts), logger: LogCapture().logger())
        #expect(try await session.run("echo hashed").stdoutText == "hashed\n")
        await session.close()
    }

    @Test("a key recorded for the same address on port 22 does not vouch for another port")
    func otherPortDoesNotCount() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let knownHosts = try server.knownHostsFile(["127.0.0.1 \(server.hostKeyLine)"])
        let session = SSHSession(
            configuration: server.configuration(knownHosts: knownHosts), logger: LogCapture().logger())
        let error = await #expect(throws: HomelabError.self) { try await session.connect() }
        #expect(error?.code == .hostKeyUnknown)
    }
}
