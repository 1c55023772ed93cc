import Foundation

/// The rollout journal as metric families: the last run's status, duration and steps by status, and per service
/// the time of its last successful update.
public enum RolloutMetrics {
    /// What the families are made from, read from the journal in one go.
    public struct Snapshot: Sendable, Hashable {
        /// The most recent run, if any.
        public var lastRun: RolloutJournal.Run?
        /// The last run's steps.
        public var steps: [RolloutJournal.Step]
        /// Per service step, when it last succeeded.
        public var lastSuccess: [String: Date]

        /// A snapshot of these values.
        public init(lastRun: RolloutJournal.Run?, steps: [RolloutJournal.Step], lastSuccess: [String: Date]) {
            self.lastRun = lastRun
            self.steps = steps
            self.lastSuccess = lastSuccess
        }
    }

    /// Reads the snapshot from `journal`.
    /// - Throws: ``HomelabError/Code/storeFailure`` when the store cannot be read.
    public static func snapshot(of journal: RolloutJournal) async throws -> Snapshot {
        let last = try await journal.runs(limit: 1).first
        var steps: [RolloutJournal.Step] = []
        if let last { steps = try await journal.steps(runID: last.id) }
        return Snapshot(lastRun: last, steps: steps, lastSuccess: try await journal.lastSuccessfulSteps())
    }

    /// The families for `snapshot`; the run families are empty when no rollout ever ran.
    public static func families(_ snapshot: Snapshot) -> [MetricFamily] {
        var status = MetricFamily(
            "homelab_rollout_last_run_status", help: "Status of the most recent rollout run (one-hot).")
        var duration = MetricFamily(
            "homelab_rollout_last_run_duration_seconds", help: "Time from the most recent run's creation to its last change.")
        var started = MetricFamily(
            "homelab_rollout_last_run_start_timestamp_seconds", help: "When the most recent rollout run was created (Unix time).")
        var steps = MetricFamily("homelab_rollout_last_run_steps", help: "Steps of the most recent rollout run by status.")
        var success = MetricFamily(
            "homelab_rollout_service_last_success_timestamp_seconds",
            help: "When each service's rollout step last succeeded (Unix time).")
        if let run = snapshot.lastRun {
            for value in RolloutJournal.RunStatus.allCases {
                status.add(value == run.status ? 1 : 0, ["status": value.rawValue])
            }
            duration.add(max(0, run.updatedAt.timeIntervalSince(run.createdAt)))
            started.add(run.createdAt.timeIntervalSince1970)
            var counts: [RolloutJournal.StepStatus: Int] = [:]
            for step in snapshot.steps { counts[step.status, default: 0] += 1 }
            for value in RolloutJournal.StepStatus.allCases {
                steps.add(Double(counts[value] ?? 0), ["status": value.rawValue])
            }
        }
        for (service, date) in snapshot.lastSuccess.sorted(by: { $0.key < $1.key }) {
            success.add(date.timeIntervalSince1970, ["service": service])
        }
        return [status, duration, started, steps, success]
    }
}
