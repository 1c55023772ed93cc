import Foundation
import HomelabCore
import Testing

/// A small inventory with two bare-metal nodes and a `pxe:` block; tests replace parts of it.
enum PXEInventory {
    static let base = """
        version: 1
        name: lab
        nodes:
          - name: barbary
            role: manager
            platform: truenas
            address: 192.0.2.1
          - name: lorcha
            role: worker
            platform: bare-metal
            address: 192.0.2.21
            mac: "52:54:00:A1:00:21"
          - name: dhow
            role: worker
            platform: bare-metal
            address: 192.0.2.22
            mac: "52-54-00-a1-00-22"
        pxe:
          mode: proxy
          subnet: 192.0.2.0/24
          server: 192.0.2.1
          matchbox_url: http://192.0.2.1:8080
          tftp_root: /srv/tftp
        tiers: [infrastructure]
        stacks: []
        components:
          matchbox:
            url: http://192.0.2.1:8080
            config_path: /var/lib/matchbox

        """

    static func replacing(_ target: String, with replacement: String) -> String {
        precondition(base.contains(target), "base has no '\(target)'")
        return base.replacingOccurrences(of: target, with: replacement)
    }

    static let dhcpBlock = """
        pxe:
          mode: dhcp
          subnet: 192.0.2.0/24
          server: 192.0.2.1
          dhcp_ranges: [192.0.2.100-192.0.2.199]
          router: 192.0.2.1
          dns: [192.0.2.1]
          lease_time: 30m
          matchbox_url: http://192.0.2.1:8080
          tftp_root: /srv/tftp
        """

    static let proxyBlock = """
        pxe:
          mode: proxy
          subnet: 192.0.2.0/24
          server: 192.0.2.1
          matchbox_url: http://192.0.2.1:8080
          tftp_root: /srv/tftp
        """
}

@Suite("PXE inventory")
struct PXEInventoryTests {
    @Test("the pxe: block and the nodes' mac: load; MACs are kept in matchbox's form")
    func loads() throws {
        let homelab = try InventoryLoader.load(yaml: PXEInventory.base, file: "lab.yaml")
        let pxe = try #require(homelab.pxe)
        #expect(pxe.mode == .proxy)
        #expect(pxe.subnet.description == "192.0.2.0/24")
        #expect(pxe.server.description == "192.0.2.1")
        #expect(pxe.bootFiles == PXESettings.BootFiles(bios: "undionly.kpxe", uefi: "ipxe.efi"))
        #expect(pxe.onlyKnownNodes)
        #expect(homelab.node(named: "lorcha")?.mac == "52:54:00:a1:00:21")
        #expect(homelab.node(named: "dhow")?.mac == "52:54:00:a1:00:22")
        #expect(pxe.issue("pxe.boot_files.bios", "x").line == 19, "the block, when the key is not written")
    }

    @Test("the example inventory has lorcha's and dhow's MACs and a proxy-mode pxe: block")
    func example() throws {
        let homelab = try InventoryLoader.load(path: PXETestPaths.example)
        #expect(homelab.pxe?.mode == .proxy)
        #expect(homelab.nodes.filter { $0.mac != nil }.map(\.name) == ["lorcha", "dhow"])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var location: String
        var fragment: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "server outside the subnet", yaml: PXEInventory.replacing("server: 192.0.2.1\n  matchbox", with: "server: 198.51.100.1\n  matchbox"),
             location: "21:11 pxe.server", fragment: "server 198.51.100.1 is outside subnet 192.0.2.0/24"),
        Case(name: "a subnet with host bits", yaml: PXEInventory.replacing("subnet: 192.0.2.0/24", with: "subnet: 192.0.2.7/24"),
             location: "20:11 pxe.subnet", fragment: "is not an IPv4 network"),
        Case(name: "overlapping ranges",
             yaml: PXEInventory.replacing(PXEInventory.proxyBlock, with: PXEInventory.dhcpBlock.replacingOccurrences(
                of: "[192.0.2.100-192.0.2.199]", with: "[192.0.2.100-192.0.2.199, 192.0.2.150-192.0.2.160]")),
             location: "22:42 pxe.dhcp_ranges[1]", fragment: "overlaps pxe.dhcp_ranges[0] (192.0.2.100-192.0.2.199)"),
        Case(name: "a range outside the subnet",
             yaml: PXEInventory.replacing(PXEInventory.proxyBlock, with: PXEInventory.dhcpBlock.replacingOccurrences(
                of: "192.0.2.100-192.0.2.199", with: "192.0.2.100-192.0.3.10")),
             location: "22:17 pxe.dhcp_ranges[0]", fragment: "is not inside subnet 192.0.2.0/24"),
        Case(name: "a range holding the server",
             yaml: PXEInventory.replacing(PXEInventory.proxyBlock, with: PXEInventory.dhcpBlock.replacingOccurrences(
                of: "192.0.2.100-192.0.2.199", with: "192.0.2.1-192.0.2.9")),
             location: "22:17 pxe.dhcp_ranges[0]", fragment: "holds the server's own address"),
        Case(name: "ranges in proxy mode",
             yaml: PXEInventory.replacing("mode: proxy", with: "mode: proxy\n  dhcp_ranges: [192.0.2.100-192.0.2.199]"),
             location: "20:16 pxe.dhcp_ranges", fragment: "dhcp_ranges are for mode dhcp"),
        Case(name: "dhcp mode without ranges", yaml: PXEInventory.replacing("mode: proxy", with: "mode: dhcp"),
             location: "19:3 pxe.dhcp_ranges", fragment: "mode dhcp needs dhcp_ranges"),
        Case(name: "a node's static lease inside the lease range",
             yaml: PXEInventory.replacing(PXEInventory.proxyBlock, with: PXEInventory.dhcpBlock)
                .replacingOccurrences(of: "address: 192.0.2.22", with: "address: 192.0.2.150"),
             location: "16:14 nodes[2].address", fragment: "is inside lease range 192.0.2.100-192.0.2.199"),
        Case(name: "a boot file with a path", yaml: PXEInventory.replacing("tftp_root: /srv/tftp", with: "tftp_root: /srv/tftp\n  boot_files: { bios: ipxe/undionly.kpxe }"),
             location: "24:23 pxe.boot_files.bios", fragment: "is not a boot file name in the TFTP root"),
        Case(name: "a MAC on two nodes", yaml: PXEInventory.replacing("mac: \"52-54-00-a1-00-22\"", with: "mac: \"52:54:00:a1:00:21\""),
             location: "17:10 nodes[2].mac", fragment: "MAC 52:54:00:a1:00:21 is also on an earlier node (line 12)"),
        Case(name: "a MAC on a TrueNAS node", yaml: PXEInventory.replacing("address: 192.0.2.1\n", with: "address: 192.0.2.1\n    mac: 52:54:00:00:00:01\n"),
             location: "8:10 nodes[0].mac", fragment: "mac is for bare-metal nodes"),
        Case(name: "a malformed MAC", yaml: PXEInventory.replacing("mac: \"52-54-00-a1-00-22\"", with: "mac: \"52-54-00-a1-00\""),
             location: "17:10 nodes[2].mac", fragment: "is not a MAC address"),
        Case(name: "a mistyped key", yaml: PXEInventory.replacing("tftp_root:", with: "tftp_roots:"),
             location: "23:3 pxe.tftp_roots", fragment: "did you mean 'tftp_root'?"),
    ]

    @Test("bad PXE settings are reported located, before dnsmasq ever sees them", arguments: cases)
    func located(_ testCase: Case) {
        let issues = InventoryLoader.issues(in: testCase.yaml, file: "lab.yaml")
        let match = issues.first { $0.message.contains(testCase.fragment) }
        #expect(match != nil, "\(issues.map(\.description))")
        if let match { #expect("\(match.line):\(match.column) \(match.keyPath)" == testCase.location, "\(match)") }
    }
}

enum PXETestPaths {
    static var example: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/homelab.yaml").path
    }
}
