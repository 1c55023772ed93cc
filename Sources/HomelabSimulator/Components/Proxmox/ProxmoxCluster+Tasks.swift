import Foundation
import HomelabCore

/// One task of the simulated cluster, as `/nodes/{node}/tasks` shows it.
struct ProxmoxTaskRecord: Sendable {
    var upid: Proxmox.UPID
    var running: Bool
    var exitstatus: String?
    var endtime: Int?
    var log: [String]

    var statusObject: JSONValue {
        var object: [String: JSONValue] = [
            "upid": .string(upid.rawValue), "node": .string(upid.node), "pid": .integer(Int64(upid.pid)),
            "pstart": .integer(Int64(upid.pstart)), "starttime": .integer(Int64(upid.starttime)), "type": .string(upid.type),
            "id": .string(upid.id), "user": .string(upid.user), "status": .string(running ? "running" : "stopped"),
        ]
        if let exitstatus { object["exitstatus"] = .string(exitstatus) }
        return .object(object)
    }

    /// The task-list entry: `status` is the exit status once stopped, absent while running.
    var listObject: JSONValue {
        var object: [String: JSONValue] = [
            "upid": .string(upid.rawValue), "node": .string(upid.node), "pid": .integer(Int64(upid.pid)),
            "pstart": .integer(Int64(upid.pstart)), "starttime": .integer(Int64(upid.starttime)), "type": .string(upid.type),
            "id": .string(upid.id), "user": .string(upid.user),
        ]
        if let exitstatus { object["status"] = .string(exitstatus) }
        if let endtime { object["endtime"] = .integer(Int64(endtime)) }
        return .object(object)
    }
}

/// What a task does to the cluster when it ends well.
enum ProxmoxTaskEffect: Sendable {
    case power(vmid: Int, on: Bool)
    case reboot(vmid: Int)
    case clone(source: Int, newID: Int, name: String?, node: String)
    case delete(vmid: Int)
    case resize(vmid: Int, disk: String, size: String)
}

extension ProxmoxCluster {
    /// Starts a power action on VM `vmid` as a task (`qmstart`, `qmstop`, `qmshutdown`, `qmreboot`).
    /// - Throws: ``ProxmoxAPIError`` for a missing, locked or template VM.
    func power(_ action: String, vmid: Int, node: String, user: String) throws -> Proxmox.UPID {
        let guest = try guest(vmid, on: node, kind: .qemu)
        try checkUnlocked(guest)
        if guest.template, action == "start" { throw ProxmoxAPIError.failed("you can't start a vm if it's a template") }
        switch action {
        case "start":
            return startTask("qmstart", id: vmid, node: node, user: user, takes: .seconds(3), effect: .power(vmid: vmid, on: true),
                             log: guest.running ? ["VM \(vmid) already running"] : ["generating cloud-init ISO", "starting VM \(vmid)"])
        case "stop":
            return startTask("qmstop", id: vmid, node: node, user: user, takes: .seconds(1), effect: .power(vmid: vmid, on: false), log: ["stopping VM \(vmid)"])
        case "shutdown":
            return startTask("qmshutdown", id: vmid, node: node, user: user, takes: .seconds(4), effect: .power(vmid: vmid, on: false), log: ["shutting down VM \(vmid) (ACPI)"])
        case "reboot":
            return startTask("qmreboot", id: vmid, node: node, user: user, takes: .seconds(5), effect: .reboot(vmid: vmid), log: ["rebooting VM \(vmid)"])
        default:
            throw ProxmoxAPIError.notImplemented("status/\(action)")
        }
    }

    /// Starts cloning `vmid` as `newID`; the source holds no lock, the new VM appears when the task ends.
    func clone(_ vmid: Int, node: String, parameters: [String: String], user: String) throws -> Proxmox.UPID {
        let source = try guest(vmid, on: node, kind: .qemu)
        try checkUnlocked(source)
        guard let newID = parameters["newid"].flatMap({ Int($0) }), newID >= 100 else {
            throw ProxmoxAPIError.parameters(["newid": "property is missing and it is not optional"])
        }
        guard guests[newID] == nil else { throw ProxmoxAPIError.failed("unable to create VM \(newID): config file already exists") }
        let target = parameters["target"] ?? node
        try checkNode(target)
        let full = parameters["full"].map { $0 == "1" } ?? !source.template
        return startTask(
            "qmclone", id: vmid, node: node, user: user, takes: .seconds(full ? 6 : 2),
            effect: .clone(source: vmid, newID: newID, name: parameters["name"], node: target),
            log: ["create \(full ? "full" : "linked") clone of drive scsi0 (local-lvm:vm-\(vmid)-disk-0)", "clone done"])
    }

    /// Starts deleting a stopped VM.
    func destroy(_ vmid: Int, node: String, user: String) throws -> Proxmox.UPID {
        let guest = try guest(vmid, on: node, kind: .qemu)
        try checkUnlocked(guest)
        return startTask("qmdestroy", id: vmid, node: node, user: user, takes: .seconds(2), effect: .delete(vmid: vmid),
                         log: ["destroying VM \(vmid)"], precondition: guest.running ? "VM \(vmid) is running - destroy failed" : nil)
    }

    /// Starts growing a disk.
    func resize(_ vmid: Int, node: String, parameters: [String: String], user: String) throws -> Proxmox.UPID {
        let guest = try guest(vmid, on: node, kind: .qemu)
        try checkUnlocked(guest)
        guard let disk = parameters["disk"], let size = parameters["size"] else {
            throw ProxmoxAPIError.parameters(["disk": "property is missing and it is not optional"])
        }
        guard guest.config[disk] != nil else { throw ProxmoxAPIError.failed("disk '\(disk)' does not exist") }
        return startTask("qmresize", id: vmid, node: node, user: user, takes: .seconds(1),
                         effect: .resize(vmid: vmid, disk: disk, size: size), log: ["resizing \(disk) to \(size)"])
    }

    /// Records a running task and ends it after `takes` simulated time.
    private func startTask(
        _ type: String, id: Int, node: String, user: String, takes: Duration, effect: ProxmoxTaskEffect, log: [String],
        precondition failure: String? = nil
    ) -> Proxmox.UPID {
        nextPID += 1
        let upid = Proxmox.UPID(
            node: node, pid: nextPID, pstart: 0x3A2F0 + nextPID, starttime: Int(Date().timeIntervalSince1970), type: type,
            id: String(id), user: user)
        tasks[upid.rawValue] = ProxmoxTaskRecord(upid: upid, running: true, log: log)
        taskOrder.append(upid.rawValue)
        let clock = self.clock
        Task { [weak self] in
            try? await clock.sleep(for: takes)
            await self?.finish(upid, effect: effect, failure: failure)
        }
        return upid
    }

    private func finish(_ upid: Proxmox.UPID, effect: ProxmoxTaskEffect, failure: String?) async {
        let injected = failures.removeValue(forKey: upid.type)
        if let failed = failure ?? injected {
            tasks[upid.rawValue]?.log.append("TASK ERROR: \(failed)")
            end(upid, exitstatus: failed)
            return
        }
        var warnings = 0
        switch effect {
        case .power(let vmid, let on):
            guard var guest = guests[vmid] else { break }
            if guest.running == on { warnings += on ? 0 : 1 }
            guest.running = on
            guest.startedAt = on ? (guest.startedAt ?? Date()) : nil
            guests[vmid] = guest
            await propagatePower(of: guest)
        case .reboot(let vmid):
            guests[vmid]?.running = true
            guests[vmid]?.startedAt = Date()
            if let guest = guests[vmid] { await propagatePower(of: guest) }
        case .clone(let source, let newID, let name, let node):
            guard var clone = guests[source] else { break }
            clone.vmid = newID
            clone.node = node
            clone.template = false
            clone.running = false
            clone.startedAt = nil
            clone.lock = nil
            clone.name = name ?? "Copy-of-VM-\(clone.name)"
            clone.config["name"] = clone.name
            clone.config.removeValue(forKey: "template")
            clone.config["scsi0"] = "local-lvm:vm-\(newID)-disk-0,size=\(clone.maxdisk >> 30)G"
            guests[newID] = clone
        case .delete(let vmid):
            guests.removeValue(forKey: vmid)
        case .resize(let vmid, let disk, let size):
            guard var guest = guests[vmid] else { break }
            let gigabytes = Int64(size.trimmingCharacters(in: CharacterSet(charactersIn: "+G"))) ?? 0
            guest.maxdisk = size.hasPrefix("+") ? guest.maxdisk + gigabytes << 30 : max(guest.maxdisk, gigabytes << 30)
            guest.config[disk] = (guest.config[disk] ?? "").replacingOccurrences(
                of: #"size=\d+G"#, with: "size=\(guest.maxdisk >> 30)G", options: .regularExpression)
            guests[vmid] = guest
        }
        end(upid, exitstatus: warnings > 0 ? "WARNINGS: \(warnings)" : "OK")
    }

    private func end(_ upid: Proxmox.UPID, exitstatus: String) {
        tasks[upid.rawValue]?.log.append(exitstatus.hasPrefix("WARNINGS") || exitstatus == "OK" ? "TASK \(exitstatus)" : "")
        tasks[upid.rawValue]?.log.removeAll { $0.isEmpty }
        tasks[upid.rawValue]?.running = false
        tasks[upid.rawValue]?.exitstatus = exitstatus
        tasks[upid.rawValue]?.endtime = Int(Date().timeIntervalSince1970)
    }

    /// A task's status. - Throws: ``ProxmoxAPIError`` for an unknown UPID.
    func taskStatus(_ upid: String) throws -> JSONValue {
        guard let task = tasks[upid] else { throw ProxmoxAPIError.failed("no such task") }
        return task.statusObject
    }

    /// A task's log lines `[{n, t}]` from `start`, at most `limit`.
    func taskLog(_ upid: String, start: Int, limit: Int) throws -> JSONValue {
        guard let task = tasks[upid] else { throw ProxmoxAPIError.failed("no such task") }
        let lines = task.log.enumerated().dropFirst(max(0, start)).prefix(max(0, limit))
        return .array(lines.map { .object(["n": .integer(Int64($0.offset + 1)), "t": .string($0.element)]) })
    }

    /// The node's tasks, newest first, `limit` from `start`.
    func taskList(node: String, start: Int, limit: Int, vmid: String?) throws -> JSONValue {
        try checkNode(node)
        let all = taskOrder.reversed().compactMap { tasks[$0] }.filter { $0.upid.node == node && (vmid == nil || $0.upid.id == vmid) }
        return .array(all.dropFirst(max(0, start)).prefix(max(0, limit)).map(\.listObject))
    }
}
