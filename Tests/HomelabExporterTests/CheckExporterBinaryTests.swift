import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// The built exporter serves `homelab check` as gauges, evaluated once per `--check-interval` (300 s by default).
@Suite("homelab-exporter: homelab_check_findings", .serialized)
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
    }
}
