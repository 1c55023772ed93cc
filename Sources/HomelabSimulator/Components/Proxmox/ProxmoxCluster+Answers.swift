import Foundation
import HomelabCore

extension ProxmoxCluster {
    /// `GET /version`.
    nonisolated var version: JSONValue {
        .object(["version": .string("9.1.2"), "release": .string("9.1"), "repoid": .string("8c5bd2a1"), "console": .string("xtermjs")])
    }

    private var uptime: Int64 { Int64(Date().timeIntervalSince(bootedAt)) + 1_209_600 }

    private func load(of node: String) -> (cpu: Double, mem: Int64) {
        let running = guests.values.filter { $0.node == node && $0.running }
        return (0.03 + running.reduce(0) { $0 + $1.cpuLoad } / 16, 4 << 30 + running.reduce(0) { $0 + $1.memUsed })
    }

    /// `GET /nodes`, with each node's certificate fingerprint; an unknown field is added on purpose.
    func nodeList(fingerprint: String?) -> JSONValue {
        .array(pveNodes.map { node in
            let (cpu, mem) = load(of: node)
            var entry: [String: JSONValue] = [
                "node": .string(node), "id": .string("node/\(node)"), "type": .string("node"), "status": .string("online"),
                "cpu": .number(cpu), "maxcpu": .integer(16), "mem": .integer(mem), "maxmem": .integer(64 << 30),
                "disk": .integer(12 << 30), "maxdisk": .integer(100 << 30), "uptime": .integer(uptime), "level": .string(""),
                "sim-cgroup-mode": .integer(2),
            ]
            if let fingerprint { entry["ssl_fingerprint"] = .string(fingerprint) }
            return .object(entry)
        })
    }

    /// `GET /nodes/{node}/status`.
    func nodeStatus(_ node: String) throws -> JSONValue {
        try checkNode(node)
        let (cpu, mem) = load(of: node)
        return .object([
            "cpu": .number(cpu), "uptime": .integer(uptime), "pveversion": .string("pve-manager/9.1.2/8c5bd2a1"),
            "kversion": .string("Linux 6.14.11-4-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.11-4"),
            "loadavg": .array([.string("0.42"), .string("0.38"), .string("0.35")]), "wait": .number(0.001),
            "memory": .object(["total": .integer(64 << 30), "used": .integer(mem), "free": .integer((64 << 30) - mem), "available": .integer((64 << 30) - mem)]),
            "swap": .object(["total": .integer(8 << 30), "used": .integer(0), "free": .integer(8 << 30)]),
            "rootfs": .object(["total": .integer(100 << 30), "used": .integer(12 << 30), "free": .integer(88 << 30), "avail": .integer(83 << 30)]),
            "ksm": .object(["shared": .integer(0)]), "idle": .integer(0),
            "cpuinfo": .object([
                "cores": .integer(8), "cpus": .integer(16), "sockets": .integer(1), "model": .string("AMD Ryzen 7 5800U"),
                "mhz": .string("1900.000"), "hvm": .string("1"), "user_hz": .integer(100), "flags": .string("fpu vme de pse"),
            ]),
            "current-kernel": .object([
                "sysname": .string("Linux"), "release": .string("6.14.11-4-pve"), "version": .string("#1 SMP PREEMPT_DYNAMIC"),
                "machine": .string("x86_64"),
            ]),
            "boot-info": .object(["mode": .string("efi"), "secureboot": .integer(0)]),
        ])
    }

    /// `GET /cluster/status`.
    func clusterStatus() -> JSONValue {
        var entries: [JSONValue] = [
            .object([
                "type": .string("cluster"), "id": .string("cluster"), "name": .string(name), "nodes": .integer(Int64(pveNodes.count)),
                "quorate": .integer(1), "version": .integer(3),
            ])
        ]
        for (index, node) in pveNodes.enumerated() {
            entries.append(.object([
                "type": .string("node"), "id": .string("node/\(node)"), "name": .string(node), "online": .integer(1),
                "local": .integer(index == 0 ? 1 : 0), "nodeid": .integer(Int64(index + 1)), "level": .string(""),
                "ip": .string("127.0.0.1"),
            ]))
        }
        return .array(entries)
    }

    /// `GET /cluster/resources[?type=vm|storage|node]`; an entry of a type newer than the spec is added on purpose.
    func resources(type filter: String?) -> JSONValue {
        let now = Date()
        var out: [JSONValue] = []
        if filter == nil || filter == "node" {
            for node in pveNodes {
                let (cpu, mem) = load(of: node)
                out.append(.object([
                    "id": .string("node/\(node)"), "type": .string("node"), "node": .string(node), "status": .string("online"),
                    "cpu": .number(cpu), "maxcpu": .integer(16), "mem": .integer(mem), "maxmem": .integer(64 << 30),
                    "disk": .integer(12 << 30), "maxdisk": .integer(100 << 30), "uptime": .integer(uptime), "level": .string(""),
                    "cgroup-mode": .integer(2),
                ]))
            }
        }
        if filter == nil || filter == "vm" {
            out += guests.values.sorted { $0.vmid < $1.vmid }.map { .object($0.resource(now: now)) }
        }
        if filter == nil || filter == "storage" {
            for node in pveNodes {
                for storage in storages(on: node) {
                    out.append(.object([
                        "id": .string("storage/\(node)/\(storage.name)"), "type": .string("storage"), "node": .string(node),
                        "storage": .string(storage.name), "status": .string("available"), "plugintype": .string(storage.type),
                        "content": .string(storage.content), "shared": .integer(0), "disk": .integer(storage.used),
                        "maxdisk": .integer(storage.total),
                    ]))
                }
            }
        }
        if filter == nil {
            out.append(.object([
                "id": .string("sdn/\(pveNodes[0])/localnetwork"), "type": .string("sdn"), "node": .string(pveNodes[0]),
                "sdn": .string("localnetwork"), "status": .string("ok"),
            ]))
        }
        return .array(out)
    }

    struct StorageRecord {
        var name: String
        var type: String
        var content: String
        var total: Int64
        var used: Int64
    }

    func storages(on node: String) -> [StorageRecord] {
        let images = guests.values.filter { $0.node == node }.reduce(Int64(0)) { $0 + $1.maxdisk / 4 }
        return [
            StorageRecord(name: "local", type: "dir", content: "iso,vztmpl,backup,import", total: 100 << 30, used: 12 << 30),
            StorageRecord(name: "local-lvm", type: "lvmthin", content: "images,rootdir", total: 800 << 30, used: images),
        ]
    }

    /// `GET /nodes/{node}/storage`.
    func storageList(node: String) throws -> JSONValue {
        try checkNode(node)
        return .array(storages(on: node).map { storage in
            .object([
                "storage": .string(storage.name), "type": .string(storage.type), "content": .string(storage.content),
                "active": .integer(1), "enabled": .integer(1), "shared": .integer(0), "total": .integer(storage.total),
                "used": .integer(storage.used), "avail": .integer(storage.total - storage.used),
                "used_fraction": .number(Double(storage.used) / Double(storage.total)),
            ])
        })
    }

    /// `GET /nodes/{node}/storage/{storage}/content`.
    func storageContent(node: String, storage: String, content: String?) throws -> JSONValue {
        try checkNode(node)
        guard storages(on: node).contains(where: { $0.name == storage }) else {
            throw ProxmoxAPIError.failed("storage '\(storage)' does not exist")
        }
        var volumes: [JSONValue] = []
        if storage == "local" {
            volumes.append(.object([
                "volid": .string("local:iso/debian-12.9.0-amd64-netinst.iso"), "content": .string("iso"), "format": .string("iso"),
                "size": .integer(663_748_608), "ctime": .integer(1_736_000_000),
            ]))
        } else {
            for guest in guests.values.filter({ $0.node == node }).sorted(by: { $0.vmid < $1.vmid }) {
                let prefix = guest.template ? "base" : "vm"
                volumes.append(.object([
                    "volid": .string("local-lvm:\(prefix)-\(guest.vmid)-disk-0"), "content": .string(guest.kind == .lxc ? "rootdir" : "images"),
                    "format": .string("raw"), "size": .integer(guest.maxdisk), "vmid": .integer(Int64(guest.vmid)),
                ]))
            }
        }
        return .array(volumes.filter { volume in
            guard let content, case .object(let object) = volume, case .string(let kind)? = object["content"] else { return true }
            return kind == content
        })
    }
}
