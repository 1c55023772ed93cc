import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real OpenSSH sshd on 127.0.0.1 (free port), living in a temp dir with generated host and user keys.
///
/// Started once for the SSH suite by ``SSHServerScope`` and stopped by its pid when the suite ends.
/// As root it logs in a dedicated user (`homelabsshtest`, created if missing, shadow `*` so `UsePAM no`
/// accepts it); otherwise the current user.
final class SSHTestServer: Sendable {
    /// The passphrase of ``passphraseKey``: a canary that must never show up in errors or logs.
    static let canaryPassphrase = "canary-pass-\(UUID().uuidString.prefix(8))"
    /// The user to log in as.
    static let dedicatedUser = "homelabsshtest"

    @TaskLocal static var current: SSHTestServer?

    let directory: String
    let port: Int
    let user: String
    /// `ssh-ed25519 AAAA...` of the server's host key.
    let hostKeyLine: String
    /// The host key fingerprint as `ssh-keygen -lf` prints it.
    let hostKeyFingerprint: String
    /// A host key the server does not use (for mismatch tests), and its fingerprint.
    let otherHostKeyLine: String
    let otherHostKeyFingerprint: String
    /// An authorized unencrypted ed25519 key.
    let userKey: String
    /// An authorized ed25519 key encrypted with ``canaryPassphrase``.
    let passphraseKey: String
    /// A key that is not in authorized_keys.
    let strangerKey: String
    private let daemon: SSHTestDaemon

    /// The test's server, or nil (after recording an issue under CI) when sshd is not installed here.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> SSHTestServer? {
        let server = current
        guard
            try RealServer.require(
                "sshd", available: server != nil, hint: "apt-get install openssh-server (needs sshd and ssh-keygen)",
                sourceLocation: sourceLocation)
        else { return nil }
        return server
    }

    /// Whether sshd, ssh-keygen, ssh-agent and ssh-add are installed.
    static var toolsAvailable: Bool {
        ["sshd", "ssh-keygen", "ssh-agent", "ssh-add"].allSatisfy { RealServer.executable([$0]) != nil }
    }

    /// Generates keys, writes sshd_config and starts `sshd -D` on a free loopback port.
    static func start() throws -> SSHTestServer {
        let base = FileManager.default.temporaryDirectory.path + "/homelab-ssh-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        // sshd reads authorized_keys as the logged-in user: the directory must be traversable by it.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: base)
        do {
            return try SSHTestServer(directory: base)
        } catch {
            try? FileManager.default.removeItem(atPath: base)
            throw error
        }
    }

    private init(directory: String) throws {
        self.directory = directory
        let keygen = RealServer.executable(["ssh-keygen"]) ?? "/usr/bin/ssh-keygen"
        func generate(_ name: String, passphrase: String = "") throws -> String {
            let path = directory + "/" + name
            try SSHTestProcess.run(keygen, ["-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", path])
            return path
        }
        func publicLine(_ path: String) throws -> String {
            let text = try String(contentsOfFile: path + ".pub", encoding: .utf8)
            return text.split(separator: " ").prefix(2).joined(separator: " ")
        }
        func fingerprint(_ path: String) throws -> String {
            let output = try SSHTestProcess.run(keygen, ["-lf", path + ".pub"]).output
            return String(output.split(separator: " ")[1])
        }
        let hostKey = try generate("host_ed25519")
        let otherHostKey = try generate("other_host_ed25519")
        userKey = try generate("user_ed25519")
        passphraseKey = try generate("user_passphrase_ed25519", passphrase: Self.canaryPassphrase)
        strangerKey = try generate("stranger_ed25519")
        hostKeyLine = try publicLine(hostKey)
        hostKeyFingerprint = try fingerprint(hostKey)
        otherHostKeyLine = try publicLine(otherHostKey)
        otherHostKeyFingerprint = try fingerprint(otherHostKey)

        let authorized = try [userKey, passphraseKey].map { try publicLine($0) }.joined(separator: "\n") + "\n"
        try authorized.write(toFile: directory + "/authorized_keys", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: directory + "/authorized_keys")

        user = try Self.loginUser()
        let sshd = RealServer.executable(["sshd"]) ?? "/usr/sbin/sshd"
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try SSHLoopback.freePort()
            let config = """
                Port \(port)
                ListenAddress 127.0.0.1
                HostKey \(hostKey)
                PidFile \(directory)/sshd.pid
                AuthorizedKeysFile \(directory)/authorized_keys
                UsePAM no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PubkeyAuthentication yes
                StrictModes no
                AllowUsers \(user)
                PrintMotd no
                MaxStartups 50
                AllowTcpForwarding yes
                LogLevel VERBOSE

                """
            try config.write(toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
            // sshd re-execs itself: the path must be absolute.
            let daemon = try SSHTestDaemon(
                sshd, ["-D", "-f", directory + "/sshd_config", "-E", directory + "/sshd.log"])
            var waited = 0
            while daemon.isRunning, !SSHLoopback.accepts(port: port), waited < 250 {
                usleep(20_000)
                waited += 1
            }
            if daemon.isRunning, SSHLoopback.accepts(port: port) {
                self.port = port
                self.daemon = daemon
                return
            }
            daemon.stop()
            let log = (try? String(contentsOfFile: directory + "/sshd.log", encoding: .utf8)) ?? ""
            lastError = ChildProcessError("sshd did not start on 127.0.0.1:\(port): \(log)")
        }
        throw lastError ?? ChildProcessError("sshd did not start")
    }

    /// The dedicated test user when root (created and unlocked here), the current user otherwise.
    private static func loginUser() throws -> String {
        guard getuid() == 0 else {
            guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else {
                throw ChildProcessError("cannot find the current user's name")
            }
            return String(cString: name)
        }
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let exists = try SSHTestProcess.run("/usr/bin/id", ["-u", dedicatedUser], allowFailure: true).status == 0
        if !exists {
            try SSHTestProcess.run(
                RealServer.executable(["useradd"]) ?? "/usr/sbin/useradd", ["-m", "-s", "/bin/sh", dedicatedUser])
        }
        // A new account is locked ('!'), which sshd refuses under UsePAM no.
        try SSHTestProcess.run(RealServer.executable(["usermod"]) ?? "/usr/sbin/usermod", ["-p", "*", dedicatedUser])
        // Members of the test dockerd's socket group (scripts/dockerd-test.sh) can run `docker system dial-stdio`.
        if try SSHTestProcess.run("/usr/bin/getent", ["group", "homelab-docker-test"], allowFailure: true).status == 0 {
            try SSHTestProcess.run(
                RealServer.executable(["usermod"]) ?? "/usr/sbin/usermod", ["-aG", "homelab-docker-test", dedicatedUser])
        }
        return dedicatedUser
    }

    /// Stops sshd by its pid and removes the temp dir.
    func stop() {
        daemon.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The known_hosts name of this server: `[127.0.0.1]:port`.
    var knownHostsName: String { "[127.0.0.1]:\(port)" }

    /// Writes a known_hosts file with `lines` (nil: no file at all) and returns its path.
    func knownHostsFile(_ lines: [String]?) throws -> String {
        let path = directory + "/known_hosts-\(UUID().uuidString.prefix(8))"
        if let lines {
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        return path
    }

    /// A known_hosts file that records this server's real host key.
    func trustingKnownHosts() throws -> String {
        try knownHostsFile(["\(knownHostsName) \(hostKeyLine)"])
    }

    /// A configuration for this server with the given authentication and known_hosts.
    func configuration(
        authentication: SSHConfiguration.Authentication? = nil, knownHosts: String,
        policy: SSHConfiguration.HostKeyPolicy = .strict
    ) -> SSHConfiguration {
        SSHConfiguration(
            host: "127.0.0.1", port: port, user: user,
            authentication: authentication ?? .keyFile(path: userKey), knownHostsFile: knownHosts,
            hostKeyPolicy: policy, connectTimeout: .seconds(10), commandTimeout: .seconds(30))
    }
}

/// Starts one ``SSHTestServer`` for a suite and stops it when the suite ends, whatever happens.
struct SSHServerScope: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard SSHTestServer.toolsAvailable else {
            try await function()
            return
        }
        let server = try SSHTestServer.start()
        defer { server.stop() }
        try await SSHTestServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == SSHServerScope {
    /// A real sshd on loopback for the whole suite (see ``SSHTestServer``).
    static var sshServer: Self { Self() }
}
