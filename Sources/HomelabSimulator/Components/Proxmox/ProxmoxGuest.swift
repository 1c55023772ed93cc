import Crypto
import Foundation
import HomelabCore

/// One simulated guest: a QEMU VM (a homelab node, the template) or an LXC container, with its configuration.
struct ProxmoxGuest: Sendable {
    enum Kind: String, Sendable { case qemu, lxc }

    var vmid: Int
    var kind: Kind
    var node: String
    var name: String
    var running: Bool
    var template: Bool
    /// The config lock held (`clone`, `backup`, ...).
    var lock: String?
    /// The configuration file's keys (values as PVE stores them: text).
    var config: [String: String]
    var startedAt: Date?
    /// Bytes on its root disk.
    var maxdisk: Int64

    /// The configuration file's SHA-1, as PVE's `digest`.
    var digest: String {
        let text = config.keys.sorted().map { "\($0): \(config[$0] ?? "")" }.joined(separator: "\n")
        return Insecure.SHA1.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    var memoryBytes: Int64 { Int64(Int(config["memory"] ?? "") ?? 2048) * 1 << 20 }
    var cores: Int { Int(config["cores"] ?? "") ?? 2 }

    func uptime(now: Date) -> Int64 {
        guard running, let startedAt else { return 0 }
        return Int64(max(0, now.timeIntervalSince(startedAt)))
    }

    /// A stable pseudo-load for a running guest.
    var cpuLoad: Double { running ? 0.02 + Double(vmid % 17) / 100 : 0 }
    var memUsed: Int64 { running ? memoryBytes * Int64(35 + vmid % 30) / 100 : 0 }

    /// Configuration keys the API types as integers or booleans (written as numbers); every other key is a string
    /// (`memory` and `agent` are property strings since PVE 8).
    static let numericKeys: Set<String> = ["cores", "sockets", "onboot", "template", "balloon", "cpuunits", "vcpus"]

    /// The configuration as `GET .../config` answers it, with its digest.
    var configAnswer: JSONValue {
        var object = config.reduce(into: [String: JSONValue]()) { out, entry in
            out[entry.key] = Self.numericKeys.contains(entry.key) ? Int64(entry.value).map { .integer($0) } ?? .string(entry.value) : .string(entry.value)
        }
        object["digest"] = .string(digest)
        return .object(object)
    }

    /// The list entry of `GET /nodes/{node}/qemu` (and `/lxc`), plus `status/current`.
    func listEntry(now: Date) -> [String: JSONValue] {
        let up = uptime(now: now)
        var entry: [String: JSONValue] = [
            "vmid": .integer(Int64(vmid)), "name": .string(name), "status": .string(running ? "running" : "stopped"),
            "cpu": .number(cpuLoad), "cpus": .integer(Int64(cores)), "mem": .integer(memUsed), "maxmem": .integer(memoryBytes),
            "maxdisk": .integer(maxdisk), "disk": .integer(kind == .lxc ? maxdisk / 3 : 0), "uptime": .integer(up),
            "netin": .integer(up * 1_200), "netout": .integer(up * 800), "diskread": .integer(up * 4_096),
            "diskwrite": .integer(up * 2_048),
        ]
        if template { entry["template"] = .integer(1) }
        if let lock { entry["lock"] = .string(lock) }
        if let tags = config["tags"] { entry["tags"] = .string(tags) }
        if kind == .qemu {
            entry["qmpstatus"] = .string(running ? "running" : "stopped")
            if running { entry["pid"] = .integer(Int64(10_000 + vmid)) }
        } else {
            entry["type"] = .string("lxc")
        }
        return entry
    }

    /// The entry of `GET /cluster/resources`.
    func resource(now: Date) -> [String: JSONValue] {
        let up = uptime(now: now)
        var entry: [String: JSONValue] = [
            "id": .string("\(kind.rawValue)/\(vmid)"), "type": .string(kind.rawValue), "node": .string(node),
            "vmid": .integer(Int64(vmid)), "name": .string(name), "status": .string(running ? "running" : "stopped"),
            "cpu": .number(cpuLoad), "maxcpu": .integer(Int64(cores)), "mem": .integer(memUsed), "maxmem": .integer(memoryBytes),
            "disk": .integer(kind == .lxc ? maxdisk / 3 : 0), "maxdisk": .integer(maxdisk), "uptime": .integer(up),
            "template": .integer(template ? 1 : 0), "netin": .integer(up * 1_200), "netout": .integer(up * 800),
            "diskread": .integer(up * 4_096), "diskwrite": .integer(up * 2_048), "hastate": .string(running ? "started" : "stopped"),
            "tags": .string(config["tags"] ?? ""),
        ]
        if let lock { entry["lock"] = .string(lock) }
        return entry
    }
}
