import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// The built exporter serves `homelab check` and `homelab drift` as gauges, evaluated once per `--check-interval` and
/// `--drift-interval` (300 s by default).
@Suite("homelab-exporter: homelab_check_findings and homelab_drift_services", .serialized)
struct CheckExporterBinaryTests {
    @Test("each rule's findings on the simulated homelab; a second scrape inside the interval reuses the evaluation", .enabled(if: ExporterProcess.built))
    func checkGauges() async throws {
        let exporter = try await ExporterProcess.start()
        defer { Task { await exporter.stop() } }
        let first = try await exporter.get("/metrics", headers: [("X-Prometheus-Scrape-Timeout-Seconds", "30")]).text
        for (rule, count) in [("forward-auth", 2), ("backups", 1), ("monitoring", 2), ("secrets", 1), ("placement", 1)] {
            #expect(first.contains(#"homelab_check_findings{rule="\#(rule)"} \#(count)"#), "\(rule): \(first.split(separator: "\n").filter { $0.contains("check") })")
            #expect(first.contains(#"homelab_check_unknown{rule="\#(rule)"} 0"#))
        }
        func stamp(_ text: String) -> Substring? {
            text.split(separator: "\n").first { $0.hasPrefix("homelab_check_last_evaluation_timestamp_seconds ") }
        }
        let second = try await exporter.get("/metrics").text
        #expect(stamp(first) != nil && stamp(first) == stamp(second), "the second scrape within 300 s is served from the first evaluation")

        // The simulated homelab's one drift: Grafana's variable in a commit Komodo has not deployed, plus Komodo's two
        // pending sync changes.
        let drift = first.split(separator: "\n").filter { $0.hasPrefix("homelab_drift_") }
        #expect(drift.contains("homelab_drift_up 1"), "\(drift)")
        #expect(drift.contains(#"homelab_drift_services{stack="monitoring",kind="drifted"} 1"#), "\(drift)")
        #expect(drift.filter { $0.hasPrefix("homelab_drift_services{") && !$0.hasSuffix(" 0") }.count == 1, "\(drift)")
        #expect(drift.contains("homelab_drift_pending_sync_changes 2"), "\(drift)")
    }
}
