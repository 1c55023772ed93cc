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

    /// Runs an action (a power action, a clone, a provisioning step), mapping how it ended to the exit codes: a
    /// failed task or one still running at `--timeout` exits 3 (failed), a VM locked through every retry exits 2
    /// (refused, nothing changed); each failure is first reported as one line on standard error.
    static func action<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as HomelabError {
            let status: ExitStatus
            switch error.code {
            case .commandFailed, .timedOut: status = .failed
            case .conflict: status = .pausedOrRefused
            default: throw error
            }
            ErrorReport(error).lines.forEach { Terminal.active.printError($0) }
            throw status.code
        }
    }
}

extension ProxmoxCommand {
    struct Nodes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nodes", abstract: "Each Proxmox node: status, CPU, memory, when it booted and its certificate fingerprint.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let nodes = try await ProxmoxCommand.with(config) { try await $0.nodes.list() }
            let now = Date()
            let rows = nodes.sorted { $0.node < $1.node }.map { ProxmoxNodeRow($0, now: now) }
            try output.list(rows, table: ProxmoxNodeRow.table, id: \.node)
        }
    }

    struct VMs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vms", abstract: "Every QEMU VM and LXC container of the cluster, with the swarm node it carries.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (guests, homelab) = try await HomelabContext.withConnections(config) { connections in
                (try await connections.proxmox().cluster.resources(type: "vm"), connections.homelab)
            }
            let carried = Dictionary(
                homelab.nodes.compactMap { node in node.proxmox.map { ("\($0.node)/\($0.vmid)", node.name) } },
                uniquingKeysWith: { first, _ in first })
            let now = Date()
            let rows = guests.sorted { ($0.vmid ?? 0) < ($1.vmid ?? 0) }.map { guest in
                ProxmoxVMRow(guest, swarmNode: carried["\(guest.node ?? "")/\(guest.vmid ?? 0)"], now: now)
            }
            try output.list(rows, table: ProxmoxVMRow.table, id: { String($0.vmid) })
        }
    }

    struct Storage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "storage", abstract: "Storages per node: type, content, use.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let rows = try await ProxmoxCommand.with(config) { proxmox in
                var rows: [ProxmoxStorageRow] = []
                for node in try await proxmox.nodes.list().map(\.node).sorted() {
                    let storages = try await proxmox.storage(node: node).list().sorted { $0.storage < $1.storage }
                    rows += storages.map { ProxmoxStorageRow(node: node, $0) }
                }
                return rows
            }
            try output.list(rows, table: ProxmoxStorageRow.table, id: \.storage)
        }
    }

    struct Tasks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tasks", abstract: "Recent tasks per node, newest first.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "How many tasks per node.")
        var limit = 20

        func run() async throws {
            let limit = max(1, self.limit)
            let rows = try await ProxmoxCommand.with(config) { proxmox in
                var rows: [ProxmoxTaskRow] = []
                for node in try await proxmox.nodes.list().map(\.node).sorted() {
                    var count = 0
                    for try await task in proxmox.tasks.list(node: node, pageSize: min(limit, 50)) {
                        rows.append(ProxmoxTaskRow(node: node, task))
                        count += 1
                        if count >= limit { break }
                    }
                }
                return rows
            }
            try output.list(rows, table: ProxmoxTaskRow.table, id: \.upid)
        }
    }
}
