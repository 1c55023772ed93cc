import Foundation
import HomelabCore
import Logging

/// The simulated Proxmox VE cluster: its nodes, the guests on them (a VM for every `proxmox-vm` node of the
/// inventory, a cloud-init template, an LXC container), storages, asynchronous tasks and the credentials it
/// accepts. Powering a node's VM off powers the node off in the shared ``SimulatedNodes`` table (so the swarm
/// sees it go down), and a node powered off there shows its VM stopped.
public actor ProxmoxCluster {
    /// The cluster's name.
    public let name = "homelab"
    /// The API token it accepts: `homelab@pve!sdk` with ``tokenSecret``.
    public nonisolated let tokenID = "homelab@pve!sdk"
    /// The token's secret (a UUID, as PVE makes them).
    public nonisolated let tokenSecret: String
    /// The password login it accepts: `root@pam` with ``password``.
    public nonisolated let passwordUser = "root@pam"
    /// The password of ``passwordUser``.
    public nonisolated let password: String
    /// The template VM ID (a Debian cloud image with cloud-init).
    public nonisolated let templateID: Int

    let clock: SimulatedClock
    let logger: Logger
    private let power: SimulatedNodes
    private(set) var pveNodes: [String]
    var guests: [Int: ProxmoxGuest]
    var tasks: [String: ProxmoxTaskRecord] = [:]
    var taskOrder: [String] = []
    var failures: [String: String] = [:]
    var tickets: [String: Date] = [:]
    var nextPID = 0x1000
    let bootedAt = Date()

    init(homelab: Homelab, power: SimulatedNodes, clock: SimulatedClock, logger: Logger) {
        self.power = power
        self.clock = clock
        self.logger = logger
        tokenSecret = UUID().uuidString.lowercased()
        password = "sim-" + UUID().uuidString.prefix(8).lowercased()
        let vmNodes = homelab.nodes.filter { $0.platform == .proxmoxVM }
        let templateID = vmNodes.compactMap { $0.proxmox?.template }.first ?? 9000
        self.templateID = templateID
        var nodes = Set(vmNodes.compactMap { $0.proxmox?.node })
        if nodes.isEmpty { nodes.insert("pve1") }
        let sortedNodes = nodes.sorted()
        pveNodes = sortedNodes
        let home = sortedNodes.first ?? "pve1"
        var guests: [Int: ProxmoxGuest] = [:]
        var used = Set<Int>()
        for (index, node) in vmNodes.enumerated() {
            var vmid = node.proxmox?.vmid ?? 101 + index
            while used.contains(vmid) || vmid == templateID { vmid += 1 }
            used.insert(vmid)
            guests[vmid] = ProxmoxGuest(
                vmid: vmid, kind: .qemu, node: node.proxmox?.node ?? home, name: node.name, running: true, template: false,
                config: [
                    "name": node.name, "memory": "8192", "cores": "4", "sockets": "1", "onboot": "1", "agent": "1",
                    "scsi0": "local-lvm:vm-\(vmid)-disk-0,size=64G", "net0": "virtio=BC:24:11:00:00:\(String(format: "%02X", vmid % 256)),bridge=vmbr0",
                    "ciuser": node.ssh.user, "ipconfig0": "ip=\(node.address)/16", "tags": "homelab;swarm",
                ],
                startedAt: Date().addingTimeInterval(-86_400), maxdisk: 64 << 30)
        }
        guests[templateID] = ProxmoxGuest(
            vmid: templateID, kind: .qemu, node: home, name: "debian-12-cloud", running: false, template: true,
            config: [
                "name": "debian-12-cloud", "memory": "2048", "cores": "2", "template": "1", "scsi0": "local-lvm:base-\(templateID)-disk-0,size=8G",
                "ide2": "local-lvm:cloudinit", "net0": "virtio=BC:24:11:00:90:00,bridge=vmbr0", "agent": "1",
            ],
            startedAt: nil, maxdisk: 8 << 30)
        guests[200] = ProxmoxGuest(
            vmid: 200, kind: .lxc, node: home, name: "unifi", running: true, template: false,
            config: ["hostname": "unifi", "memory": "1024", "cores": "1", "onboot": "0", "rootfs": "local-lvm:vm-200-disk-0,size=16G"],
            startedAt: Date().addingTimeInterval(-3_600), maxdisk: 16 << 30)
        self.guests = guests
    }

    /// Makes the cluster follow the shared node table (a node powered off elsewhere shows its VM stopped).
    func follow() async {
        await power.observe { [weak self] name, power in
            await self?.nodePowered(name, on: power == .on)
        }
    }

    private func nodePowered(_ name: String, on: Bool) {
        for (vmid, guest) in guests where guest.kind == .qemu && guest.name == name && guest.running != on {
            guests[vmid]?.running = on
            guests[vmid]?.startedAt = on ? Date() : nil
        }
    }

    /// Tells the shared node table that the VM of a homelab node was powered on or off.
    func propagatePower(of guest: ProxmoxGuest) async {
        try? await power.setPower(guest.name, guest.running ? .on : .off)
    }

    // MARK: Reads

    /// The guest `vmid` of `kind` on `node`.
    /// - Throws: ``ProxmoxAPIError`` 500 "does not exist", as PVE words a missing configuration file.
    func guest(_ vmid: Int, on node: String, kind: ProxmoxGuest.Kind) throws -> ProxmoxGuest {
        guard let guest = guests[vmid], guest.node == node, guest.kind == kind else {
            let file = kind == .qemu ? "qemu-server" : "lxc"
            throw ProxmoxAPIError.failed("Configuration file 'nodes/\(node)/\(file)/\(vmid).conf' does not exist")
        }
        return guest
    }

    /// - Throws: ``ProxmoxAPIError`` for an unknown node (PVE: `hostname lookup 'x' failed`).
    func checkNode(_ node: String) throws {
        guard pveNodes.contains(node) else {
            throw ProxmoxAPIError.failed("hostname lookup '\(node)' failed - failed to get address info for: \(node): Name or service not known")
        }
    }

    /// - Throws: "VM is locked (backup)" while a lock is held.
    func checkUnlocked(_ guest: ProxmoxGuest) throws {
        if let lock = guest.lock { throw ProxmoxAPIError.failed("VM is locked (\(lock))") }
    }

    func guestList(node: String, kind: ProxmoxGuest.Kind) throws -> JSONValue {
        try checkNode(node)
        let now = Date()
        return .array(
            guests.values.filter { $0.node == node && $0.kind == kind }.sorted { $0.vmid < $1.vmid }.map { guest in
                var entry = guest.listEntry(now: now)
                // A field newer than the spec, on purpose: clients must ignore it.
                entry["sim-balloon-target"] = .integer(guest.memoryBytes)
                return .object(entry)
            })
    }

    func config(_ vmid: Int, node: String) throws -> JSONValue {
        try guest(vmid, on: node, kind: .qemu).configAnswer
    }

    // MARK: Writes

    /// `PUT .../config`: sets and deletes keys, refusing a stale digest and a locked VM.
    func updateConfig(_ vmid: Int, node: String, parameters: [String: String]) throws {
        var guest = try guest(vmid, on: node, kind: .qemu)
        if parameters["skiplock"] != "1" { try checkUnlocked(guest) }
        if let digest = parameters["digest"], digest != guest.digest {
            throw ProxmoxAPIError.failed("detected modified configuration - file changed by other user? Try again.")
        }
        var errors: [String: String] = [:]
        for (key, value) in parameters where !["digest", "delete", "skiplock", "node", "vmid"].contains(key) {
            if ["memory", "cores", "sockets"].contains(key), Int(value) == nil {
                errors[key] = "type check ('integer') failed - got '\(value)'"
            }
            guest.config[key] = value
        }
        guard errors.isEmpty else { throw ProxmoxAPIError.parameters(errors) }
        for key in (parameters["delete"] ?? "").split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
            guest.config.removeValue(forKey: key)
        }
        if let name = guest.config["name"] { guest.name = name }
        guests[vmid] = guest
    }

    /// Holds (or releases, with `nil`) a config lock on `vmid`, for `seconds` when given.
    func setLock(_ vmid: Int, _ lock: String?, seconds: Double?) throws {
        guard guests[vmid] != nil else { throw SimulatorError.notFound("no guest \(vmid)") }
        guests[vmid]?.lock = lock
        if let lock, let seconds {
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                await self?.releaseLock(vmid, lock)
            }
        }
    }

    private func releaseLock(_ vmid: Int, _ lock: String) {
        if guests[vmid]?.lock == lock { guests[vmid]?.lock = nil }
    }

    /// Makes the next task of `type` fail with `exitstatus`.
    func failNext(type: String, exitstatus: String) { failures[type] = exitstatus }

    /// The first free VM ID from 100.
    func nextID() -> Int {
        var id = 100
        while guests[id] != nil { id += 1 }
        return id
    }

    // MARK: Authentication

    /// Issues a ticket for a correct password (or a valid ticket given as the password, to renew it).
    func login(username: String, password given: String) throws -> (ticket: String, csrf: String) {
        let valid = (username == passwordUser && given == password) || (tickets[given] != nil && given.contains(username))
        guard valid else { throw ProxmoxAPIError.unauthorized() }
        let ticket = "PVE:\(username):\(String(Int(Date().timeIntervalSince1970), radix: 16, uppercase: true))::" + UUID().uuidString
        tickets[ticket] = Date()
        return (ticket, csrfToken(for: ticket))
    }

    /// Whether `ticket` is one this cluster issued less than two hours ago.
    func isValid(ticket: String) -> Bool {
        guard let issued = tickets[ticket] else { return false }
        return Date().timeIntervalSince(issued) < 7_200
    }

    /// The CSRF token that goes with `ticket`.
    nonisolated func csrfToken(for ticket: String) -> String {
        "CSRF:" + String(ticket.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 16)
    }
}
