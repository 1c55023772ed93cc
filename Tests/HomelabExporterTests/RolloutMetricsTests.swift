import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@Suite("Rollout metrics from the journal")
struct RolloutMetricsTests {
    @Test("the last run's status, duration and steps, and each service's last success")
    func fromJournal() async throws {
        let folder = try TemporaryFolder()
        let journal = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try await journal.create(
            runID: "r1", request: Data("{}".utf8),
            steps: [.init(stepID: "media_sonarr", position: 0, payload: Data("{}".utf8)), .init(stepID: "node:lorcha", position: 1, payload: Data("{}".utf8))],
            now: start)
        try await journal.transition(runID: "r1", stepID: "media_sonarr", to: .running, now: start)
        try await journal.transition(runID: "r1", stepID: "media_sonarr", to: .succeeded, now: start + 30)
        try await journal.transition(runID: "r1", stepID: "node:lorcha", to: .running, now: start + 31)
        try await journal.transition(runID: "r1", stepID: "node:lorcha", to: .succeeded, now: start + 40)
        try await journal.setStatus(runID: "r1", .completed, now: start + 42)
        let families = RolloutMetrics.families(try await RolloutMetrics.snapshot(of: journal))
        #expect(families.value("homelab_rollout_last_run_status", ["status": "completed"]) == 1)
        #expect(families.value("homelab_rollout_last_run_status", ["status": "failed"]) == 0)
        #expect(families.value("homelab_rollout_last_run_duration_seconds", [:]) == 42)
        #expect(families.value("homelab_rollout_last_run_steps", ["status": "succeeded"]) == 2)
        #expect(families.value("homelab_rollout_last_run_steps", ["status": "failed"]) == 0)
        #expect(families.value("homelab_rollout_service_last_success_timestamp_seconds", ["service": "media_sonarr"]) == 1_800_000_030)
        #expect(families.value("homelab_rollout_service_last_success_timestamp_seconds", ["service": "node:lorcha"]) == nil)
    }

    @Test("no run yet: the families are there, without samples")
    func empty() async throws {
        let folder = try TemporaryFolder()
        let journal = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
        let families = RolloutMetrics.families(try await RolloutMetrics.snapshot(of: journal))
        #expect(families.allSatisfy { $0.samples.isEmpty })
    }
}
