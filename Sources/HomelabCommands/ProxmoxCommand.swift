import ArgumentParser
import Foundation
import HomelabCore

/// `homelab proxmox`: the Proxmox VE cluster under the swarm's `proxmox-vm` nodes.
struct ProxmoxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxmox",
        abstract: "Proxmox VE: nodes, VMs, storage and tasks; start, stop, shut down, reboot and clone VMs.",
        subcommands: [Nodes.self, VMs.self, Storage.self, Tasks.self, ProxmoxVMCommand.self])

    /// Opens the inventory's Proxmox client, runs `body`, closes the connections.
    static func with<T: Sendable>(_ config: ConfigOptions, _ body: (ProxmoxClient) async throws -> T) async throws -> T {
        try await HomelabContext.withConnections(config) { connections in
            try await body(try await connections.proxmox())
        }
    }

    static func bytes(_ value: Int64?) -> String {
        guard let value else { return "-" }
        let gib = Double(value) / Double(1 << 30)
        return gib >= 1 ? String(format: "%.1f GiB", gib) : String(format: "%.0f MiB", Double(value) / Double(1 << 20))
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }

    static func duration(_ seconds: Int64?) -> String {
        guard let seconds, seconds > 0 else { return "-" }
        let days = seconds / 86_400, hours = seconds % 86_400 / 3_600, minutes = seconds % 3_600 / 60
        return days > 0 ? "\(days)d \(hours)h" : hours > 0 ? "\(hours)h \(minutes)m" : "\(minutes)m"
    }

    static func print(_ header: [String], _ rows: [[String]]) {
        Swift.print(OverviewRenderer.table(header, rows, indent: 0).joined(separator: "\n"))
    }
}

extension ProxmoxCommand {
    struct Nodes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nodes", abstract: "Each Proxmox node: status, CPU, memory, uptime and certificate fingerprint.")
        @OptionGroup var config: ConfigOptions

        func run() async throws {
            let nodes = try await ProxmoxCommand.with(config) { try await $0.nodes.list() }
            ProxmoxCommand.print(
                ["NODE", "STATUS", "CPU", "MEMORY", "UPTIME", "FINGERPRINT"],
                nodes.sorted { $0.node < $1.node }.map { node in
                    [
                        node.node, node.status.rawValue, ProxmoxCommand.percent(node.cpu),
                        "\(ProxmoxCommand.bytes(node.mem)) / \(ProxmoxCommand.bytes(node.maxmem))", ProxmoxCommand.duration(node.uptime),
                        node.sslFingerprint ?? "-",
                    ]
                })
        }
    }

    struct VMs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vms", abstract: "Every QEMU VM and LXC container of the cluster, with the swarm node it carries.")
        @OptionGroup var config: ConfigOptions

        func run() async throws {
            let (guests, homelab) = try await HomelabContext.withConnections(config) { connections in
                (try await connections.proxmox().cluster.resources(type: "vm"), connections.homelab)
            }
            let carried = Dictionary(
                homelab.nodes.compactMap { node in node.proxmox.map { ("\($0.node)/\($0.vmid)", node.name) } },
                uniquingKeysWith: { first, _ in first })
            ProxmoxCommand.print(
                ["ID", "NAME", "NODE", "STATUS", "CPU", "MEMORY", "UPTIME", "LOCK", "SWARM NODE"],
                guests.sorted { ($0.vmid ?? 0) < ($1.vmid ?? 0) }.map { guest in
                    [
                        guest.id, guest.name ?? "-", guest.node ?? "-", guest.template == true ? "template" : guest.status ?? "-",
                        ProxmoxCommand.percent(guest.cpu), "\(ProxmoxCommand.bytes(guest.mem)) / \(ProxmoxCommand.bytes(guest.maxmem))",
                        ProxmoxCommand.duration(guest.uptime), guest.lock ?? "",
                        carried["\(guest.node ?? "")/\(guest.vmid ?? 0)"] ?? "",
                    ]
                })
        }
    }

    struct Storage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "storage", abstract: "Storages per node: type, content, use.")
        @OptionGroup var config: ConfigOptions

        func run() async throws {
            let rows = try await ProxmoxCommand.with(config) { proxmox in
                var rows: [[String]] = []
                for node in try await proxmox.nodes.list().map(\.node).sorted() {
                    for storage in try await proxmox.storage(node: node).list() {
                        rows.append([
                            node, storage.storage, storage.type ?? "-", storage.content ?? "-",
                            "\(ProxmoxCommand.bytes(storage.used)) / \(ProxmoxCommand.bytes(storage.total))",
                            ProxmoxCommand.percent(storage.usedFraction), storage.active == true ? "active" : "inactive",
                        ])
                    }
                }
                return rows
            }
            ProxmoxCommand.print(["NODE", "STORAGE", "TYPE", "CONTENT", "USED", "USE", "STATE"], rows)
        }
    }

    struct Tasks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tasks", abstract: "Recent tasks per node, newest first.")
        @OptionGroup var config: ConfigOptions
        @Option(name: .long, help: "How many tasks per node.")
        var limit = 20

        func run() async throws {
            let limit = max(1, self.limit)
            let rows = try await ProxmoxCommand.with(config) { proxmox in
                var rows: [[String]] = []
                for node in try await proxmox.nodes.list().map(\.node).sorted() {
                    var count = 0
                    for try await task in proxmox.tasks.list(node: node, pageSize: min(limit, 50)) {
                        let started = task.starttime.map { Date(timeIntervalSince1970: TimeInterval($0)).formatted(.iso8601) } ?? "-"
                        rows.append([node, started, task.type ?? "-", task.id ?? "", task.user ?? "-",
                                     task.status == .running ? "running" : task.exitstatus ?? "-"])
                        count += 1
                        if count >= limit { break }
                    }
                }
                return rows
            }
            ProxmoxCommand.print(["NODE", "STARTED", "TYPE", "ID", "USER", "STATUS"], rows)
        }
    }
}
