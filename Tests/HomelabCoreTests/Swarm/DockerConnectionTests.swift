import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Docker connection from the docker CLI's environment conventions")
struct DockerConnectionTests {
    static let certs = ["/certs/ca.pem", "/certs/cert.pem", "/certs/key.pem", "/home/u/.docker/ca.pem",
        "/home/u/.docker/cert.pem", "/home/u/.docker/key.pem"]
    static func exists(_ path: String) -> Bool { certs.contains(path) }

    @Test("no DOCKER_HOST means the default unix socket")
    func defaultSocket() throws {
        let connection = try DockerConnection.fromEnvironment([:], fileExists: Self.exists)
        #expect(connection.host == .unixSocket(path: "/var/run/docker.sock"))
        #expect(connection.apiVersion == nil)
        #expect(try connection.endpoint().address == .unixSocket(path: "/var/run/docker.sock"))
    }

    @Test("unix, tcp and ssh hosts parse as the docker CLI reads them", arguments: [
        ("unix:///run/user/1000/docker.sock", DockerHost.unixSocket(path: "/run/user/1000/docker.sock")),
        ("tcp://10.0.0.5", .tcp(host: "10.0.0.5", port: 2375, tls: nil)),
        ("tcp://barbary.lab:2375", .tcp(host: "barbary.lab", port: 2375, tls: nil)),
        ("tcp://[fd00::5]:2375", .tcp(host: "fd00::5", port: 2375, tls: nil)),
        ("ssh://ops@barbary.lab", .ssh(SSHDockerAddress(user: "ops", host: "barbary.lab"))),
        ("ssh://barbary.lab:2222", .ssh(SSHDockerAddress(host: "barbary.lab", port: 2222))),
        ("ssh://ops@barbary.lab:2222/run/docker.sock",
            .ssh(SSHDockerAddress(user: "ops", host: "barbary.lab", port: 2222, socketPath: "/run/docker.sock"))),
    ])
    func parsesHosts(text: String, expected: DockerHost) throws {
        #expect(try DockerConnection.fromEnvironment(["DOCKER_HOST": text], fileExists: Self.exists).host == expected)
    }

    @Test("DOCKER_TLS_VERIFY means mutual TLS with ca.pem, cert.pem and key.pem from DOCKER_CERT_PATH, port 2376")
    func mutualTLS() throws {
        let connection = try DockerConnection.fromEnvironment(
            ["DOCKER_HOST": "tcp://barbary.lab", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/certs/"], fileExists: Self.exists)
        guard case .tcp(let host, let port, let tls?) = connection.host else {
            Issue.record("expected tcp with TLS, got \(connection.host)")
            return
        }
        #expect(host == "barbary.lab" && port == 2376)
        #expect(tls.trust == .caFile("/certs/ca.pem"))
        #expect(tls.clientCertificate == .init(certificateFile: "/certs/cert.pem", keyFile: "/certs/key.pem"))
        #expect(tls.verifyHostname)
        let endpoint = try connection.endpoint()
        #expect(endpoint.address == .url("https://barbary.lab:2376"))
        #expect(endpoint.tls == tls)
    }

    @Test("the certificate path defaults to $HOME/.docker")
    func defaultCertPath() throws {
        let connection = try DockerConnection.fromEnvironment(
            ["DOCKER_HOST": "tcp://h:2376", "DOCKER_TLS_VERIFY": "yes", "HOME": "/home/u"], fileExists: Self.exists)
        guard case .tcp(_, _, let tls?) = connection.host else { throw HomelabError(.invalidArgument, "no TLS") }
        #expect(tls.trust == .caFile("/home/u/.docker/ca.pem"))
    }

    @Test("DOCKER_TLS without verification encrypts but does not verify the server, as docker does")
    func tlsWithoutVerify() throws {
        let connection = try DockerConnection.fromEnvironment(
            ["DOCKER_HOST": "tcp://h", "DOCKER_TLS": "1", "DOCKER_CERT_PATH": "/nowhere"], fileExists: Self.exists)
        guard case .tcp(_, let port, let tls?) = connection.host else { throw HomelabError(.invalidArgument, "no TLS") }
        #expect(port == 2376)
        #expect(tls.trust == .insecure)
        #expect(tls.clientCertificate == nil)
    }

    @Test("verification without the CA or the client key is a configuration error naming the file")
    func missingFiles() {
        let error = #expect(throws: HomelabError.self) {
            _ = try DockerConnection.fromEnvironment(
                ["DOCKER_HOST": "tcp://h", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/elsewhere"], fileExists: Self.exists)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("/elsewhere/") == true)
    }

    @Test("ssh addresses with a password, a query, a fragment or no host are refused, without echoing the password",
        arguments: ["ssh://ops:hunter2pass@barbary.lab", "ssh://barbary.lab?socket=x", "ssh://barbary.lab#frag", "ssh://", "ssh://ops@:22",
            "ssh://barbary.lab:99999"])
    func refusedSSH(text: String) {
        let error = #expect(throws: HomelabError.self) { _ = try DockerConnection.parse(text) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.description.contains("hunter2pass") == false)
    }

    @Test("other schemes are refused", arguments: ["npipe:////./pipe/docker_engine", "fd://", "barbary.lab:2375", "unix://relative.sock"])
    func refusedSchemes(text: String) {
        let error = #expect(throws: HomelabError.self) { _ = try DockerConnection.parse(text) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test("an ssh connection cannot make an endpoint yet: it needs the SSH tunnel")
    func sshNeedsTunnel() throws {
        let connection = try DockerConnection.fromEnvironment(["DOCKER_HOST": "ssh://ops@barbary.lab"])
        let error = #expect(throws: HomelabError.self) { _ = try connection.endpoint() }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("SwarmClient.open") == true)
        let transport = try CurlTransport()
        #expect(throws: HomelabError.self) { _ = try SwarmClient(transport: transport, connection: connection) }
    }

    @Test("the ssh target runs docker system dial-stdio, against the remote socket when one is given")
    func dialStdio() throws {
        #expect(try SSHDockerAddress.parse("ssh://h").remoteCommand == "docker system dial-stdio")
        #expect(
            try SSHDockerAddress.parse("ssh://h/var/run/other.sock").remoteCommand
                == "docker --host=unix:///var/run/other.sock system dial-stdio")
        #expect(try SSHDockerAddress.parse("ssh://ops@h:2222/s.sock").description == "ssh://ops@h:2222/s.sock")
    }

    @Test("DOCKER_API_VERSION fixes the version; malformed or unsupported values are refused",
        arguments: [("1.44", "1.44"), ("v1.41", "1.41"), ("1.51", "1.51"), ("1.40", nil), ("1.52", nil), ("latest", nil)])
    func apiVersionSetting(text: String, expected: String?) {
        let result = try? DockerConnection.fromEnvironment(["DOCKER_API_VERSION": text])
        #expect(result?.apiVersion?.description == expected)
    }
}

@Suite("Docker API version negotiation")
struct APIVersionNegotiationTests {
    @Test("versions compare numerically, not as text")
    func ordering() throws {
        #expect(try #require(Swarm.APIVersion("1.9")) < #require(Swarm.APIVersion("1.41")))
        #expect(Swarm.APIVersion("1.41.0") == nil)
        #expect(Swarm.APIVersion("one.two") == nil)
        #expect(Swarm.APIVersion(1, 44).pathPrefix == "/v1.44")
    }

    @Test("the client uses min(SDK maximum, engine version)", arguments: [
        ("1.41", "1.41"), ("1.44", "1.44"), ("1.51", "1.51"), ("1.56", "1.51"), ("2.0", "1.51"),
    ])
    func negotiates(server: String, expected: String) async throws {
        let engine = CannedDockerEngine(ping: ["Api-Version": server])
        engine.answer { _ in CannedDockerEngine.json(text: "{}") }
        let client = engine.client()
        #expect(try await client.apiVersion().description == expected)
        _ = try await client.system.info()
        #expect(engine.requests.last?.path == "/v\(expected)/info")
    }

    @Test("an engine below the SDK's minimum is refused with an error naming both versions")
    func tooOld() async throws {
        let engine = CannedDockerEngine(ping: ["Api-Version": "1.40"])
        let error = await #expect(throws: HomelabError.self) { _ = try await engine.client().services.list() }
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.message.contains("1.40") == true)
        #expect(error?.message.contains("1.41") == true)
        #expect(engine.requests.allSatisfy { CannedDockerEngine.bare($0.path) == "/_ping" })
    }

    @Test("an engine without an Api-Version header is refused as too old")
    func noHeader() async throws {
        let engine = CannedDockerEngine(ping: ["Ostype": "linux"])
        let error = await #expect(throws: HomelabError.self) { _ = try await engine.client().apiVersion() }
        #expect(error?.code == .unsupportedVersion)
    }

    @Test("negotiation happens once, lazily, even for concurrent first calls, and again after renegotiate()")
    func onceAndShared() async throws {
        let engine = CannedDockerEngine()
        engine.answer { _ in CannedDockerEngine.json(text: "[]") }
        let client = engine.client()
        #expect(engine.requests.isEmpty)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await client.services.list() } }
            try await group.waitForAll()
        }
        let copy = client
        _ = try await copy.nodes.list()
        #expect(engine.requests(.head, "/_ping").count == 1)
        await client.renegotiate()
        _ = try await client.tasks.list()
        #expect(engine.requests(.head, "/_ping").count == 2)
    }

    @Test("a fixed API version is used without pinging")
    func fixed() async throws {
        let engine = CannedDockerEngine()
        engine.answer { _ in CannedDockerEngine.json(text: "[]") }
        _ = try await engine.client(apiVersion: Swarm.APIVersion(1, 44)).services.list(status: false)
        #expect(engine.requests.map(\.path) == ["/v1.44/services"])
    }

    @Test("an engine that refuses the version answers 400, mapped to unsupportedVersion")
    func refusedByEngine() async throws {
        let engine = CannedDockerEngine()
        engine.answer { _ in
            CannedDockerEngine.error(400, "client version 1.51 is too new. Maximum supported API version is 1.41")
        }
        let error = await #expect(throws: HomelabError.self) {
            _ = try await engine.client(apiVersion: Swarm.APIVersion(1, 51)).system.info()
        }
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.serverMessage?.contains("too new") == true)
    }
}
