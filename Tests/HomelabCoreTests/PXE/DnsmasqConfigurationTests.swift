import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@Suite("dnsmasq configuration")
struct DnsmasqConfigurationTests {
    static func homelab(_ yaml: String = PXEInventory.base) throws -> Homelab { try InventoryLoader.load(yaml: yaml, file: "lab.yaml") }

    @Test("proxy mode: proxy dhcp-range, TFTP, the iPXE user class, one dhcp-host per node and pxe-service per firmware")
    func proxy() throws {
        let text = try DnsmasqConfiguration(homelab: Self.homelab()).render()
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        #expect(lines == [
            "port=0", "log-dhcp", "dhcp-range=192.0.2.0,proxy,255.255.255.0", "enable-tftp", "tftp-root=/srv/tftp",
            "dhcp-userclass=set:ipxe,iPXE", "dhcp-host=52:54:00:a1:00:21,set:homelab", "dhcp-host=52:54:00:a1:00:22,set:homelab",
            "pxe-service=tag:homelab,tag:!ipxe,x86PC,\"chainload iPXE\",undionly.kpxe",
            "pxe-service=tag:homelab,tag:ipxe,x86PC,\"iPXE to matchbox\",http://192.0.2.1:8080/boot.ipxe",
            "pxe-service=tag:homelab,tag:!ipxe,X86-64_EFI,\"chainload iPXE (UEFI)\",ipxe.efi",
            "pxe-service=tag:homelab,tag:ipxe,X86-64_EFI,\"iPXE to matchbox (UEFI)\",http://192.0.2.1:8080/boot.ipxe",
        ])
    }

    @Test("full DHCP: lease ranges, router and DNS, static leases with names, dhcp-boot by client architecture")
    func dhcp() throws {
        let homelab = try Self.homelab(PXEInventory.replacing(PXEInventory.proxyBlock, with: PXEInventory.dhcpBlock + "\n  interface: eth1"))
        let text = try DnsmasqConfiguration(homelab: homelab).render()
        for line in [
            "interface=eth1", "bind-interfaces", "dhcp-range=192.0.2.100,192.0.2.199,255.255.255.0,30m", "dhcp-option=option:router,192.0.2.1",
            "dhcp-option=option:dns-server,192.0.2.1", "dhcp-host=52:54:00:a1:00:21,set:homelab,192.0.2.21,lorcha",
            "dhcp-match=set:efi64,option:client-arch,7", "dhcp-boot=tag:homelab,tag:!ipxe,tag:bios,undionly.kpxe",
            "dhcp-boot=tag:homelab,tag:ipxe,http://192.0.2.1:8080/boot.ipxe",
        ] {
            #expect(text.contains("\n" + line + "\n"), "missing \(line)")
        }
        #expect(!text.contains("proxy"))
    }

    @Test("the full-DHCP variant of a proxy inventory needs ranges; only_known_nodes: false serves every PXE client")
    func variants() throws {
        #expect(throws: HomelabError.self) { try DnsmasqConfiguration(homelab: Self.homelab(), mode: .dhcp) }
        let open = try Self.homelab(PXEInventory.replacing("tftp_root: /srv/tftp", with: "tftp_root: /srv/tftp\n  only_known_nodes: false"))
        #expect(try DnsmasqConfiguration(homelab: open).render().contains("pxe-service=tag:!ipxe,x86PC,"))
    }

    @Test("a boot file missing from the TFTP root is reported at the pxe: block")
    func missingBootFile() throws {
        let homelab = try Self.homelab(PXEInventory.replacing("tftp_root: /srv/tftp", with: "tftp_root: /srv/tftp\n  boot_files: { bios: undionly.kpxe, uefi: snponly.efi }"))
        let issues = try DnsmasqConfiguration(homelab: homelab).check(tftpFiles: ["undionly.kpxe", "ipxe.efi"])
        #expect(issues.count == 1)
        #expect(issues.first?.keyPath == "pxe.boot_files.uefi")
        #expect(issues.first?.message.contains("snponly.efi is not in tftp_root /srv/tftp") == true)
        #expect(issues.first?.file == "lab.yaml" && (issues.first?.line ?? 0) > 1)
    }

    static let variantsForDnsmasq: [(String, String)] = [
        ("proxy", PXEInventory.base),
        ("dhcp", PXEInventory.replacing(PXEInventory.proxyBlock, with: PXEInventory.dhcpBlock)),
        ("dhcp on an interface", PXEInventory.replacing(PXEInventory.proxyBlock, with: PXEInventory.dhcpBlock + "\n  interface: eth1")),
        ("proxy for every client", PXEInventory.replacing("tftp_root: /srv/tftp", with: "tftp_root: /srv/tftp\n  only_known_nodes: false")),
    ]

    @Test("the real dnsmasq --test accepts every generated file", arguments: variantsForDnsmasq.map(\.0))
    func realDnsmasqAccepts(variant: String) async throws {
        let binary = RealServer.executable(["dnsmasq"])
        guard try RealServer.require("dnsmasq", available: binary != nil, hint: "apt install dnsmasq-base"), let binary else { return }
        let yaml = try #require(Self.variantsForDnsmasq.first { $0.0 == variant }?.1)
        let folder = try TemporaryFolder(prefix: "dnsmasq-test")
        let file = folder.file("dnsmasq.conf")
        try DnsmasqConfiguration(homelab: Self.homelab(yaml)).render().write(toFile: file, atomically: true, encoding: .utf8)
        let (status, output) = try await ChildProcess.run(binary, ["--test", "-C", file])
        #expect(status == 0, "\(output)")
        #expect(output.contains("syntax check OK"))
    }

    @Test("dnsmasq --test itself refuses a broken line (the check is not vacuous)")
    func realDnsmasqRefuses() async throws {
        let binary = RealServer.executable(["dnsmasq"])
        guard try RealServer.require("dnsmasq", available: binary != nil, hint: "apt install dnsmasq-base"), let binary else { return }
        let folder = try TemporaryFolder(prefix: "dnsmasq-test")
        let file = folder.file("dnsmasq.conf")
        let text = try DnsmasqConfiguration(homelab: Self.homelab()).render().replacingOccurrences(of: ",proxy,", with: ",prox,")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let (status, output) = try await ChildProcess.run(binary, ["--test", "-C", file])
        #expect(status != 0, "\(output)")
    }
}
