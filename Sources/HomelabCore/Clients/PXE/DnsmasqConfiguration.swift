import Foundation
/// dnsmasq's configuration for network-booting the inventory's bare-metal nodes, generated from the `pxe:` block
/// and each bare-metal node's `mac:`: TFTP serving iPXE, and DHCP answers that hand PXE ROMs the iPXE binary for
/// their firmware and iPXE itself matchbox's `/boot.ipxe` (the user class `iPXE` breaks the chainloading loop).
///
/// - proxy mode: `dhcp-range=<net>,proxy` and `pxe-service` entries; the LAN's router keeps leasing addresses.
/// - dhcp mode: dnsmasq leases from the ranges, each node gets a static lease (`dhcp-host`), `dhcp-boot` by
///   client architecture (option 93).
///
/// With `only_known_nodes` (the default), only the nodes' MACs (tagged `homelab`) get boot answers.
public struct DnsmasqConfiguration: Sendable, Hashable {
    /// The `pxe:` block.
    public var settings: PXESettings
    /// Proxy or full DHCP (the block's unless overridden).
    public var mode: PXESettings.Mode
    /// The bare-metal nodes with a MAC, in inventory order.
    public var nodes: [Homelab.Node]
    /// The homelab's name, for the header.
    public var homelabName: String

    /// The tag dnsmasq sets on the inventory's nodes.
    public static let nodeTag = "homelab"

    /// The configuration for `homelab`, in its `pxe:` block's mode unless `mode` says otherwise.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` without a `pxe:` block, or for dhcp mode without
    ///   `dhcp_ranges`.
    public init(homelab: Homelab, mode: PXESettings.Mode? = nil) throws {
        guard let settings = homelab.pxe else {
            throw HomelabError(
                .invalidConfiguration, "the inventory has no pxe: block (subnet, server, matchbox_url)", component: "dnsmasq")
        }
        let chosen = mode ?? settings.mode
        if chosen == .dhcp, settings.ranges.isEmpty {
            let issue = settings.issue("pxe.dhcp_ranges", "full DHCP needs dhcp_ranges (the addresses dnsmasq leases)")
            throw HomelabError(.invalidConfiguration, issue.description, component: "dnsmasq")
        }
        self.settings = settings
        self.mode = chosen
        self.homelabName = homelab.name
        nodes = homelab.nodes.filter { $0.platform == .bareMetal && $0.mac != nil }
    }

    /// The configuration file's text.
    public func render() -> String {
        let s = settings
        var lines = [
            "# dnsmasq for PXE in homelab \(homelabName): \(mode == .proxy ? "proxy-DHCP" : "DHCP") + TFTP + iPXE chainloading to matchbox.",
            "# Generated from the inventory's pxe: block and the bare-metal nodes' mac:; `homelab pxe dnsmasq-config` rewrites it.",
            "port=0",
            "log-dhcp",
        ]
        if let interface = s.interface {
            lines += ["interface=\(interface)", "bind-interfaces"]
        }
        switch mode {
        case .proxy:
            lines.append("dhcp-range=\(s.subnet.address),proxy,\(s.subnet.netmask)")
        case .dhcp:
            for range in s.ranges { lines.append("dhcp-range=\(range.start),\(range.end),\(s.subnet.netmask),\(s.leaseTime)") }
            if let router = s.router { lines.append("dhcp-option=option:router,\(router)") }
            if !s.dnsServers.isEmpty { lines.append("dhcp-option=option:dns-server,\(s.dnsServers.map(\.description).joined(separator: ","))") }
        }
        lines += ["enable-tftp", "tftp-root=\(s.tftpRoot)", "dhcp-userclass=set:ipxe,iPXE"]
        if !nodes.isEmpty { lines.append("# The inventory's bare-metal nodes.") }
        for node in nodes { lines += ["# \(node.name)", hostEntry(node)] }
        let known = s.onlyKnownNodes ? "tag:\(Self.nodeTag)," : ""
        let script = s.bootScriptURL
        switch mode {
        case .proxy:
            lines += [
                "pxe-service=\(known)tag:!ipxe,x86PC,\"chainload iPXE\",\(s.bootFiles.bios)",
                "pxe-service=\(known)tag:ipxe,x86PC,\"iPXE to matchbox\",\(script)",
                "pxe-service=\(known)tag:!ipxe,X86-64_EFI,\"chainload iPXE (UEFI)\",\(s.bootFiles.uefi)",
                "pxe-service=\(known)tag:ipxe,X86-64_EFI,\"iPXE to matchbox (UEFI)\",\(script)",
            ]
        case .dhcp:
            lines += [
                "dhcp-match=set:bios,option:client-arch,0",
                "dhcp-match=set:efi64,option:client-arch,7",
                "dhcp-match=set:efi64,option:client-arch,9",
                "dhcp-boot=\(known)tag:!ipxe,tag:bios,\(s.bootFiles.bios)",
                "dhcp-boot=\(known)tag:!ipxe,tag:efi64,\(s.bootFiles.uefi)",
                "dhcp-boot=\(known)tag:ipxe,\(script)",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The node's `dhcp-host` line: its MAC tagged `homelab`, and in dhcp mode its static lease and name.
    public func hostEntry(_ node: Homelab.Node) -> String {
        var entry = "dhcp-host=\(node.mac ?? ""),set:\(Self.nodeTag)"
        if mode == .dhcp, let address = IPv4Address(node.address) { entry += ",\(address),\(node.name)" }
        return entry
    }

    /// The problems only visible where dnsmasq runs: boot files missing from the TFTP root (`files`: its entries).
    public func check(tftpFiles files: [String]) -> [InventoryIssue] {
        var issues: [InventoryIssue] = []
        for (key, name) in [("bios", settings.bootFiles.bios), ("uefi", settings.bootFiles.uefi)] where !files.contains(name) {
            issues.append(settings.issue(
                "pxe.boot_files.\(key)",
                "boot file \(name) is not in tftp_root \(settings.tftpRoot) (Debian's ipxe package has it in /usr/lib/ipxe)"))
        }
        return issues
    }
}
