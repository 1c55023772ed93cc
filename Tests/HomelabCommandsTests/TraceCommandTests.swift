import Foundation
import HomelabCommands
import HomelabCore
import HomelabSimulator
import Testing

/// `homelab trace SERVICE` against the simulated homelab: the JSON shape and the exit codes.
@Suite("homelab trace: JSON shape and exit codes", .serialized)
struct TraceCommandTests {
    @Test("a deployed service exits 0 with every link in -o json; a pending deploy exits 5; an unknown service exits 1")
    func trace() async throws {
        try await withCommandHarness { harness in
            let deployed = await harness.run(["trace", "plex", "-o", "json"])
            #expect(deployed.status == ExitStatus.success.rawValue, "\(deployed)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(deployed.output.utf8)) as? [String: Any], "\(deployed)")
            #expect(document["verdict"] as? String == "deployed" && document["service"] as? String == "media-core_plex")
            for link in ["commit", "pipeline", "deploy", "running"] {
                #expect((document[link] as? [String: Any])?["state"] as? String == "ok", "\(link): \(deployed.output)")
            }
            #expect(((document["commit"] as? [String: Any])?["sha"] as? String)?.count == 40)
            #expect((document["running"] as? [String: Any])?["image"] as? String == "plexinc/pms-docker:latest")

            let pending = await harness.run(["trace", "monitoring_prometheus"])
            #expect(pending.status == ExitStatus.degraded.rawValue, "\(pending)")
            #expect(pending.output.contains("verdict: pending deploy") && pending.output.contains("has not deployed"), "\(pending)")

            let quiet = await harness.run(["trace", "kometa", "-q"])
            #expect(quiet.status == ExitStatus.degraded.rawValue && quiet.output == "deploy_failed\n", "\(quiet)")

            let unknown = await harness.run(["trace", "no-such-service"])
            #expect(unknown.status == ExitStatus.error.rawValue && unknown.error.contains("no-such-service"), "\(unknown)")
        }
    }
}
