import Foundation
import HomelabCore
import HomelabSimulator
import Testing

@Suite("Collecting Proxmox VE as prometheus-pve-exporter names it")
struct ProxmoxCollectionTests {
    @Test("one collection gives pve_* series from the inventory's Proxmox; a stopped VM shows pve_up 0")
    func collectsProxmox() async throws {
        let sim = try await SimulatedCollection.start()
        let cluster = try #require(sim.simulation.proxmoxCluster)
        let client = ProxmoxClient(
            transport: sim.transport, endpoint: try #require(sim.simulation.homelab.components[.proxmox]?.endpoint),
            auth: [try ProxmoxClient.tokenAuth(tokenID: cluster.tokenID, secret: Secret(cluster.tokenSecret))])
        try await client.vms(node: "pve1").stop(102)
        let families = await sim.collector.collectAll(deadline: .now + .seconds(20))
        let text = MetricsText.string(families)
        await sim.stop()
        #expect(families.value("homelab_up", ["component": "proxmox"]) == 1)
        #expect(families.value("pve_up", ["id": "qemu/101"]) == 1)
        #expect(families.value("pve_up", ["id": "qemu/102"]) == 0)
        #expect(families.value("pve_up", ["id": "cluster/homelab"]) == 1)
        #expect(families.value("pve_guest_info", ["id": "qemu/101", "name": "ching", "node": "pve1", "type": "qemu", "template": "0"]) == 1)
        #expect(families.value("pve_guest_info", ["id": "qemu/9000", "template": "1"]) == 1)
        #expect(families.value("pve_node_info", ["id": "node/pve1", "name": "pve1", "nodeid": "1", "level": ""]) == 1)
        #expect(families.value("pve_memory_size_bytes", ["id": "qemu/101"]) == 8_589_934_592.0)
        #expect(families.value("pve_onboot_status", ["id": "qemu/101", "node": "pve1", "type": "qemu"]) == 1)
        #expect(families.value("pve_storage_info", ["id": "storage/pve1/local", "content": "backup,import,iso,vztmpl"]) == 1)
        #expect((families.value("pve_uptime_seconds", ["id": "node/pve1"]) ?? 0) > 0)
        #expect(text.contains("# TYPE pve_network_receive_bytes_total counter"))
        let names = families.map(\.name)
        #expect(Set(names).count == names.count, "each family once")
    }
}
