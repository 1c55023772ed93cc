import Foundation
import HomelabCommands
import HomelabCore
import Testing

/// Every command that shows data, against the simulated example homelab: its table (not fitted: widths vary with
/// relative times; fitting has its own tests) and its JSON match the golden
/// files (`Golden/`, times, IDs, paths and ports normalized), and no output carries the canary secret.
@Suite("homelab commands: golden outputs against the simulator", .serialized)
struct CommandGoldenTests {
    /// Read-only commands, each run as a table (120 columns) and as JSON.
    static let readOnly: [(name: String, arguments: [String])] = [
        ("status", ["status", "--deadline", "60"]),  // the golden is the answer, not a race with a loaded machine
        ("node-ls", ["node", "ls"]),
        ("inventory-show", ["inventory", "show"]),
        ("swarm-services", ["swarm", "services"]),
        ("swarm-ps", ["swarm", "ps", "caddy"]),
        ("swarm-inspect", ["swarm", "inspect", "ingress/caddy"]),
        ("swarm-secrets", ["swarm", "secrets"]),
        ("swarm-configs", ["swarm", "configs"]),
        ("swarm-networks", ["swarm", "networks"]),
        ("swarm-logs", ["swarm", "logs", "caddy", "--tail", "3"]),
        ("rollout-plan", ["rollout", "plan", "--image", "caddy=2.10-alpine", "--image", "grafana=12.1.1", "--budget", "2"]),
        ("context-show", ["context", "show"]),
        ("rollout-list", ["rollout", "list"]),
        ("proxmox-nodes", ["proxmox", "nodes"]),
        ("proxmox-vms", ["proxmox", "vms"]),
        ("proxmox-storage", ["proxmox", "storage"]),
        ("proxmox-tasks", ["proxmox", "tasks"]),
    ]

    @Test("table and JSON of every read-only command")
    func readOnlyCommands() async throws {
        try await withCommandHarness { harness in
            for command in Self.readOnly {
                let table = await harness.run(command.arguments)
                #expect(table.status == 0, "\(command.arguments): \(table)")
                try Golden.check(table.output, "\(command.name).txt")
                let json = await harness.run(command.arguments + ["-o", "json"])
                #expect(json.status == 0, "\(command.arguments) -o json: \(json)")
                try Golden.check(json.output, "\(command.name).json")
                if command.name != "swarm-logs" {
                    #expect(
                        (try? JSONSerialization.jsonObject(with: Data(json.output.utf8))) != nil,
                        "\(command.arguments) -o json is not one JSON document: \(json.output.prefix(300))")
                }
                for result in [table, json] {
                    #expect(!(result.output + result.error).contains(CommandHarness.canary), "\(command.arguments) printed the canary")
                }
            }
        }
    }

    @Test("-o yaml is the JSON document in YAML, and -q prints identifiers only")
    func yamlAndQuiet() async throws {
        try await withCommandHarness { harness in
            let yaml = await harness.run(["swarm", "services", "-o", "yaml"])
            #expect(yaml.status == 0, "\(yaml)")
            #expect(yaml.output.hasPrefix("- created_at: '"), "sorted keys, quoted times: \(yaml.output.prefix(200))")
            #expect(yaml.output.contains("\n  name: ingress_caddy\n"))
            let quiet = await harness.run(["swarm", "services", "-q"])
            let names = quiet.output.split(separator: "\n").map(String.init)
            #expect(names.contains("ingress_caddy") && names.allSatisfy { !$0.contains(" ") }, "\(quiet)")
            let json = await harness.run(["swarm", "services", "-o", "json"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
            #expect(rows.compactMap { $0["name"] as? String } == names)
        }
    }

    @Test("-o wide adds columns; a narrow terminal cuts the widest column with an ellipsis")
    func wideAndNarrow() async throws {
        try await withCommandHarness { harness in
            let normal = await harness.run(["swarm", "services"], width: 200)
            let wide = await harness.run(["swarm", "services", "-o", "wide"], width: 60)
            #expect(!normal.output.contains("PORTS") && wide.output.contains("PORTS") && wide.output.contains("ID"))
            for command in [["swarm", "services"], ["status"], ["node", "ls"], ["swarm", "ps", "caddy"]] {
                let narrow = await harness.run(command, width: 60)
                let lines = narrow.output.split(separator: "\n")
                #expect(lines.allSatisfy { $0.count <= 60 }, "\(command): \(narrow.output)")
                #expect(narrow.output.contains("…"), "\(command)")
            }
        }
    }

    @Test("colour only on a terminal, never with NO_COLOR or TERM=dumb")
    func colour() async throws {
        try await withCommandHarness { harness in
            let escape = "\u{1B}["
            let terminal = await harness.run(["swarm", "services"], interactive: true, width: 200)
            #expect(terminal.output.contains(escape), "a terminal gets colour")
            let piped = await harness.run(["swarm", "services"], interactive: false)
            #expect(!piped.output.contains(escape))
            let noColour = await harness.run(["swarm", "services"], interactive: true, environment: ["NO_COLOR": "1"])
            #expect(!noColour.output.contains(escape))
            let dumb = await harness.run(["status"], interactive: true, environment: ["TERM": "dumb"])
            #expect(!dumb.output.contains(escape))
            let status = await harness.run(["status"], interactive: true, environment: ["NO_COLOR": "yes"])
            #expect(!status.output.contains(escape))
        }
    }

    @Test("rollout list and show after a run: relative times in tables, ISO 8601 in JSON")
    func rolloutJournal() async throws {
        try await withCommandHarness { harness in
            let apply = await harness.run(["rollout", "apply", "--image", "caddy=2.10-alpine", "--id", "golden-run"])
            #expect(apply.status == 0, "\(apply)")
            let list = await harness.run(["rollout", "list"], width: 120)
            #expect(list.output.contains("golden-run") && (list.output.contains("ago") || list.output.contains("just now")), "\(list)")
            #expect(list.output.range(of: #"\d+/\d+/\d+"#, options: .regularExpression) == nil, "no locale dates")
            let json = await harness.run(["rollout", "show", "golden-run", "-o", "json"])
            try Golden.check(json.output, "rollout-show.json")
            #expect(json.output.range(of: #""created_at" : "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ""#, options: .regularExpression) != nil, "\(json)")
            let table = await harness.run(["rollout", "show", "golden-run"])
            try Golden.check(table.output, "rollout-show.txt")
        }
    }
}
