import HomelabCore
import HomelabTestSupport
import Testing

/// Parsing docker's `ssh://` host URLs with the docker CLI's rules (no server needed).
@Suite("SSH docker host URLs")
struct SSHDockerAddressTests {
    @Test(
        "accepts what the docker CLI accepts and derives its remote command",
        arguments: [
            ("ssh://pve1.lab", nil, "pve1.lab", nil, "docker system dial-stdio"),
            ("ssh://ops@pve1.lab:2222", "ops", "pve1.lab", 2222, "docker system dial-stdio"),
            ("SSH://ops@pve1.lab/", "ops", "pve1.lab", nil, "docker system dial-stdio"),
            ("ssh://ops@10.0.0.5/var/run/docker.sock", "ops", "10.0.0.5", nil,
             "docker --host=unix:///var/run/docker.sock system dial-stdio"),
            ("ssh://[fd00::5]:2200/run/user/1000/docker.sock", nil, "fd00::5", 2200,
             "docker --host=unix:///run/user/1000/docker.sock system dial-stdio"),
            ("ssh://ops@host/run/my%20docker.sock", "ops", "host", nil,
             "docker '--host=unix:///run/my docker.sock' system dial-stdio"),
            ("ssh://ops@host/run/it's.sock", "ops", "host", nil,
             #"docker '--host=unix:///run/it'\''s.sock' system dial-stdio"#),
            ("ssh://host?", nil, "host", nil, "docker system dial-stdio"),
        ] as [(String, String?, String, Int?, String)])
    func accepts(url: String, user: String?, host: String, port: Int?, command: String) throws {
        let address = try SSHDockerAddress.parse(url)
        #expect(address.user == user)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.remoteCommand == command)
    }

    @Test(
        "refuses what the docker CLI refuses, saying why",
        arguments: [
            ("ssh://ops:hunter2-secret@host", "password"),
            ("ssh://ops:@host", "password"),
            ("ssh://host?timeout=5", "query"),
            ("ssh://host#here", "fragment"),
            ("ssh://", "host is empty"),
            ("ssh://ops@:22", "host is empty"),
            ("ssh://host:ssh", "port"),
            ("ssh://host:70000", "port"),
            ("tcp://host:2375", "expected ssh://"),
            ("host", "expected ssh://"),
            ("ssh://[fd00::5", "]"),
            ("ssh://host/bad%zzpath", "%-escape"),
        ])
    func refuses(url: String, reason: String) {
        let error = #expect(throws: HomelabError.self) { try SSHDockerAddress.parse(url) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test("the URL's user and port win; otherwise the default user and port 22")
    func configuration() throws {
        let plain = try SSHDockerAddress.parse("ssh://pve1.lab").configuration(
            defaultUser: "me", authentication: .agent(socketPath: nil), knownHostsFile: "/k")
        #expect(plain.user == "me")
        #expect(plain.port == 22)
        #expect(plain.host == "pve1.lab")
        let full = try SSHDockerAddress.parse("ssh://ops@pve1.lab:2222").configuration(
            defaultUser: "me", authentication: .agent(socketPath: nil), knownHostsFile: "/k", hostKeyPolicy: .acceptNew)
        #expect(full.target == "ops@pve1.lab:2222")
        #expect(full.hostKeyPolicy == .acceptNew)
    }
}
