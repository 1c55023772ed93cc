import Foundation
import Yams

/// The `pxe:` block and the nodes' `mac:` (see ``PXESettings``).
extension InventoryDecoder {
    /// A node's `mac:`: a MAC address as matchbox and dnsmasq read one, kept in matchbox's form (lower-case,
    /// colons). Only bare-metal nodes network-boot, so only they may have one.
    func macAddress(_ value: YAMLValue?, platform: Homelab.Node.Platform?) -> Located<String>? {
        guard let text = reader.string(value) else { return nil }
        guard let mac = Matchbox.MAC(text.value), mac.bytes.count == 6 else {
            reader.report(
                "'\(reader.shortened(text.value))' is not a MAC address (six hex pairs: 52:54:00:12:34:56)", at: text.mark, path: text.path)
            return nil
        }
        if let platform, platform != .bareMetal {
            reader.report(
                "mac is for bare-metal nodes (it is how they network-boot), not a \(platform.rawValue) one", at: text.mark, path: text.path)
            return nil
        }
        return Located(value: mac.description, mark: text.mark, path: text.path)
    }

    /// The `pxe:` block; `nil` after a reported problem.
    func pxeSettings(_ value: YAMLValue) -> PXESettings? {
        let keys = [
            "mode", "subnet", "server", "interface", "dhcp_ranges", "lease_time", "router", "dns", "matchbox_url", "tftp_root",
            "boot_files", "only_known_nodes",
        ]
        guard let fields = reader.fields(value, allowed: keys, required: ["subnet", "server", "matchbox_url"]) else { return nil }
        var marks: [String: PXESettings.Mark] = [:]
        func mark(_ path: String, _ at: Mark?) {
            if let at { marks[path] = PXESettings.Mark(file: reader.file, line: at.line, column: at.column) }
        }
        mark(value.path, value.mark)
        var valid = true
        var chosenMode = PXESettings.Mode.proxy
        if let field = fields["mode"] {
            if let mode = reader.choice(field, PXESettings.Mode.self) { chosenMode = mode.value } else { valid = false }
        }

        var subnet: IPv4Network?
        if let text = reader.string(fields["subnet"]) {
            subnet = IPv4Network(text.value)
            if subnet == nil {
                reader.report("'\(reader.shortened(text.value))' is not an IPv4 network (10.0.0.0/24, host bits zero)", at: text.mark, path: text.path)
            }
        }
        let server = ipv4(fields["server"])
        if let server, let subnet {
            if !subnet.contains(server.value) {
                reader.report("server \(server.value) is outside subnet \(subnet); PXE clients on it could not reach TFTP", at: server.mark, path: server.path)
                valid = false
            } else if !subnet.isHost(server.value) {
                reader.report("server \(server.value) is the network or broadcast address of \(subnet)", at: server.mark, path: server.path)
                valid = false
            }
        }
        var interface: String?
        if let text = reader.string(fields["interface"]) {
            if text.value.count <= 15, text.value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.@".contains($0)) }) {
                interface = text.value
            } else {
                reader.report("'\(reader.shortened(text.value))' is not an interface name", at: text.mark, path: text.path)
                valid = false
            }
        }
        var ranges: [PXESettings.Range] = []
        var rangesValid = true
        if let items = reader.list(fields["dhcp_ranges"]) {
            var seen: [(PXESettings.Range, String)] = []
            for item in items {
                guard let range = dhcpRange(item, subnet: subnet, server: server?.value) else {
                    rangesValid = false
                    continue
                }
                if let (other, path) = seen.first(where: { $0.0.overlaps(range) }) {
                    reader.report("range \(range) overlaps \(path) (\(other))", at: item.mark, path: item.path)
                    rangesValid = false
                }
                seen.append((range, item.path))
                ranges.append(range)
                mark(item.path, item.mark)
            }
        } else if fields["dhcp_ranges"] != nil {
            rangesValid = false
        }
        valid = valid && rangesValid
        if chosenMode == .proxy, !ranges.isEmpty, let field = fields["dhcp_ranges"] {
            reader.report(
                "dhcp_ranges are for mode dhcp; in proxy mode the existing DHCP server leases addresses (remove them or set mode: dhcp)",
                at: field.mark, path: field.path)
            valid = false
        }
        if chosenMode == .dhcp, ranges.isEmpty, rangesValid {
            reader.report("mode dhcp needs dhcp_ranges (the addresses dnsmasq leases)", at: value.mark, path: joinKeyPath(value.path, "dhcp_ranges"))
            valid = false
        }
        var leaseTime = "12h"
        if let text = reader.string(fields["lease_time"]) {
            let body = text.value.dropLast()
            if text.value == "infinite" || (!body.isEmpty && body.allSatisfy(\.isNumber) && "smhdw".contains(text.value.last ?? " "))
                || text.value.allSatisfy(\.isNumber)
            {
                leaseTime = text.value
            } else {
                reader.report("'\(reader.shortened(text.value))' is not a lease time (12h, 30m, 3600, infinite)", at: text.mark, path: text.path)
                valid = false
            }
        }
        let router = ipv4(fields["router"])
        if let router, let subnet, !subnet.contains(router.value) {
            reader.report("router \(router.value) is outside subnet \(subnet)", at: router.mark, path: router.path)
            valid = false
        }
        var dns: [IPv4Address] = []
        if let items = reader.list(fields["dns"]) {
            for item in items {
                if let address = ipv4(item) { dns.append(address.value) } else { valid = false }
            }
        }
        var matchboxURL: String?
        if let url = reader.string(fields["matchbox_url"]) {
            switch AddressSyntax.parseURL(url.value, schemes: ["http", "https"]) {
            case .success: matchboxURL = url.value
            case .failure(let problem): reader.report(problem.message, at: url.mark, path: url.path)
            }
        }
        var tftpRoot = "/var/lib/tftpboot"
        if let field = fields["tftp_root"] {
            if let path = reader.absolutePath(field) { tftpRoot = path.value } else { valid = false }
        }
        var bootFiles = PXESettings.BootFiles()
        if let field = fields["boot_files"] {
            mark(field.path, field.mark)
            if let files = reader.fields(field, allowed: ["bios", "uefi"]) {
                for key in ["bios", "uefi"] {
                    guard let entry = files[key] else { continue }
                    mark(entry.path, entry.mark)
                    guard let name = reader.string(entry) else {
                        valid = false
                        continue
                    }
                    let forbidden = name.value.contains { $0 == "/" || $0 == "," || $0 == "\"" || $0.isWhitespace || !$0.isASCII }
                    if forbidden || name.value.hasPrefix(".") {
                        reader.report(
                            "'\(reader.shortened(name.value))' is not a boot file name in the TFTP root (no path, spaces, commas or quotes)",
                            at: name.mark, path: name.path)
                        valid = false
                    } else if key == "bios" {
                        bootFiles.bios = name.value
                    } else {
                        bootFiles.uefi = name.value
                    }
                }
            } else {
                valid = false
            }
        }
        let onlyKnown = reader.bool(fields["only_known_nodes"])
        if fields["only_known_nodes"] != nil, onlyKnown == nil { valid = false }
        guard valid, let subnet, let server, let matchboxURL else { return nil }
        return PXESettings(
            mode: chosenMode, subnet: subnet, server: server.value, interface: interface, ranges: ranges, leaseTime: leaseTime,
            router: router?.value, dnsServers: dns, matchboxURL: matchboxURL, tftpRoot: tftpRoot, bootFiles: bootFiles,
            onlyKnownNodes: onlyKnown?.value ?? true, marks: marks)
    }

    private func ipv4(_ value: YAMLValue?) -> Located<IPv4Address>? {
        guard let text = reader.string(value) else { return nil }
        guard let address = IPv4Address(text.value) else {
            reader.report("'\(reader.shortened(text.value))' is not an IPv4 address", at: text.mark, path: text.path)
            return nil
        }
        return Located(value: address, mark: text.mark, path: text.path)
    }

    /// `START-END` (or `{start, end}`), inside the subnet, start before end, not holding the server's address.
    private func dhcpRange(_ value: YAMLValue, subnet: IPv4Network?, server: IPv4Address?) -> PXESettings.Range? {
        var start: IPv4Address?
        var end: IPv4Address?
        if case .mapping = value.node {
            guard let fields = reader.fields(value, allowed: ["start", "end"], required: ["start", "end"]) else { return nil }
            start = ipv4(fields["start"])?.value
            end = ipv4(fields["end"])?.value
        } else if let text = reader.string(value) {
            let parts = text.value.split(separator: "-", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace }
            guard parts.count == 2, let first = IPv4Address(parts[0]), let last = IPv4Address(parts[1]) else {
                reader.report("'\(reader.shortened(text.value))' is not a range: START-END (10.0.0.100-10.0.0.199)", at: text.mark, path: text.path)
                return nil
            }
            start = first
            end = last
        }
        guard let start, let end else { return nil }
        let range = PXESettings.Range(start: start, end: end)
        guard start <= end else {
            reader.report("range \(range) ends before it starts", at: value.mark, path: value.path)
            return nil
        }
        if let subnet, !(subnet.contains(start) && subnet.contains(end)) {
            reader.report("range \(range) is not inside subnet \(subnet)", at: value.mark, path: value.path)
            return nil
        }
        if let server, range.contains(server) {
            reader.report("range \(range) holds the server's own address \(server)", at: value.mark, path: value.path)
            return nil
        }
        return range
    }
}

/// Checks across nodes and the `pxe:` block: a MAC on two nodes; in dhcp mode, bare-metal node addresses outside
/// the subnet or inside a lease range.
extension InventoryChecks {
    func pxe() {
        var first: [String: Located<String>] = [:]
        for node in draft.nodes {
            guard let mac = node.mac else { continue }
            if let earlier = first[mac.value] {
                let line = earlier.mark.map { " (line \($0.line))" } ?? ""
                reader.report("MAC \(mac.value) is also on an earlier node\(line); each machine boots one node's profile", at: mac.mark, path: mac.path)
            } else {
                first[mac.value] = mac
            }
        }
        guard let settings = draft.pxe, settings.mode == .dhcp else { return }
        for node in draft.nodes where node.mac != nil {
            // A loopback address is a simulated node (homelab-sim moves nodes to 127.10.0.x): no lease to check.
            guard let address = node.address, let ip = IPv4Address(address.value), !AddressSyntax.isLoopback(address.value) else { continue }
            if !settings.subnet.contains(ip) {
                reader.report(
                    "node \(node.name.value) boots with a static lease, but \(ip) is outside pxe.subnet \(settings.subnet)",
                    at: address.mark, path: address.path)
            } else if let range = settings.ranges.first(where: { $0.contains(ip) }) {
                reader.report(
                    "node \(node.name.value)'s address \(ip) is inside lease range \(range): dnsmasq could lease it to another machine",
                    at: address.mark, path: address.path)
            }
        }
    }
}
