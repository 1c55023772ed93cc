import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("HomelabConnections opens components from the inventory and closes once")
struct HomelabConnectionsTests {
    static func homelab(_ components: [ComponentEndpoint]) -> Homelab {
        Homelab(
            name: "t", nodes: [Homelab.Node(name: "barbary", role: .manager, platform: .truenas, address: "127.0.0.1")],
            tiers: [], stacks: [], components: Dictionary(uniqueKeysWithValues: components.map { ($0.kind, $0) }))
    }

    static func connections(_ components: [ComponentEndpoint], sshLogin: SSHNodeShell? = nil) throws -> HomelabConnections {
        HomelabConnections(
            homelab: homelab(components), transport: try CurlTransport(), secrets: CompositeSecretResolver(environment: [:]),
            sshLogin: sshLogin, source: "lab.yaml")
    }

    @Test("an ssh_tunnel naming no node is a located error")
    func unknownTunnelNode() async throws {
        let connections = try Self.connections([
            ComponentEndpoint(kind: .caddy, endpoint: .url("http://localhost:2019"), sshTunnel: "junk")
        ])
        let error = try await #require(throws: HomelabError.self) { try await connections.http(for: .caddy) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message == "lab.yaml: components.caddy.ssh_tunnel names no node 'junk'")
        await connections.close()
    }

    @Test("a component that is not in the inventory, or has no endpoint, is a located error")
    func missingComponents() async throws {
        let connections = try Self.connections([ComponentEndpoint(kind: .dnsmasq, endpoint: nil, node: "barbary")])
        let docker = try await #require(throws: HomelabError.self) { try await connections.swarm() }
        #expect(docker.message == "lab.yaml: components.docker is missing: the homelab needs its swarm's API")
        let proxmox = try await #require(throws: HomelabError.self) { try await connections.http(for: .proxmox) }
        #expect(proxmox.message == "lab.yaml: components.proxmox is not in the inventory")
        let dnsmasq = try await #require(throws: HomelabError.self) { try await connections.http(for: .dnsmasq) }
        #expect(dnsmasq.message.hasPrefix("lab.yaml: components.dnsmasq needs a url or a socket"))
        await connections.close()
    }

    @Test("a tunnel without a known_hosts file says what is missing")
    func tunnelNeedsLogin() async throws {
        let connections = try Self.connections([
            ComponentEndpoint(kind: .caddy, endpoint: .url("http://localhost:2019"), sshTunnel: "barbary")
        ])
        let error = try await #require(throws: HomelabError.self) { try await connections.http(for: .caddy) }
        #expect(error.message.contains("needs a known_hosts file"))
        await connections.close()
    }

    @Test("clients are opened once and shared; after close() nothing opens, and close() runs once")
    func closesOnce() async throws {
        let connections = try Self.connections([
            ComponentEndpoint(kind: .prometheus, endpoint: .url("http://127.0.0.1:9")),
            ComponentEndpoint(kind: .docker, endpoint: .unixSocket("/tmp/none.sock")),
        ])
        let first = try await connections.http(for: .prometheus)
        let second = try await connections.http(for: .prometheus)
        #expect(first.endpoint == second.endpoint)
        #expect(try await connections.swarm().endpointDescription == "unix:///tmp/none.sock")
        await connections.close()
        await connections.close()
        #expect(await connections.closed)
        let error = try await #require(throws: HomelabError.self) { try await connections.http(for: .prometheus) }
        #expect(error.code == .cancelled)
    }

    @Test("the probe's call for each kind stays relative to the inventory's base URL")
    func probeCalls() {
        #expect(ComponentProbe.call(for: .proxmox)?.path == "/version")
        #expect(ComponentProbe.call(for: .dnsmasq) == nil)
        let root = ComponentProbe.rootOf(.url("https://ci.home.arpa:8443/api"))
        #expect(root.address == .url("https://ci.home.arpa:8443"))
        #expect(ComponentProbe.version(in: Array(#"{"data":{"version":"8.4.1"}}"#.utf8), at: ["data", "version"]) == "8.4.1")
        #expect(ComponentProbe.version(in: Array(#"["v25.04.0","v25.10.1"]"#.utf8), at: []) == "v25.10.1")
    }

    @Test("URL host and port for forwards", arguments: [
        ("http://localhost:2019", "localhost", 2019), ("https://pve.home.arpa/api2/json", "pve.home.arpa", 443),
        ("http://[::1]:8080/x", "::1", 8080), ("http://10.0.0.10", "10.0.0.10", 80),
    ])
    func hostAndPort(url: String, host: String, port: Int) {
        let parsed = HomelabConnections.hostAndPort(of: url)
        #expect(parsed?.0 == host)
        #expect(parsed?.1 == port)
    }
}
