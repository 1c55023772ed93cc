import Foundation
/// The inventory's `pxe:` block: how the bare-metal nodes network-boot (dnsmasq answering DHCP for PXE clients and
/// serving iPXE over TFTP, then chaining to matchbox).
///
/// ```yaml
/// pxe:
///   mode: proxy                      # proxy: the router keeps leasing addresses; dhcp: dnsmasq leases them
///   subnet: 10.0.0.0/24
///   server: 10.0.0.10                # dnsmasq's address on that subnet (TFTP server)
///   interface: eth0                  # optional: answer only there
///   dhcp_ranges: [10.0.0.100-10.0.0.199]   # dhcp mode only
///   router: 10.0.0.1                 # dhcp mode: option 3
///   matchbox_url: http://10.0.0.10:8080
///   tftp_root: /var/lib/tftpboot
///   boot_files: { bios: undionly.kpxe, uefi: ipxe.efi }
/// ```
public struct PXESettings: Sendable, Hashable {
    /// Who leases addresses.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Proxy-DHCP: another server leases addresses; dnsmasq adds only boot information.
        case proxy
        /// dnsmasq leases addresses from ``PXESettings/ranges`` too.
        case dhcp
    }

    /// An inclusive range of IPv4 addresses dnsmasq leases from.
    public struct Range: Sendable, Hashable, CustomStringConvertible {
        /// First address.
        public var start: IPv4Address
        /// Last address.
        public var end: IPv4Address

        /// A range value.
        public init(start: IPv4Address, end: IPv4Address) {
            self.start = start
            self.end = end
        }

        /// Whether the ranges share an address.
        public func overlaps(_ other: Range) -> Bool { start <= other.end && other.start <= end }

        /// Whether `address` is in the range.
        public func contains(_ address: IPv4Address) -> Bool { start <= address && address <= end }

        /// `10.0.0.100-10.0.0.199`.
        public var description: String { "\(start)-\(end)" }
    }

    /// The iPXE binaries served over TFTP, by firmware.
    public struct BootFiles: Sendable, Hashable {
        /// For legacy BIOS PXE ROMs (`undionly.kpxe`).
        public var bios: String
        /// For x86-64 UEFI (`ipxe.efi`).
        public var uefi: String

        /// Debian's `ipxe` package names, the defaults.
        public init(bios: String = "undionly.kpxe", uefi: String = "ipxe.efi") {
            self.bios = bios
            self.uefi = uefi
        }
    }

    /// Where a key of the block was written, for located problems found after loading (a boot file missing
    /// from the TFTP root).
    public struct Mark: Sendable, Hashable {
        /// The inventory file.
        public var file: String
        /// 1-based line.
        public var line: Int
        /// 1-based column.
        public var column: Int

        /// A mark value.
        public init(file: String, line: Int, column: Int) {
            self.file = file
            self.line = line
            self.column = column
        }
    }

    /// Proxy-DHCP or full DHCP.
    public var mode: Mode
    /// The boot network.
    public var subnet: IPv4Network
    /// dnsmasq's address on it (the TFTP server PXE clients are sent to).
    public var server: IPv4Address
    /// The interface dnsmasq answers on; `nil`: every interface.
    public var interface: String?
    /// Lease ranges (dhcp mode).
    public var ranges: [Range]
    /// Lease time (`12h`, `30m`, `infinite`).
    public var leaseTime: String
    /// The default gateway handed out (dhcp mode).
    public var router: IPv4Address?
    /// DNS servers handed out (dhcp mode).
    public var dnsServers: [IPv4Address]
    /// matchbox's base URL as the machines reach it (`http://10.0.0.10:8080`).
    public var matchboxURL: String
    /// dnsmasq's TFTP root on its node.
    public var tftpRoot: String
    /// The iPXE binaries in the TFTP root.
    public var bootFiles: BootFiles
    /// Boot only the inventory's bare-metal nodes (by `mac`); other PXE clients get no boot answer.
    public var onlyKnownNodes: Bool
    /// Where each key was written (`pxe.boot_files.bios` -> file, line, column).
    public var marks: [String: Mark]

    /// A settings value; see each property.
    public init(
        mode: Mode = .proxy, subnet: IPv4Network, server: IPv4Address, interface: String? = nil, ranges: [Range] = [],
        leaseTime: String = "12h", router: IPv4Address? = nil, dnsServers: [IPv4Address] = [], matchboxURL: String,
        tftpRoot: String = "/var/lib/tftpboot", bootFiles: BootFiles = BootFiles(), onlyKnownNodes: Bool = true,
        marks: [String: Mark] = [:]
    ) {
        self.mode = mode
        self.subnet = subnet
        self.server = server
        self.interface = interface
        self.ranges = ranges
        self.leaseTime = leaseTime
        self.router = router
        self.dnsServers = dnsServers
        self.matchboxURL = matchboxURL
        self.tftpRoot = tftpRoot
        self.bootFiles = bootFiles
        self.onlyKnownNodes = onlyKnownNodes
        self.marks = marks
    }

    /// matchbox's `/boot.ipxe` under ``matchboxURL``.
    public var bootScriptURL: String { (matchboxURL.hasSuffix("/") ? String(matchboxURL.dropLast()) : matchboxURL) + "/boot.ipxe" }

    /// An ``InventoryIssue`` at the place `keyPath` (`pxe.boot_files.bios`) was written, else at the block.
    public func issue(_ keyPath: String, _ message: String) -> InventoryIssue {
        let mark = marks[keyPath] ?? marks["pxe"] ?? Mark(file: "homelab.yaml", line: 1, column: 1)
        return InventoryIssue(file: mark.file, line: mark.line, column: mark.column, keyPath: keyPath, message: message)
    }
}

/// An IPv4 address as a number (ordering and subnet arithmetic).
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address, most significant byte first.
    public var value: UInt32

    /// An address from its number.
    public init(value: UInt32) { self.value = value }

    /// Parses dotted-quad text; `nil` otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let byte = UInt8(part),
                part == "0" || !part.hasPrefix("0")
            else { return nil }
            value = value << 8 | UInt32(byte)
        }
        self.value = value
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    /// `10.0.0.10`.
    public var description: String {
        [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    }
}

/// An IPv4 network: an address and a prefix length.
public struct IPv4Network: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits zero).
    public var address: IPv4Address
    /// The prefix length, 0-32.
    public var prefix: Int

    /// Parses `10.0.0.0/24`; `nil` when malformed or when host bits are set.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])), let prefix = Int(parts[1]), (0...32).contains(prefix) else {
            return nil
        }
        self.address = address
        self.prefix = prefix
        guard address.value & ~mask == 0 else { return nil }
    }

    /// The netmask as a number.
    public var mask: UInt32 { prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix) }

    /// The netmask as dotted quad.
    public var netmask: IPv4Address { IPv4Address(value: mask) }

    /// Whether `address` is in the network.
    public func contains(_ other: IPv4Address) -> Bool { other.value & mask == address.value }

    /// Whether `address` is a usable host address (not the network or broadcast address, for prefixes up to /30).
    public func isHost(_ other: IPv4Address) -> Bool {
        guard contains(other) else { return false }
        guard prefix <= 30 else { return true }
        return other.value != address.value && other.value != address.value | ~mask
    }

    /// `10.0.0.0/24`.
    public var description: String { "\(address)/\(prefix)" }
}
