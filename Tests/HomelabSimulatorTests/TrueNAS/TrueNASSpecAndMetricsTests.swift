import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

@Suite("Simulated TrueNAS: REST answers against the 24.04 spec; metrics and overview")
struct TrueNASSpecAndMetricsTests {
    static let spec = SimulatorHarness.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/specs/truenas-scale-24.04-rest-v2.0-openapi.json").path
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/validate_truenas_answers.py").path
    /// Keys the simulator adds on purpose (newer releases' fields the 24.04 spec does not declare).
    static let deliberatelyUnknown = ["dedup_table_size", "dedup_table_quota", "message_ids", "migrated"]

    @Test("Every REST v2.0 answer, successes and errors, fits the 24.04 OpenAPI document")
    func restAnswersFitTheSpec() async throws {
        let validator = (try? ChildProcess.runBlocking("python3", ["-c", "import jsonschema"]).status) == 0
        guard
            try RealServer.require(
                "python3 with jsonschema", available: validator, hint: "scripts/install-deps.sh test, or pip install jsonschema"),
            try RealServer.require(
                "the TrueNAS OpenAPI document in ../shared/specs", available: FileManager.default.fileExists(atPath: Self.spec),
                hint: "check out the project beside its shared/ folder")
        else { return }
        try await withTrueNAS { nas in
            await nas.release("24.04.2")
            let http = nas.http([HeaderAuthMiddleware.bearer(Secret(nas.world.apiKey))])
            var cases: [[String: Any]] = []
            func record(_ method: HTTPMethod, _ path: String, json: Any? = nil) async throws {
                var headers: HTTPHeaders = [:]
                var body: [UInt8]?
                if let json {
                    body = Array(try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed]))
                    headers.add(name: "Content-Type", value: "application/json")
                }
                let response = try await http.send(HTTPRequest(method: method, path: "/v2.0" + path, headers: headers, body: body))
                let decoded = (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])) ?? NSNull()
                cases.append(["method": method.rawValue, "path": path, "status": response.status, "body": decoded])
            }
            for path in [
                "/pool", "/pool?name=tank", "/pool/dataset", "/pool/dataset?pool=archive", "/zfs/snapshot", "/pool/snapshottask",
                "/sharing/nfs", "/alert/list", "/disk", "/system/info", "/system/version", "/smart/test/results",
            ] {
                try await record(.get, path)
            }
            try await record(.post, "/pool/dataset", json: ["name": "tank/spec", "type": "FILESYSTEM"])
            try await record(.put, "/pool/dataset/id/tank%2Fspec", json: ["quota": 2 << 30])
            try await record(.post, "/zfs/snapshot", json: ["dataset": "tank/spec", "name": "one"])
            try await record(.post, "/sharing/nfs", json: ["path": "/mnt/tank/spec", "networks": ["10.0.0.0/24"]])
            try await record(.post, "/disk/temperatures", json: ["names": [String]()])
            try await record(.post, "/pool/scrub/run", json: ["name": "tank"])
            try await Task.sleep(for: .milliseconds(300))
            try await record(.get, "/core/get_jobs")
            // Errors: 404 for what does not exist, 422 for refused values, 401 without credentials.
            try await record(.get, "/pool/dataset/id/tank%2Fnope")
            try await record(.put, "/pool/dataset/id/tank%2Fspec", json: ["quota": 10])
            let anonymous = try await nas.http().send(HTTPRequest(method: .get, path: "/v2.0/pool"))
            #expect(anonymous.status == 401)

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("truenas-answers-\(UUID().uuidString).json")
            try JSONSerialization.data(withJSONObject: cases, options: [.prettyPrinted]).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let (status, text) = try await ChildProcess.run(
                "/usr/bin/env", ["python3", Self.script, file.path, Self.spec] + Self.deliberatelyUnknown)
            #expect(status == 0, "\(text)")
            #expect(text.contains("checked \(cases.count) answers, 0 failures"), "\(text)")
            // Without removing them, the deliberately added keys are what a strict reader would refuse.
            let (strict, _) = try await ChildProcess.run("/usr/bin/env", ["python3", Self.script, file.path, Self.spec])
            #expect(strict != 0)
        }
    }

    @Test("Metrics: pool health and capacity, datasets with snapshot count and age, alerts by level, disk temperatures")
    func metrics() async throws {
        try await withTrueNAS { nas in
            let connections = nas.connections()
            let collector = HomelabCollector(source: ConnectionsMetricsSource(connections: connections))
            let result = await collector.collect(target: "truenas", deadline: .now + .seconds(60))
            #expect(result.isUp, "\(String(describing: result.failure))")
            func value(_ name: String, _ labels: [String: String]) -> Double? {
                result.families.first { $0.name == name }?.samples.first { sample in
                    labels.allSatisfy { key, value in sample.labels.contains { $0.name == key && $0.value == value } }
                }?.value
            }
            #expect(value("homelab_truenas_pool_healthy", ["pool": "tank"]) == 1)
            #expect(value("homelab_truenas_pool_healthy", ["pool": "archive"]) == 0)
            #expect(value("homelab_truenas_pool_status", ["pool": "archive", "status": "DEGRADED"]) == 1)
            #expect(value("homelab_truenas_pool_size_bytes", ["pool": "tank"]) == 7_900_000_000_000)
            let service = try #require(nas.sim.simulation.homelab.services.first { $0.isStateful })
            let dataset = "tank/apps/\(service.stack)/\(service.name)"
            #expect(value("homelab_truenas_dataset_snapshots", ["dataset": dataset]) == 3)
            let age = try #require(value("homelab_truenas_dataset_newest_snapshot_age_seconds", ["dataset": dataset]))
            #expect(age >= 3_500 && age < 3_900)
            #expect(value("homelab_truenas_dataset_quota_bytes", ["dataset": dataset]).map { Int64($0) } == 100 << 30)
            #expect(value("homelab_truenas_alerts", ["level": "CRITICAL"]) == 1)
            #expect(value("homelab_truenas_alerts", ["level": "EMERGENCY"]) == 0)
            #expect(value("homelab_truenas_disk_temperature_celsius", ["disk": "sdc"]) == 41)
            #expect(value("homelab_truenas_disk_temperature_celsius", ["disk": "sdd"]) == nil)
            let text = MetricsText.string(result.families)
            #expect(text.contains("homelab_truenas_pool_free_bytes{pool=\"tank\"}"))
            await connections.close()
        }
    }

    @Test("The overview shows pool health and active alerts")
    func overview() async throws {
        try await withTrueNAS { nas in
            let connections = nas.connections()
            let storage = try #require(await StorageOverview.collect(connections: connections, deadline: .seconds(60)))
            #expect(storage.failure == nil)
            #expect(storage.pools.map { "\($0.name) \($0.status) \($0.healthy)" } == ["archive DEGRADED false", "tank ONLINE true"])
            #expect(storage.alerts.map(\.level) == [.critical, .warning, .info])
            #expect(!storage.isHealthy)
            await connections.close()
        }
    }
}
