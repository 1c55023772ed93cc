import HomelabCore
import Logging
import HomelabTestSupport
import Testing

/// The parts of the SSH transport that need no server.
@Suite("SSH configuration and results")
struct SSHConfigurationTests {
    static func valid() -> SSHConfiguration {
        SSHConfiguration(
            host: "pve1.lab", user: "ops", authentication: .keyFile(path: "/keys/id_ed25519"),
            knownHostsFile: "/home/ops/.ssh/known_hosts")
    }

    @Test("known_hosts lives in .ssh under the home directory the caller passes")
    func knownHostsPath() {
        #expect(SSHConfiguration.knownHostsFile(homeDirectory: "/home/ops") == "/home/ops/.ssh/known_hosts")
        #expect(SSHConfiguration.knownHostsFile(homeDirectory: "/home/ops/") == "/home/ops/.ssh/known_hosts")
    }

    @Test("host keys are strict by default and known_hosts names carry non-standard ports")
    func defaults() {
        var configuration = Self.valid()
        #expect(configuration.hostKeyPolicy == .strict)
        #expect(configuration.port == 22)
        #expect(configuration.knownHostsName == "pve1.lab")
        configuration.port = 2222
        #expect(configuration.knownHostsName == "[pve1.lab]:2222")
        #expect(configuration.target == "ops@pve1.lab:2222")
    }

    static let invalid: [(String, SSHConfiguration)] = {
        func changed(_ change: (inout SSHConfiguration) -> Void) -> SSHConfiguration {
            var configuration = valid()
            change(&configuration)
            return configuration
        }
        return [
            ("port", changed { $0.port = 0 }),
            ("port", changed { $0.port = 70_000 }),
            ("host", changed { $0.host = "" }),
            ("host", changed { $0.host = "pve1 lab" }),
            ("user", changed { $0.user = "" }),
            ("knownHostsFile", changed { $0.knownHostsFile = "" }),
            ("key file", changed { $0.authentication = .keyFile(path: "") }),
            ("socket", changed { $0.authentication = .agent(socketPath: "") }),
            ("connectTimeout", changed { $0.connectTimeout = .zero }),
            ("commandTimeout", changed { $0.commandTimeout = .seconds(-1) }),
        ]
    }()

    @Test("a bad field is an invalid configuration that names the field", arguments: invalid)
    func rejectsBadField(field: String, configuration: SSHConfiguration) async {
        let error = #expect(throws: HomelabError.self) { try configuration.validate() }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.description.contains(field) == true, "\(error.map(String.init(describing:)) ?? "")")

        // connect() validates before touching the network.
        let session = SSHSession(configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let connectError = await #expect(throws: HomelabError.self) { try await session.connect() }
        #expect(connectError?.code == .invalidConfiguration)
    }

    @Test("requireSuccess passes status 0 and explains anything else", arguments: [
        (Int32?.some(0), String?.none, nil as String?),
        (2, nil, "exited with status 2"),
        (nil, "KILL", "killed by signal KILL"),
        (nil, nil, "without an exit status"),
    ])
    func requireSuccess(status: Int32?, signal: String?, expected: String?) {
        let result = SSHCommandResult(
            command: "apt-get upgrade -y", stdout: [], stderr: Array("E: dpkg was interrupted\n".utf8),
            exitStatus: status, exitSignal: signal, duration: .seconds(1))
        if let expected {
            let error = #expect(throws: HomelabError.self) { try result.requireSuccess() }
            #expect(error?.code == .commandFailed)
            #expect(error?.description.contains(expected) == true)
            #expect(error?.description.contains("dpkg was interrupted") == true)
            #expect(error?.request?.description == "ssh exec apt-get upgrade -y")
        } else {
            #expect(throws: Never.self) { try result.requireSuccess() }
        }
    }
}
