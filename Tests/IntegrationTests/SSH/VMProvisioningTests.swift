import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Logging
import Testing

/// The provisioning step of a `proxmox-vm` node against the simulated Proxmox VE, with the test sshd on loopback
/// standing in for the new VM's SSH (its host key is the key "the VM was given").
@Suite("Provisioning a node VM: clone, cloud-init, start, SSH with the expected host key", .serialized, .sshServer)
struct VMProvisioningTests {
    /// A homelab whose `ching` is a proxmox-vm node at the test sshd, to be cloned from template 9000 as VM 105.
    func homelab(_ server: SSHTestServer) -> Homelab {
        let ching = Homelab.Node(
            name: "ching", role: .manager, platform: .proxmoxVM, address: "127.0.0.1",
            ssh: .init(user: server.user, port: server.port, identityFile: server.userKey), isLeader: true,
            proxmox: .init(node: "pve1", vmid: 105, template: 9000))
        return Homelab(name: "prov", nodes: [ching], tiers: ["base"], stacks: [])
    }

    func run(
        _ server: SSHTestServer, hostKeyLine: String, _ check: (Result<Void, HomelabError>, [VMProvisioning.Event], ProxmoxClient) async throws -> Void
    ) async throws {
        let simulation = try await HomelabSimulation.start(inventory: homelab(server), options: SimulationOptions(timeScale: 0.005))
        let transport = try CurlTransport()
        do {
            let cluster = try #require(simulation.proxmoxCluster)
            let proxmox = ProxmoxClient(
                transport: transport, endpoint: try #require(simulation.homelab.components[.proxmox]?.endpoint),
                auth: [try ProxmoxClient.tokenAuth(tokenID: cluster.tokenID, secret: Secret(cluster.tokenSecret))])
            // The sim seeds ching's VM as 105; remove it so the step really clones.
            try await proxmox.vms(node: "pve1").stop(105)
            try await proxmox.vms(node: "pve1").delete(105)
            let shell = SSHNodeShell(knownHostsFile: "/nonexistent", logger: LogCapture().logger())
            let provisioning = VMProvisioning(proxmox: proxmox, ssh: shell)
            let events = EventLog()
            // The simulation moves node addresses to 127.10.0.x; the VM's SSH is the test sshd on 127.0.0.1.
            let node = try #require(homelab(server).node(named: "ching"))
            let request = VMProvisioning.Request(
                node: node, authorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabTestKeyOnlyForCloudInit ops@seed"],
                hostKey: try ExpectedHostKey(publicKeyLine: hostKeyLine), ipConfig: "ip=127.0.0.1/8", timeout: .seconds(60))
            let result: Result<Void, HomelabError>
            do {
                try await provisioning.run(request) { events.append($0) }
                result = .success(())
            } catch let error as HomelabError {
                result = .failure(error)
            }
            try await check(result, events.all, proxmox)
        } catch {
            await simulation.shutdown()
            transport.shutdown()
            throw error
        }
        await simulation.shutdown()
        transport.shutdown()
    }

    @Test("the VM is cloned from its template, given cloud-init settings, started, and SSH answers with its key")
    func provisions() async throws {
        guard let server = try SSHTestServer.require() else { return }
        try await run(server, hostKeyLine: server.hostKeyLine) { result, events, proxmox in
            if case .failure(let error) = result { Issue.record("provisioning failed: \(error)") }
            #expect(events.contains(.finished(.clone, detail: "VM 105 cloned from template 9000 on pve1")))
            #expect(events.contains { if case .finished(.ssh, _) = $0 { return true } else { return false } })
            let config = try await proxmox.vms(node: "pve1").config(105)
            #expect(config.name == "ching" && config[text: "ciuser"] == server.user && config[text: "ipconfig0"] == "ip=127.0.0.1/8")
            #expect(config[text: "sshkeys"]?.removingPercentEncoding?.hasPrefix("ssh-ed25519 AAAAC3") == true)
            #expect(try await proxmox.vms(node: "pve1").status(105).status == .running)
        }
    }

    @Test("SSH answering with another host key than the VM was given fails at once as a host key mismatch")
    func wrongHostKey() async throws {
        guard let server = try SSHTestServer.require() else { return }
        let started = ContinuousClock.now
        try await run(server, hostKeyLine: server.otherHostKeyLine) { result, events, _ in
            guard case .failure(let error) = result else {
                Issue.record("a VM presenting an unexpected host key was accepted")
                return
            }
            #expect(error.code == .hostKeyMismatch)
            #expect(events.contains(.started(.ssh)))
            #expect(!events.contains { if case .finished(.ssh, _) = $0 { return true } else { return false } })
        }
        #expect(ContinuousClock.now - started < .seconds(50), "a mismatch is not waited out until the deadline")
    }
}

/// Events collected from the provisioning's progress callback.
final class EventLog: Sendable {
    private let events = Locked<[VMProvisioning.Event]>([])
    func append(_ event: VMProvisioning.Event) { events.withLock { $0.append(event) } }
    var all: [VMProvisioning.Event] { events.withLock { $0 } }
}
