import Foundation
import HomelabCore

/// Writes a `homelab.yaml` for a homelab value: what `homelab-sim --write-config` hands to every frontend
/// (`homelab --config PATH`). The text is checked with ``InventoryLoader`` before it is written, so a file
/// that exists is a file that loads.
public enum InventoryWriter {
    /// The inventory as YAML text; `notes` become comment lines at the top.
    public static func yaml(for homelab: Homelab, notes: [String] = []) -> String {
        var out = notes.map { "# \($0)" }
        if !out.isEmpty { out.append("") }
        out.append("version: 1")
        out.append("name: \(quoted(homelab.name))")
        out.append("")
        out.append("nodes:")
        for node in homelab.nodes {
            out.append("  - name: \(quoted(node.name))")
            out.append("    role: \(node.role.rawValue)")
            out.append("    platform: \(node.platform.rawValue)")
            out.append("    address: \(quoted(node.address))")
            if node.isLeader { out.append("    leader: true") }
            if let mac = node.mac { out.append("    mac: \(quoted(mac))") }
            var ssh = ["user: \(quoted(node.ssh.user))", "port: \(node.ssh.port)"]
            if let file = node.ssh.identityFile { ssh.append("identity_file: \(quoted(file))") }
            out.append("    ssh: { \(ssh.joined(separator: ", ")) }")
            if let placement = node.proxmox {
                var block = ["node: \(quoted(placement.node))", "vmid: \(placement.vmid)"]
                if let template = placement.template { block.append("template: \(template)") }
                out.append("    proxmox: { \(block.joined(separator: ", ")) }")
            }
            if !node.labels.isEmpty {
                let labels = node.labels.sorted { $0.key < $1.key }.map { "\(quoted($0.key)): \(quoted($0.value))" }
                out.append("    labels: { \(labels.joined(separator: ", ")) }")
            }
        }
        if let pxe = homelab.pxe { out += pxeBlock(pxe) }
        out.append("")
        out.append("tiers: [\(homelab.tiers.map(quoted).joined(separator: ", "))]")
        if !homelab.protectedTiers.isEmpty {
            out.append("protected_tiers: [\(homelab.protectedTiers.map(quoted).joined(separator: ", "))]")
        }
        if !homelab.requiredLabels.isEmpty {
            out.append("required_labels: [\(homelab.requiredLabels.map(quoted).joined(separator: ", "))]")
        }
        if !homelab.secrets.isEmpty {
            out.append("secrets:")
            for (name, reference) in homelab.secrets.sorted(by: { $0.key < $1.key }) {
                out.append("  \(quoted(name)): \(quoted(reference.description))")
            }
        }
        out.append("")
        out.append("stacks:")
        for stack in homelab.stacks {
            out.append("  - name: \(quoted(stack.name))")
            out.append("    tier: \(quoted(stack.tier))")
            out.append("    services:")
            for service in stack.services {
                out.append("      - name: \(quoted(service.name))")
                if service.tier != stack.tier { out.append("        tier: \(quoted(service.tier))") }
                if let image = service.image { out.append("        image: \(quoted(image))") }
                switch service.mode {
                case .global: out.append("        mode: global")
                case .replicated(let count) where count != 1: out.append("        replicas: \(count)")
                case .replicated: break
                }
                if !service.dependsOn.isEmpty {
                    out.append("        depends_on: [\(service.dependsOn.map(quoted).joined(separator: ", "))]")
                }
                if service.isStateful { out.append("        stateful: true") }
                if let node = service.pinnedNode { out.append("        pinned_node: \(quoted(node))") }
                if let url = service.healthURL { out.append("        health_url: \(quoted(url))") }
                if let protected = service.protected { out.append("        protected: \(protected)") }
                if !service.labels.isEmpty {
                    out.append("        labels:")
                    for (key, value) in service.labels.sorted(by: { $0.key < $1.key }) {
                        out.append("          \(quoted(key)): \(quoted(value))")
                    }
                }
            }
        }
        if !homelab.components.isEmpty {
            out.append("")
            out.append("components:")
            for (kind, component) in homelab.components.sorted(by: { $0.key < $1.key }) {
                out.append("  \(kind.rawValue):")
                switch component.endpoint?.address {
                case .url(let url): out.append("    url: \(quoted(url))")
                case .unixSocket(let path): out.append("    socket: \(quoted(path))")
                case nil: break
                }
                if case .some(.caFile(let path)) = component.endpoint?.tls.trust {
                    out.append("    tls:")
                    out.append("      ca_file: \(quoted(path))")
                }
                if let tunnel = component.sshTunnel { out.append("    ssh_tunnel: \(quoted(tunnel))") }
                if let node = component.node { out.append("    node: \(quoted(node))") }
                if let path = component.configPath { out.append("    config_path: \(quoted(path))") }
                if let username = component.username { out.append("    username: \(quoted(username))") }
                if !component.credentials.isEmpty {
                    out.append("    credentials:")
                    for (name, reference) in component.credentials.sorted(by: { $0.key < $1.key }) {
                        out.append("      \(name): \(quoted(reference.description))")
                    }
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The `pxe:` block's lines.
    static func pxeBlock(_ pxe: PXESettings) -> [String] {
        var out = ["", "pxe:", "  mode: \(pxe.mode.rawValue)", "  subnet: \(quoted(pxe.subnet.description))", "  server: \(quoted(pxe.server.description))"]
        if let interface = pxe.interface { out.append("  interface: \(quoted(interface))") }
        if !pxe.ranges.isEmpty { out.append("  dhcp_ranges: [\(pxe.ranges.map { quoted($0.description) }.joined(separator: ", "))]") }
        if pxe.mode == .dhcp { out.append("  lease_time: \(quoted(pxe.leaseTime))") }
        if let router = pxe.router { out.append("  router: \(quoted(router.description))") }
        if !pxe.dnsServers.isEmpty { out.append("  dns: [\(pxe.dnsServers.map { quoted($0.description) }.joined(separator: ", "))]") }
        out.append("  matchbox_url: \(quoted(pxe.matchboxURL))")
        out.append("  tftp_root: \(quoted(pxe.tftpRoot))")
        out.append("  boot_files: { bios: \(quoted(pxe.bootFiles.bios)), uefi: \(quoted(pxe.bootFiles.uefi)) }")
        if !pxe.onlyKnownNodes { out.append("  only_known_nodes: false") }
        return out
    }

    /// Writes the inventory to `path` atomically, after checking that it loads.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the text would not load (a bug, reported with
    ///   the loader's issues) or the file cannot be written.
    public static func write(_ homelab: Homelab, to path: String, notes: [String] = []) throws {
        let text = yaml(for: homelab, notes: notes)
        _ = try InventoryLoader.load(yaml: text, file: path)
        do {
            try SimulatorFiles.write(text, to: path)
        } catch {
            throw HomelabError(
                .invalidConfiguration, "cannot write the inventory to \(Redaction.redactText(path))", component: "simulator")
        }
    }

    /// The comment lines of a simulation's inventory: what it points at and what is not simulated.
    public static func notes(for endpoints: SimulatedEndpoints) -> [String] {
        var notes = [
            "Written by homelab-sim: every component below points at the simulation on this machine.",
            "Use it with any frontend: homelab --config <this file> ...",
            "Node addresses are loopback addresses: nothing here reaches a real network.",
            "Admin API: \(endpoints.admin)/_sim",
        ]
        for (kind, listening) in endpoints.listening.sorted(by: { $0.key < $1.key }) where listening.socketPath != nil {
            notes.append("\(kind.rawValue) also answers on \(listening.url).")
        }
        if !endpoints.notSimulated.isEmpty {
            notes.append("Not simulated yet (left out): \(endpoints.notSimulated.map(\.rawValue).joined(separator: ", ")).")
        }
        return notes
    }

    /// A YAML double-quoted scalar (JSON escapes are valid YAML).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
