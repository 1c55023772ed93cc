import ArgumentParser
import Foundation
import HomelabCore

/// `homelab proxmox vm start|stop|shutdown|reboot|clone`: one VM, named by its ID, its name or the swarm node it
/// carries; each waits for the task and for the VM's state to show it.
struct ProxmoxVMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Start, stop, shut down, reboot or clone one VM (by VMID, VM name or swarm node).",
        subcommands: [Power<StartAction>.self, Power<StopAction>.self, Power<ShutdownAction>.self, Power<RebootAction>.self, Clone.self])

    /// A VM found by ID or name: its Proxmox node and VMID.
    static func locate(_ text: String, proxmox: ProxmoxClient, homelab: Homelab) async throws -> (node: String, vmid: Int) {
        if let placement = homelab.node(named: text)?.proxmox { return (placement.node, placement.vmid) }
        let guests = try await proxmox.cluster.resources(type: "vm").filter { $0.type == .qemu }
        let matches = guests.filter { guest in Int(text).map { guest.vmid == $0 } ?? (guest.name == text) }
        guard matches.count == 1, let guest = matches.first, let node = guest.node, let vmid = guest.vmid else {
            let known = guests.compactMap { guest in guest.vmid.map { "\($0) (\(guest.name ?? "-"))" } }.joined(separator: ", ")
            throw ValidationError(
                matches.isEmpty ? "no VM '\(text)' on the cluster; VMs: \(known)" : "'\(text)' names \(matches.count) VMs; give the VMID")
        }
        return (node, vmid)
    }
}

/// Which power action a ``ProxmoxVMCommand/Power`` subcommand runs.
protocol VMPowerAction: Sendable {
    static var action: ProxmoxClient.VMs.PowerAction { get }
    static var abstract: String { get }
}
enum StartAction: VMPowerAction {
    static let action = ProxmoxClient.VMs.PowerAction.start
    static let abstract = "Boot the VM and wait until it runs."
}
enum StopAction: VMPowerAction {
    static let action = ProxmoxClient.VMs.PowerAction.stop
    static let abstract = "Cut the VM's power (qm stop) and wait until it is stopped."
}
enum ShutdownAction: VMPowerAction {
    static let action = ProxmoxClient.VMs.PowerAction.shutdown
    static let abstract = "Shut the VM down (ACPI) and wait until it is stopped."
}
enum RebootAction: VMPowerAction {
    static let action = ProxmoxClient.VMs.PowerAction.reboot
    static let abstract = "Reboot the VM (ACPI) and wait until it runs again."
}

extension ProxmoxVMCommand {
    struct Power<Action: VMPowerAction>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Action.action.rawValue, abstract: Action.abstract)
        }
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The VM: its VMID, its name, or the swarm node it carries.")
        var vm: String
        @Option(name: .long, help: "Seconds to wait for the task and the new state.")
        var timeout = 300

        func run() async throws {
            let line = try await ProxmoxCommand.action {
                try await HomelabContext.withConnections(config) { connections in
                    let proxmox = try await connections.proxmox()
                    let (node, vmid) = try await ProxmoxVMCommand.locate(vm, proxmox: proxmox, homelab: connections.homelab)
                    let task = try await proxmox.vms(node: node).perform(Action.action, vmid, timeout: .seconds(max(1, timeout)))
                    let state = try await proxmox.vms(node: node).status(vmid).status
                    return "VM \(vmid) on \(node): \(Action.action.rawValue) \(task.exitstatus ?? "done"), now \(state)"
                }
            }
            Terminal.active.print(line)
        }
    }

    struct Clone: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clone", abstract: "Clone a VM or template as a new VMID and wait until the clone exists.")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The source VM or template: VMID or name.")
        var source: String
        @Argument(help: "The new VM's ID (default: the cluster's next free ID).")
        var newID: Int?
        @Option(name: .long, help: "The new VM's name.")
        var name: String?
        @Flag(name: .long, inversion: .prefixedNo, help: "A full copy (default: linked for templates, full otherwise).")
        var full: Bool?
        @Option(name: .long, help: "Place it on another Proxmox node (needs shared storage).")
        var target: String?
        @Option(name: .long, help: "Seconds to wait for the clone.")
        var timeout = 600

        func run() async throws {
            let line = try await ProxmoxCommand.action {
                try await HomelabContext.withConnections(config) { connections in
                    let proxmox = try await connections.proxmox()
                    let (node, vmid) = try await ProxmoxVMCommand.locate(source, proxmox: proxmox, homelab: connections.homelab)
                    let id: Int
                    if let newID { id = newID } else { id = try await proxmox.cluster.nextID() }
                    let task = try await proxmox.vms(node: node).clone(
                        vmid, newID: id, name: name, full: full, target: target, timeout: .seconds(max(1, timeout)))
                return "VM \(vmid) cloned as \(id) on \(target ?? node): \(task.exitstatus ?? "done")"
                }
            }
            Terminal.active.print(line)
        }
    }
}
