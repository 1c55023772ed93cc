import Foundation
import HomelabCommands
import HomelabCore
import HomelabSimulator
import Testing

/// `homelab drift` against the simulated homelab: the JSON shape, `-q`, the table, and the exit codes (5 drifted,
/// 0 in sync, 1 when it cannot compare).
@Suite("homelab drift: JSON shape and exit codes", .serialized)
struct DriftCommandTests {
    @Test("the deliberate drift exits 5 with its field in -o json and -q; in sync exits 0; an unknown stack or a refusing Forgejo exits 1")
    func drift() async throws {
        try await withCommandHarness { harness in
            let json = await harness.run(["drift", "-o", "json"])
            #expect(json.status == ExitStatus.degraded.rawValue, "\(json)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any], "\(json)")
            #expect(document["in_sync"] as? Bool == false)
            let services = try #require(document["services"] as? [[String: Any]])
            #expect(services.count == 1 && services.first?["name"] as? String == "monitoring_grafana" && services.first?["drift"] as? String == "drifted")
            let field = try #require((services.first?["fields"] as? [[String: Any]])?.first)
            #expect(field["path"] as? String == "TaskTemplate.ContainerSpec.Env" && field["change"] as? String == "added")
            #expect(field["git"] as? String == "GF_LOG_LEVEL=warn" && field["live"] == nil)
            let pending = try #require(document["pending"] as? [[String: Any]])
            #expect(Set(pending.compactMap { $0["name"] as? String }) == ["media-core", "nightly-pull"])
            let stack = try #require((document["stacks"] as? [[String: Any]])?.first { $0["name"] as? String == "monitoring" })
            #expect(stack["ref"] as? String == "main" && stack["file"] as? String == "stacks/monitoring/compose.yaml")
            let summary = try #require(document["summary"] as? [String: Any])
            #expect(summary["drifted"] as? Int == 1 && summary["missing"] as? Int == 0 && summary["extra"] as? Int == 0 && summary["pending"] as? Int == 2)

            let quiet = await harness.run(["drift", "-q"])
            #expect(quiet.status == ExitStatus.degraded.rawValue && quiet.output == "monitoring_grafana\n", "\(quiet)")

            let table = await harness.run(["drift", "monitoring", "-o", "wide"])
            #expect(table.status == ExitStatus.degraded.rawValue, "\(table)")
            #expect(table.output.contains("monitoring_grafana: TaskTemplate.ContainerSpec.Env[+]: GF_LOG_LEVEL=warn"), "\(table)")
            #expect(table.output.contains("stacks/monitoring/compose.yaml in homelab/stacks@main"), "\(table)")
            #expect(!table.output.contains("has pending changes") && table.output.contains("0 pending sync changes"), "a stack filter leaves other resources' pending changes out: \(table)")

            _ = try await harness.swarm().services.modify("monitoring_grafana") { spec in
                let env = spec.taskTemplate?.containerSpec?.env ?? []
                spec.taskTemplate?.containerSpec?.env = env + ["GF_LOG_LEVEL=warn"]
            }
            let synced = await harness.run(["drift", "--stack", "monitoring"])
            #expect(synced.status == ExitStatus.success.rawValue && synced.output.contains("drift: in sync"), "\(synced)")
            let syncedJSON = await harness.run(["drift", "monitoring", "-o", "json"])
            let syncedDocument = try JSONSerialization.jsonObject(with: Data(syncedJSON.output.utf8)) as? [String: Any]
            #expect(syncedJSON.status == ExitStatus.success.rawValue && syncedDocument?["in_sync"] as? Bool == true, "\(syncedJSON)")
            #expect((syncedDocument?["services"] as? [Any])?.isEmpty == true)

            let unknown = await harness.run(["drift", "no-such-stack"])
            #expect(unknown.status == ExitStatus.error.rawValue && unknown.error.contains("no-such-stack"), "\(unknown)")

            harness.simulation.faults.set(FaultPlan(rejectCredentials: true), for: .forgejo)
            let refused = await harness.run(["drift", "monitoring"])
            #expect(refused.status == ExitStatus.error.rawValue && refused.output.isEmpty, "\(refused)")
        }
    }

    @Test("the stack arguments complete with the homelab's live stacks")
    func completion() async throws {
        try await withCommandHarness { harness in
            let connections = HomelabConnections(
                homelab: harness.simulation.homelab, transport: try CurlTransport(), secrets: CompositeSecretResolver(environment: [:]),
                sshLogin: nil)
            let names = await LiveNames.stackNames(connections)
            await connections.close()
            #expect(names == harness.simulation.homelab.stacks.map(\.name).sorted(), "\(names)")
            #expect(names.contains("monitoring") && names.contains("media-core"))
        }
    }
}
