import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

extension SSHSessionTests {
    @Test("logs in with a key held by an ssh-agent on the given socket")
    func agentLogin() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let agent = try SSHTestAgent(directory: server.directory, adding: server.userKey)
        defer { agent.stop() }
        let session = SSHSession(
            configuration: server.configuration(
                authentication: .agent(socketPath: agent.socketPath), knownHosts: try server.trustingKnownHosts()),
            logger: LogCapture().logger())
        #expect(try await session.run("echo via agent").stdoutText == "via agent\n")
        await session.close()
    }

    @Test("an ssh-agent without an authorized key is refused")
    func emptyAgentRefused() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let agent = try SSHTestAgent(directory: server.directory, adding: nil)
        defer { agent.stop() }
        let session = SSHSession(
            configuration: server.configuration(
                authentication: .agent(socketPath: agent.socketPath), knownHosts: try server.trustingKnownHosts()),
            logger: LogCapture().logger())
        let error = await #expect(throws: HomelabError.self) { try await session.connect() }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.description.contains(agent.socketPath) == true)
    }

    @Test("a passphrase-protected key logs in with its passphrase, and the passphrase never leaks")
    func passphraseKey() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let canary = SSHTestServer.canaryPassphrase
        let wrong = "wrong-\(canary)"
        let knownHosts = try server.trustingKnownHosts()
        let recorder = LogCapture()
        func session(_ passphrase: String?) -> SSHSession {
            SSHSession(
                configuration: server.configuration(
                    authentication: .keyFile(path: server.passphraseKey, passphrase: passphrase.map(Secret.init)),
                    knownHosts: knownHosts),
                logger: recorder.logger())
        }

        let right = session(canary)
        #expect(try await right.run("echo unlocked").stdoutText == "unlocked\n")
        await right.close()

        var texts: [String] = []
        for passphrase in [wrong, nil] {
            let refused = session(passphrase)
            let error = await #expect(throws: HomelabError.self) { try await refused.connect() }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.description.contains(server.passphraseKey) == true)
            texts.append(error.map { String(describing: $0) } ?? "")
            texts.append(error.map { String(reflecting: $0) } ?? "")
        }
        #expect(!recorder.all.isEmpty)
        for text in texts + recorder.all {
            #expect(!text.contains(canary), "the passphrase leaked: \(text)")
            #expect(!text.contains(wrong), "the wrong passphrase leaked: \(text)")
        }
    }

    @Test("a key the server does not authorize is refused")
    func strangerKeyRefused() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let session = SSHSession(
            configuration: server.configuration(
                authentication: .keyFile(path: server.strangerKey), knownHosts: try server.trustingKnownHosts()),
            logger: LogCapture().logger())
        let error = await #expect(throws: HomelabError.self) { try await session.run("true") }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.description.contains(server.user) == true)
    }

    @Test("a key file that does not exist is a configuration error")
    func missingKeyFile() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let missing = server.directory + "/no-such-key"
        let session = SSHSession(
            configuration: server.configuration(
                authentication: .keyFile(path: missing), knownHosts: try server.trustingKnownHosts()),
            logger: LogCapture().logger())
        let error = await #expect(throws: HomelabError.self) { try await session.connect() }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.description.contains(missing) == true)
    }
}
