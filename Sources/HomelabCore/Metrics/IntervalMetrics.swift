import Foundation

/// `homelab check` as exporter metrics: `homelab_check_findings{rule}`, `homelab_check_unknown{rule}` and the time of
/// the last evaluation. The check crosses every component, so it runs at most once per ``interval``, never on every
/// scrape: a scrape within the interval gets the last report; the first scrape after it starts one evaluation
/// (concurrent scrapes share it) and waits for it until the scrape's deadline, else is answered from the previous
/// report while the evaluation finishes for the next scrape.
public actor CheckMetrics {
    /// Evaluates the check (``HomelabCheck/run(connections:rules:timeout:logger:)`` in the exporter).
    public typealias Evaluate = @Sendable () async -> CheckReport

    /// The least time between two evaluations.
    public nonisolated let interval: Duration
    private let evaluate: Evaluate
    private let now: @Sendable () -> ContinuousClock.Instant
    private var last: (at: ContinuousClock.Instant, finished: Date, report: CheckReport)?
    private var running: Task<CheckReport, Never>?
    /// How many evaluations were started.
    public private(set) var evaluations = 0

    /// Metrics over `evaluate`, evaluated at most once per `interval`; `now` is the clock (tests pass their own).
    public init(
        interval: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }, evaluate: @escaping Evaluate
    ) {
        self.interval = interval
        self.evaluate = evaluate
        self.now = now
    }

    /// The check's families: from the last report while it is younger than ``interval``, else after a new
    /// evaluation (waited for until `deadline`). Empty before the first evaluation has finished.
    public func families(deadline: ContinuousClock.Instant) async -> [MetricFamily] {
        if let last, now() < last.at + interval { return Self.families(last.report, finished: last.finished) }
        let task = running ?? startEvaluation()
        let limit = max(.zero, ContinuousClock.now.duration(to: deadline))
        _ = await Deadline.run(limit, "evaluating homelab check", { await task.value })
        return last.map { Self.families($0.report, finished: $0.finished) } ?? []
    }

    private func startEvaluation() -> Task<CheckReport, Never> {
        evaluations += 1
        let started = now()
        let evaluate = self.evaluate
        let task = Task {
            let report = await evaluate()
            await self.store(report, started: started)
            return report
        }
        running = task
        return task
    }

    private func store(_ report: CheckReport, started: ContinuousClock.Instant) {
        last = (started, Date(), report)
        running = nil
    }

    /// The families of one report.
    public static func families(_ report: CheckReport, finished: Date) -> [MetricFamily] {
        var findings = MetricFamily(
            "homelab_check_findings", help: "Findings of homelab check, per rule (absent for a rule that could not be checked and found nothing).")
        for (rule, count) in report.findingCounts.sorted(by: { $0.key < $1.key }) { findings.add(Double(count), ["rule": rule.rawValue]) }
        var unknown = MetricFamily("homelab_check_unknown", help: "1 when a homelab check rule could not be (wholly) checked: a component it reads did not answer.")
        for result in report.results { unknown.add(result.unknown == nil ? 0 : 1, ["rule": result.rule.rawValue]) }
        let time = MetricFamily(
            "homelab_check_last_evaluation_timestamp_seconds", help: "When homelab check was last evaluated (Unix time).",
            samples: [.init([], finished.timeIntervalSince1970)])
        return [findings, unknown, time]
    }
}
