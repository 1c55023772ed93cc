import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@testable import HomelabSimulator

/// The simulated Core against Komodo v2.3.2's own definitions: the request types it serves exist in Core's dispatch
/// enums (komodo-request-types-v2.3.2.json), its answers carry every field Komodo's TypeScript client declares as
/// required, and the validator's generated tables are current with the resources schema.
@Suite("Komodo simulator against Komodo's specs")
struct KomodoSpecTests {
    static let specs = SimulatorHarness.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/specs")
    static let requestTypes = specs.appendingPathComponent("komodo-request-types-v2.3.2.json").path
    static let resourcesSchema = specs.appendingPathComponent("komodo-resources.schema.json").path

    @Test("every request type the simulator serves is one Core v2.3.2 dispatches, in the same family")
    func typesExist() throws {
        guard try RealServer.require(
            "Komodo's request types in ../shared/specs", available: FileManager.default.fileExists(atPath: Self.requestTypes),
            hint: "check out the project beside its shared/ folder")
        else { return }
        let spec = try JSONDecoder().decode([String: JSONValue].self, from: Data(contentsOf: URL(fileURLWithPath: Self.requestTypes)))
        func names(_ family: String) -> Set<String> {
            guard case .object(let fields)? = spec[family], case .array(let types)? = fields["types"] else { return [] }
            return Set(types.compactMap { if case .string(let name) = $0 { return name } else { return nil } })
        }
        #expect(KomodoRequestTypes.read.subtracting(names("read")).isEmpty)
        #expect(KomodoRequestTypes.write.subtracting(names("write")).isEmpty)
        #expect(KomodoRequestTypes.execute.subtracting(names("execute")).isEmpty)
    }

    /// Required fields per answer shape, from client/core/ts/src/types.ts (v2.3.2): the non-optional members.
    static let required: [String: Set<String>] = [
        "ResourceListItem": ["id", "type", "name", "template", "tags", "info"],
        "ServerListItemInfo": [
            "state", "alerting_thresholds", "region", "send_unreachable_alerts", "send_cpu_alerts", "send_mem_alerts", "send_disk_alerts",
            "send_version_mismatch_alerts", "terminals_disabled", "container_terminals_disabled",
        ],
        "StackListItemInfo": [
            "swarm_id", "server_id", "files_on_host", "file_contents", "linked_repo", "git_provider", "repo", "branch", "repo_link", "state",
            "services", "auto_update_all_services", "project_missing", "missing_files",
        ],
        "ResourceSyncListItemInfo": [
            "last_sync_ts", "files_on_host", "file_contents", "managed", "resource_path", "linked_repo", "git_provider", "repo", "branch",
            "repo_link", "state",
        ],
        "DeploymentListItemInfo": ["state", "custom_name", "image", "update_available", "swarm_id", "server_id"],
        "Update": ["operation", "start_ts", "success", "operator", "target", "logs", "status"],
        "Log": ["stage", "command", "stdout", "stderr", "success", "start_ts", "end_ts"],
        "UpdateListItem": ["id", "operation", "start_ts", "success", "username", "operator", "target", "status"],
        "Alert": ["ts", "resolved", "level", "target", "data"],
        "Resource": ["name"],
    ]

    static func missing(_ value: JSONValue?, _ shape: String) -> [String] {
        guard case .object(let fields)? = value else { return ["\(shape): not an object"] }
        return (required[shape] ?? []).filter { fields[$0] == nil }.sorted().map { "\(shape).\($0)" }
    }

    @Test("answers carry every required field of Komodo's types")
    func requiredFields() async throws {
        try await withKomodo { komodo in
            await komodo.core.addDeployments(2)
            try await komodo.sim.simulation.world.nodes.setPower("dhow", .off)
            var problems: [String] = []
            func read(_ type: String, _ params: [String: Any] = [:]) async throws -> JSONValue {
                let (status, body) = try await komodo.raw("read", type, params)
                #expect(status == 200, "\(type) answered \(status)")
                return try JSONDecoder().decode(JSONValue.self, from: JSONSerialization.data(withJSONObject: body ?? [:], options: [.fragmentsAllowed]))
            }
            for (type, info) in [
                ("ListServers", "ServerListItemInfo"), ("ListStacks", "StackListItemInfo"), ("ListResourceSyncs", "ResourceSyncListItemInfo"),
                ("ListDeployments", "DeploymentListItemInfo"),
            ] {
                guard case .array(let items) = try await read(type, ["limit": 0]), !items.isEmpty else {
                    problems.append("\(type): no items")
                    continue
                }
                for item in items {
                    problems += Self.missing(item, "ResourceListItem")
                    if case .object(let fields) = item { problems += Self.missing(fields["info"], info) }
                }
            }
            guard case .object(let page) = try await read("ListUpdates"), case .array(let updates)? = page["updates"],
                case .object(let first)? = updates.first, case .string(let id)? = first["id"]
            else {
                Issue.record("ListUpdates has no updates")
                return
            }
            for item in updates { problems += Self.missing(item, "UpdateListItem") }
            let update = try await read("GetUpdate", ["id": id])
            problems += Self.missing(update, "Update")
            if case .object(let fields) = update, case .array(let logs)? = fields["logs"] { for log in logs { problems += Self.missing(log, "Log") } }
            if case .object(let alerts) = try await read("ListAlerts"), case .array(let items)? = alerts["alerts"] {
                #expect(!items.isEmpty)
                for item in items { problems += Self.missing(item, "Alert") }
            }
            for (type, key, name) in [("GetStack", "stack", "ingress"), ("GetServer", "server", "barbary"), ("GetResourceSync", "sync", "homelab")] {
                problems += Self.missing(try await read(type, [key: name]), "Resource")
            }
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test("the validator's tables are what scripts/generate-komodo-schema.py makes from the resources schema")
    func generatedTablesCurrent() async throws {
        guard try RealServer.require(
            "Komodo's resources schema in ../shared/specs", available: FileManager.default.fileExists(atPath: Self.resourcesSchema),
            hint: "check out the project beside its shared/ folder")
        else { return }
        let root = SimulatorHarness.repositoryRoot
        let (status, output) = try await ChildProcess.run(
            "/usr/bin/env",
            ["python3", root.appendingPathComponent("scripts/generate-komodo-schema.py").path, Self.resourcesSchema, Self.requestTypes])
        #expect(status == 0, "\(output)")
        let committed = try String(
            contentsOfFile: root.appendingPathComponent("Sources/HomelabCore/Clients/Komodo/Sync/KomodoResourceSchema+Generated.swift").path,
            encoding: .utf8)
        #expect(output == committed, "regenerate: scripts/generate-komodo-schema.py SCHEMA TYPES > Sources/.../KomodoResourceSchema+Generated.swift")
    }
}
