import Foundation
import HomelabCommands
import HomelabCore
import Testing

/// `homelab proxmox ...` on the CLI conventions, against the simulated cluster: `-q` identifiers, `-o wide`
/// columns, YAML, and the actions' lines and exit codes.
@Suite("homelab proxmox: output conventions and exit codes", .serialized)
struct ProxmoxCommandOutputTests {
    @Test("-q prints node names, VMIDs, storage IDs and UPIDs; -o json carries the same identifiers")
    func quietIdentifiers() async throws {
        try await withCommandHarness { harness in
            let reboot = await harness.run(["proxmox", "vm", "reboot", "angre", "--timeout", "30"])
            #expect(reboot.status == 0 && reboot.output.contains("VM 102 on pve1: reboot"), "a task to list: \(reboot)")
            let cases: [(arguments: [String], key: String)] = [
                (["proxmox", "nodes"], "node"), (["proxmox", "vms"], "vmid"),
                (["proxmox", "storage"], "storage"), (["proxmox", "tasks"], "upid"),
            ]
            for item in cases {
                let quiet = await harness.run(item.arguments + ["-q"])
                #expect(quiet.status == 0, "\(quiet)")
                let ids = quiet.output.split(separator: "\n").map(String.init)
                #expect(!ids.isEmpty && ids.allSatisfy { !$0.contains(" ") }, "\(item.arguments): \(quiet.output)")
                let json = await harness.run(item.arguments + ["-o", "json"])
                let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
                #expect(rows.map { "\($0[item.key] ?? "")" } == ids, "\(item.arguments)")
            }
            let vmids = await harness.run(["proxmox", "vms", "-q"]).output.split(separator: "\n")
            #expect(vmids.allSatisfy { Int($0) != nil }, "VMIDs are numbers")
            let upids = await harness.run(["proxmox", "tasks", "-q"]).output.split(separator: "\n")
            #expect(upids.allSatisfy { $0.hasPrefix("UPID:") }, "\(upids)")
        }
    }

    @Test("-o wide adds the wide-only columns; -o yaml is the document; -o mermaid is a usage error")
    func wideYamlMermaid() async throws {
        try await withCommandHarness { harness in
            _ = await harness.run(["proxmox", "vm", "reboot", "angre", "--timeout", "30"])
            let checks: [(arguments: [String], wideOnly: String)] = [
                (["proxmox", "nodes"], "FINGERPRINT"), (["proxmox", "vms"], "TAGS"),
                (["proxmox", "storage"], "AVAILABLE"), (["proxmox", "tasks"], "UPID"),
            ]
            for check in checks {
                let table = await harness.run(check.arguments)
                let wide = await harness.run(check.arguments + ["-o", "wide"])
                #expect(table.status == 0 && wide.status == 0, "\(table) \(wide)")
                #expect(!table.output.contains(check.wideOnly) && wide.output.contains(check.wideOnly), "\(check.arguments)")
            }
            let yaml = await harness.run(["proxmox", "nodes", "-o", "yaml"])
            #expect(yaml.status == 0 && yaml.output.hasPrefix("- "), "\(yaml)")
            #expect(yaml.output.contains("\n  node: "), "\(yaml.output.prefix(300))")
            let mermaid = await harness.run(["proxmox", "vms", "-o", "mermaid"])
            #expect(mermaid.status == ExitStatus.usage.rawValue, "\(mermaid)")
        }
    }

    @Test("vm stop and start print their line and exit 0; the tasks list shows them; an unknown VM is a usage error")
    func actions() async throws {
        try await withCommandHarness { harness in
            let vms = await harness.run(["proxmox", "vms", "-o", "json"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(vms.output.utf8)) as? [[String: Any]])
            let carried = try #require(rows.first { $0["swarm_node"] as? String != nil }, "a VM carrying a swarm node: \(vms.output)")
            let vmid = try #require(carried["vmid"] as? Int)
            let stop = await harness.run(["proxmox", "vm", "stop", String(vmid), "--timeout", "30"])
            #expect(stop.status == 0, "\(stop)")
            #expect(stop.output.contains("VM \(vmid) on ") && stop.output.contains("now stopped"), "\(stop.output)")
            let start = await harness.run(["proxmox", "vm", "start", String(vmid), "--timeout", "30"])
            #expect(start.status == 0 && start.output.contains("now running"), "\(start)")
            let tasks = await harness.run(["proxmox", "tasks", "-o", "json"])
            let taskRows = try #require(try JSONSerialization.jsonObject(with: Data(tasks.output.utf8)) as? [[String: Any]])
            let types = Set(taskRows.filter { $0["object_id"] as? String == String(vmid) }.compactMap { $0["type"] as? String })
            #expect(types.isSuperset(of: ["qmstop", "qmstart"]), "\(types)")
            #expect(taskRows.allSatisfy { ($0["started_at"] as? String)?.hasSuffix("Z") ?? true }, "ISO 8601 times")
            let unknown = await harness.run(["proxmox", "vm", "start", "no-such-vm"])
            #expect(unknown.status == ExitStatus.usage.rawValue && unknown.error.contains("no VM 'no-such-vm'"), "\(unknown)")
        }
    }
}
