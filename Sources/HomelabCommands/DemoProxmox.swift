import Foundation
import HomelabCore

/// The Proxmox VE part of `homelab demo`: the VMs under the swarm's `proxmox-vm` nodes, one shut down (its swarm
/// node goes down) and started again, through the same client `homelab proxmox` uses.
enum DemoProxmox {
    /// Prints the part; does nothing when the simulated homelab has no Proxmox.
    static func tour(_ homelab: Homelab, transport: CurlTransport, swarm: SwarmClient) async throws {
        guard homelab.components[.proxmox] != nil else {
            print("  (this inventory has no Proxmox VE)")
            return
        }
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        do {
            try await show(homelab, proxmox: try await connections.proxmox(), swarm: swarm)
            await connections.close()
        } catch {
            await connections.close()
            throw error
        }
    }

    private static func show(_ homelab: Homelab, proxmox: ProxmoxClient, swarm: SwarmClient) async throws {
        let version = try await proxmox.version()
        let guests = try await proxmox.cluster.resources(type: "vm").sorted { ($0.vmid ?? 0) < ($1.vmid ?? 0) }
        print("  Proxmox VE \(version.version), cluster resources:")
        let rows = guests.map { guest in
            [guest.id, guest.name ?? "-", guest.node ?? "-", guest.template == true ? "template" : (guest.status ?? "-"),
             guest.maxmem.map { "\($0 >> 30) GiB" } ?? "-"]
        }
        print(OverviewRenderer.table(["ID", "NAME", "NODE", "STATUS", "MEMORY"], rows, indent: 4).joined(separator: "\n"))
        guard let angre = homelab.nodes.first(where: { $0.platform == .proxmoxVM && $0.proxmox != nil && !$0.isLeader }),
            let placement = angre.proxmox
        else { return }
        let vms = proxmox.vms(node: placement.node)
        let shutdown = try await vms.shutdown(placement.vmid, timeout: .seconds(60))
        let state = try await swarm.nodes.list().first { $0.nodeName == angre.name }?.status?.state?.rawValue ?? "?"
        print("  shut down VM \(placement.vmid) (\(angre.name)): task \(shutdown.exitstatus ?? "?"); the swarm sees node \(angre.name) \(state)")
        let start = try await vms.start(placement.vmid, timeout: .seconds(60))
        let again = try await waitForReady(swarm, angre.name)
        print("  started it again: task \(start.exitstatus ?? "?"); node \(angre.name) \(again)")
        print("  The same from the CLI: homelab proxmox vms, homelab proxmox vm shutdown \(angre.name)")
    }

    private static func waitForReady(_ swarm: SwarmClient, _ name: String) async throws -> String {
        for _ in 0..<50 {
            let state = try await swarm.nodes.list().first { $0.nodeName == name }?.status?.state?.rawValue ?? "?"
            if state == "ready" { return state }
            try await Task.sleep(for: .milliseconds(100))
        }
        return "not ready yet"
    }
}
