import Foundation
import HomelabCore
import Testing

@Suite("Inventory: the proxmox block of proxmox-vm nodes and the tls fingerprint")
struct ProxmoxInventoryTests {
    static func yaml(node: String, tls: String = "") -> String {
        """
        version: 1
        name: lab
        nodes:
        \(node)
        tiers: [base]
        stacks: []
        components:
          proxmox:
            url: https://pve.home.arpa:8006/api2/json
        \(tls)
        """
    }

    @Test("proxmox: {node, vmid, template} is read on a proxmox-vm node")
    func placement() throws {
        let homelab = try InventoryLoader.load(yaml: Self.yaml(node: """
              - name: ching
                role: manager
                platform: proxmox-vm
                address: 10.0.0.11
                proxmox: { node: pve1, vmid: 101, template: 9000 }
            """))
        #expect(homelab.nodes[0].proxmox == Homelab.Node.ProxmoxPlacement(node: "pve1", vmid: 101, template: 9000))
    }

    @Test("The block is refused on another platform, without a vmid, or with a VM ID below 100", arguments: [
        ("bare-metal", "{ node: pve1, vmid: 101 }", "belongs on a proxmox-vm node"),
        ("proxmox-vm", "{ node: pve1 }", "vmid"),
        ("proxmox-vm", "{ node: pve1, vmid: 7 }", "VM ID"),
    ])
    func refused(platform: String, block: String, expected: String) throws {
        let text = Self.yaml(node: """
              - name: ching
                role: manager
                platform: \(platform)
                address: 10.0.0.11
                proxmox: \(block)
            """)
        let error = try #require(throws: HomelabError.self) { try InventoryLoader.load(yaml: text) }
        #expect(error.inventoryIssues.contains { $0.message.contains(expected) && $0.keyPath.hasPrefix("nodes[0].proxmox") }, "\(error)")
    }

    @Test("tls: fingerprint is kept as given; a malformed one is a located error")
    func fingerprint() throws {
        let node = """
              - name: ching
                role: manager
                platform: proxmox-vm
                address: 10.0.0.11
            """
        let shown = (0..<32).map { String(format: "%02X", $0 * 7 % 256) }.joined(separator: ":")
        let homelab = try InventoryLoader.load(yaml: Self.yaml(node: node, tls: "    tls: { fingerprint: \"\(shown)\" }"))
        #expect(homelab.components[.proxmox]?.endpoint?.tls.certificateFingerprint == shown)
        let error = try #require(throws: HomelabError.self) {
            try InventoryLoader.load(yaml: Self.yaml(node: node, tls: "    tls: { fingerprint: \"AB:CD\" }"))
        }
        #expect(error.inventoryIssues.contains { $0.keyPath == "components.proxmox.tls.fingerprint" && $0.message.contains("SHA-256 certificate fingerprint") })
    }
}
