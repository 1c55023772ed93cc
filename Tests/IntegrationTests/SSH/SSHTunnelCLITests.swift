import Foundation
import HomelabTestSupport
import Testing

/// The `homelab` binary reaching the swarm through `components.docker.ssh_tunnel` (real sshd, real dockerd).
extension SSHDockerTunnelTests {
    @Test("homelab status reaches the swarm through components.docker.ssh_tunnel (real sshd, real dockerd)")
    func cliThroughSSHTunnel() async throws {
        guard let socket = try DockerTestEngine.socketPath(), let (server, _) = try fixture(),
            let homelab = DockerTestEngine.homelabBinary()
        else { return }
        let folder = try TemporaryFolder()
        let config = folder.file("homelab.yaml")
        try """
            version: 1
            name: "over-ssh"
            nodes:
              - name: "node1"
                role: manager
                platform: bare-metal
                address: "127.0.0.1"
                ssh: { user: "\(server.user)", port: \(server.port), identity_file: "\(server.userKey)" }
            tiers: ["infrastructure"]
            stacks: []
            components:
              docker:
                ssh_tunnel: node1
                socket: "\(socket)"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["HOMELAB_KNOWN_HOSTS"] = try server.trustingKnownHosts()
        environment["XDG_STATE_HOME"] = folder.path
        let logins = acceptedLogins(server)
        let status = try await ChildProcess.run(homelab, ["status", "--config", config], environment: environment)
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("API 1.41"), "\(status.output)")
        #expect(acceptedLogins(server) == logins + 1, "one SSH session carries every request")
        // A host key that is not trusted is refused, and says so.
        environment["HOMELAB_KNOWN_HOSTS"] = folder.file("empty_known_hosts")
        _ = FileManager.default.createFile(atPath: folder.file("empty_known_hosts"), contents: Data())
        let refused = try await ChildProcess.run(homelab, ["status", "--config", config], environment: environment)
        #expect(refused.status != 0)
        #expect(refused.output.lowercased().contains("host key"), "\(refused.output)")
    }
}
