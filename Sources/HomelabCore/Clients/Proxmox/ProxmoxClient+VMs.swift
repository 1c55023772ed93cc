import Foundation
import Logging

extension ProxmoxClient {
    /// The QEMU VMs of `node`.
    public func vms(node: String) -> VMs { VMs(client: self, node: node) }

    /// QEMU VMs on one node (`/nodes/{node}/qemu`): list, status, power, configuration, clone, resize, delete.
    public struct VMs: Sendable {
        let client: ProxmoxClient
        /// The Proxmox node they are on.
        public let node: String

        /// What to do with a VM's power.
        public enum PowerAction: String, Sendable, CaseIterable {
            /// Boot it.
            case start
            /// Cut its power (`qm stop`).
            case stop
            /// ACPI shutdown, as pressing the power button.
            case shutdown
            /// ACPI reboot.
            case reboot

            /// The run state the VM reaches once the action's task is done.
            var outcome: Proxmox.GuestStatus { self == .stop || self == .shutdown ? .stopped : .running }
        }

        /// Every VM and template on the node (`GET /nodes/{node}/qemu`).
        /// - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [Proxmox.VM] {
            try await client.data([Proxmox.VM].self, try client.nodePath(node) + "/qemu", logger: logger)
        }

        /// One VM's current state (`GET .../qemu/{vmid}/status/current`).
        /// - Throws: ``HomelabError`` (`.notFound` for an unknown VM).
        public func status(_ vmid: Int, logger: Logger? = nil) async throws -> Proxmox.VM {
            try await client.data(Proxmox.VM.self, try path(vmid) + "/status/current", logger: logger)
        }

        /// Starts the action's task (`POST .../status/{action}`) and returns its ID without waiting.
        /// "VM is locked" is retried. - Throws: ``HomelabError``.
        public func request(_ action: PowerAction, _ vmid: Int, logger: Logger? = nil) async throws -> Proxmox.UPID {
            try await client.startTask(.post, try path(vmid) + "/status/" + action.rawValue, logger: logger)
        }

        /// Runs a power action to its end: the task, then until the VM's status shows it.
        /// - Throws: ``HomelabError/Code/commandFailed`` with the task log's tail when the task fails; `.conflict`
        ///   when the VM stayed locked through every retry; `.timedOut` after `timeout`.
        @discardableResult
        public func perform(
            _ action: PowerAction, _ vmid: Int, timeout: Duration = .seconds(300), logger: Logger? = nil
        ) async throws -> Proxmox.TaskStatus {
            let started = ContinuousClock.now
            let upid = try await request(action, vmid, logger: logger)
            let task = try await client.tasks.wait(upid, timeout: timeout, logger: logger)
            try await waitUntil("VM \(vmid) is \(action.outcome)", timeout: timeout - (ContinuousClock.now - started)) {
                try await status(vmid, logger: logger).status == action.outcome
            }
            return task
        }

        /// Starts the VM and waits until it runs. - Throws: as ``perform(_:_:timeout:logger:)``.
        @discardableResult
        public func start(_ vmid: Int, timeout: Duration = .seconds(300), logger: Logger? = nil) async throws -> Proxmox.TaskStatus {
            try await perform(.start, vmid, timeout: timeout, logger: logger)
        }

        /// Cuts the VM's power and waits until it is stopped. - Throws: as ``perform(_:_:timeout:logger:)``.
        @discardableResult
        public func stop(_ vmid: Int, timeout: Duration = .seconds(300), logger: Logger? = nil) async throws -> Proxmox.TaskStatus {
            try await perform(.stop, vmid, timeout: timeout, logger: logger)
        }

        /// Shuts the VM down (ACPI) and waits until it is stopped. - Throws: as ``perform(_:_:timeout:logger:)``.
        @discardableResult
        public func shutdown(_ vmid: Int, timeout: Duration = .seconds(300), logger: Logger? = nil) async throws -> Proxmox.TaskStatus {
            try await perform(.shutdown, vmid, timeout: timeout, logger: logger)
        }

        /// Reboots the VM (ACPI) and waits until it runs again. - Throws: as ``perform(_:_:timeout:logger:)``.
        @discardableResult
        public func reboot(_ vmid: Int, timeout: Duration = .seconds(300), logger: Logger? = nil) async throws -> Proxmox.TaskStatus {
            try await perform(.reboot, vmid, timeout: timeout, logger: logger)
        }

        // MARK: Configuration

        /// The VM's configuration and its `digest` (`GET .../qemu/{vmid}/config`).
        /// - Throws: ``HomelabError`` (`.notFound` for an unknown VM).
        public func config(_ vmid: Int, logger: Logger? = nil) async throws -> Proxmox.VMConfig {
            try await client.data(Proxmox.VMConfig.self, try path(vmid) + "/config", logger: logger)
        }

        /// Sets `values` and removes `delete` (`PUT .../config`, synchronous), refused when `digest` is given and
        /// stale; then waits until a read shows the change. Prefer ``modifyConfig(_:maxAttempts:logger:_:)``.
        /// - Throws: ``HomelabError/Code/outOfSequence`` for a stale digest; other ``HomelabError``s.
        public func updateConfig(
            _ vmid: Int, set values: [String: String], delete: [String] = [], digest: String? = nil, logger: Logger? = nil
        ) async throws {
            var parameters = values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            if !delete.isEmpty { parameters.append(("delete", delete.sorted().joined(separator: ","))) }
            if let digest { parameters.append(("digest", digest)) }
            guard !parameters.isEmpty else { return }
            try await client.write(.put, try path(vmid) + "/config", parameters, logger: logger)
            try await waitUntil("the configuration of VM \(vmid) shows the change", timeout: .seconds(30)) {
                let now = try await config(vmid, logger: logger)
                return values.allSatisfy { now[text: $0.key] == $0.value } && delete.allSatisfy { now.values[$0] == nil }
            }
        }

        /// Reads the configuration, lets `change` edit it, and writes what changed with the digest it was read at,
        /// re-reading and re-applying when the server says it changed meanwhile (at most `maxAttempts` times).
        /// Keys `change` does not touch are never sent, so fields this SDK does not know survive.
        /// - Returns: the configuration as written.
        /// - Throws: ``HomelabError/Code/outOfSequence`` when every attempt conflicted; whatever `change` throws.
        @discardableResult
        public func modifyConfig(
            _ vmid: Int, maxAttempts: Int = 5, logger: Logger? = nil, _ change: (inout Proxmox.VMConfig) throws -> Void
        ) async throws -> Proxmox.VMConfig {
            try await OptimisticUpdate.digest(maxAttempts: maxAttempts).run("VM \(vmid)'s configuration", component: "proxmox", logger: logger) {
                let read = try await config(vmid, logger: logger)
                var edited = read
                try change(&edited)
                var set: [String: String] = [:]
                for key in edited.values.keys where edited.values[key] != read.values[key] {
                    if let text = edited[text: key] { set[key] = text }
                }
                let removed = read.values.keys.filter { edited.values[$0] == nil }
                try await updateConfig(vmid, set: set, delete: removed, digest: read.digest, logger: logger)
                return edited
            }
        }

        /// Writes cloud-init settings (user, SSH keys, address) into the VM's configuration.
        /// - Throws: as ``modifyConfig(_:maxAttempts:logger:_:)``.
        public func setCloudInit(_ vmid: Int, _ settings: Proxmox.CloudInit, logger: Logger? = nil) async throws {
            try await modifyConfig(vmid, logger: logger) { config in
                for (key, value) in settings.configValues { config[text: key] = value }
            }
        }

        // MARK: Lifecycle

        /// Clones `vmid` (usually a template) as `newID` and waits until the clone's configuration can be read.
        /// - Parameters:
        ///   - full: a full copy; `nil` lets the server choose (linked for templates, full otherwise).
        ///   - target: another node to place it on (needs shared storage).
        /// - Throws: ``HomelabError/Code/commandFailed`` when the clone task fails; `.conflict` when the source stays
        ///   locked; `.timedOut`.
        @discardableResult
        public func clone(
            _ vmid: Int, newID: Int, name: String? = nil, full: Bool? = nil, target: String? = nil, storage: String? = nil,
            timeout: Duration = .seconds(600), logger: Logger? = nil
        ) async throws -> Proxmox.TaskStatus {
            var parameters = [("newid", String(newID))]
            if let name { parameters.append(("name", name)) }
            if let full { parameters.append(("full", full ? "1" : "0")) }
            if let target { parameters.append(("target", target)) }
            if let storage { parameters.append(("storage", storage)) }
            let started = ContinuousClock.now
            let upid = try await client.startTask(.post, try path(vmid) + "/clone", parameters, logger: logger)
            let task = try await client.tasks.wait(upid, timeout: timeout, logger: logger)
            let home = client.vms(node: target ?? node)
            try await waitUntil("the clone \(newID) is visible", timeout: timeout - (ContinuousClock.now - started)) {
                do {
                    return try await home.config(newID, logger: logger).digest != nil
                } catch let error as HomelabError where error.code == .notFound {
                    return false
                }
            }
            return task
        }

        /// Grows a disk (`PUT .../resize`, `size` as `+10G` or `32G`) and waits for the task.
        /// - Throws: ``HomelabError/Code/commandFailed`` when the task fails; other ``HomelabError``s.
        @discardableResult
        public func resize(
            _ vmid: Int, disk: String, size: String, timeout: Duration = .seconds(300), logger: Logger? = nil
        ) async throws -> Proxmox.TaskStatus {
            let upid = try await client.startTask(.put, try path(vmid) + "/resize", [("disk", disk), ("size", size)], logger: logger)
            return try await client.tasks.wait(upid, timeout: timeout, logger: logger)
        }

        /// Deletes a stopped VM and its disks (`DELETE .../qemu/{vmid}`), waiting until it is gone.
        /// - Throws: ``HomelabError/Code/commandFailed`` when the task fails (a running VM); other ``HomelabError``s.
        @discardableResult
        public func delete(_ vmid: Int, purge: Bool = true, timeout: Duration = .seconds(300), logger: Logger? = nil) async throws -> Proxmox.TaskStatus {
            let upid = try await client.startTask(.delete, try path(vmid), purge ? [("purge", "1")] : [], logger: logger)
            let task = try await client.tasks.wait(upid, timeout: timeout, logger: logger)
            try await waitUntil("VM \(vmid) is gone", timeout: .seconds(30)) {
                do {
                    _ = try await config(vmid, logger: logger)
                    return false
                } catch let error as HomelabError where error.code == .notFound {
                    return true
                }
            }
            return task
        }

        // MARK: Helpers

        private func path(_ vmid: Int) throws -> String {
            guard vmid >= 100 else {
                throw HomelabError(.invalidArgument, "\(vmid) is not a VM ID (100 or more)", component: "proxmox")
            }
            return try client.nodePath(node) + "/qemu/\(vmid)"
        }

        /// Polls `check` until it holds (reads that wait for a write to become visible).
        func waitUntil(_ what: String, timeout: Duration, _ check: () async throws -> Bool) async throws {
            let clock = ContinuousClock()
            _ = try await poll(
                what, component: "proxmox", every: PollSchedule(initial: .milliseconds(100), maximum: .seconds(1)),
                deadline: clock.now + max(timeout, .seconds(1)), clock: clock
            ) { try await check() ? true : nil }
        }
    }
}
