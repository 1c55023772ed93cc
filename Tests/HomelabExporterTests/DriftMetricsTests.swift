import Foundation
import HomelabCore
import Testing

/// `homelab_drift_*`: `homelab drift` as gauges, one evaluation per interval (the interval itself is the same
/// ``IntervalMetrics`` as the check's, tested in ``CheckMetricsTests``).
@Suite("homelab drift in the exporter: the gauges")
struct DriftMetricsTests {
    static let drift = StackDrift(
        stacks: [
            .init(name: "monitoring", repository: "homelab/stacks", ref: "main", file: "stacks/monitoring/compose.yaml", services: 3),
            .init(name: "media", repository: "homelab/stacks", ref: "main", file: "stacks/media/compose.yaml", services: 2),
        ],
        services: [
            .init(name: "monitoring_grafana", stack: "monitoring", kind: .drifted),
            .init(name: "media_sonarr", stack: "media", kind: .missing),
        ],
        inSync: ["monitoring_loki", "monitoring_prometheus", "media_radarr"],
        pending: [.init(sync: "homelab", action: "update", kind: "Stack", name: "media")])

    @Test("every stack read has a sample of each kind, 0 when none, so a fixed drift is a 0, not a vanished series")
    func compared() {
        let families = DriftMetrics.families(.compared(Self.drift), finished: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(families.value("homelab_drift_up", [:]) == 1)
        #expect(families.value("homelab_drift_services", ["stack": "monitoring", "kind": "drifted"]) == 1)
        #expect(families.value("homelab_drift_services", ["stack": "monitoring", "kind": "missing"]) == 0)
        #expect(families.value("homelab_drift_services", ["stack": "media", "kind": "missing"]) == 1)
        #expect(families.value("homelab_drift_services", ["stack": "media", "kind": "extra"]) == 0)
        #expect(families.first { $0.name == "homelab_drift_services" }?.samples.count == 6)
        #expect(families.value("homelab_drift_in_sync_services", ["stack": "monitoring"]) == 2)
        #expect(families.value("homelab_drift_in_sync_services", ["stack": "media"]) == 1)
        #expect(families.value("homelab_drift_pending_sync_changes", [:]) == 1)
        #expect(families.value("homelab_drift_last_evaluation_timestamp_seconds", [:]) == 1_700_000_000)
    }

    @Test("a comparison that could not be made is homelab_drift_up 0 and no drift series, not zeros that read as in sync")
    func failed() {
        let families = DriftMetrics.families(.failed, finished: Date())
        #expect(families.value("homelab_drift_up", [:]) == 0)
        #expect(!families.contains { $0.name == "homelab_drift_services" || $0.name == "homelab_drift_pending_sync_changes" })
    }

    @Test("evaluated once per interval: a second scrape inside it is served from the first evaluation")
    func once() async {
        let metrics = DriftMetrics(interval: .seconds(300)) { .compared(Self.drift) }
        let deadline = ContinuousClock.now + .seconds(10)
        let first = await metrics.families(deadline: deadline)
        let second = await metrics.families(deadline: deadline)
        #expect(first.value("homelab_drift_up", [:]) == 1 && second.value("homelab_drift_up", [:]) == 1)
        #expect(await metrics.evaluations == 1)
    }
}
