import Foundation

/// Metrics of an evaluation too costly for every scrape (one that crosses components: `homelab check`,
/// `homelab drift`): it runs at most once per ``interval``. A scrape within the interval gets the last report; the
/// first scrape after it starts one evaluation (concurrent scrapes share it) and waits for it until the scrape's
/// deadline, else is answered from the previous report while the evaluation finishes for the next scrape. Before the
/// first evaluation has finished there are no families rather than made-up zeros.
public actor IntervalMetrics<Report: Sendable> {
    /// Evaluates the report.
    public typealias Evaluate = @Sendable () async -> Report
    /// Renders a report as metric families; the second argument is when the evaluation finished.
    public typealias Render = @Sendable (Report, Date) -> [MetricFamily]

    /// The least time between two evaluations.
    public nonisolated let interval: Duration
    private let what: String
    private let evaluate: Evaluate
    private let render: Render
    private let now: @Sendable () -> ContinuousClock.Instant
    private var last: (at: ContinuousClock.Instant, finished: Date, report: Report)?
    private var running: Task<Report, Never>?
    /// How many evaluations were started.
    public private(set) var evaluations = 0

    /// Metrics over `evaluate`, rendered by `render`, evaluated at most once per `interval`; `what` names the
    /// evaluation in a deadline's message; `now` is the clock (tests pass their own).
    public init(
        _ what: String, interval: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        render: @escaping Render, evaluate: @escaping Evaluate
    ) {
        self.what = what
        self.interval = interval
        self.render = render
        self.evaluate = evaluate
        self.now = now
    }

    /// The families: from the last report while it is younger than ``interval``, else after a new evaluation
    /// (waited for until `deadline`). Empty before the first evaluation has finished.
    public func families(deadline: ContinuousClock.Instant) async -> [MetricFamily] {
        if let last, now() < last.at + interval { return render(last.report, last.finished) }
        let task = running ?? startEvaluation()
        let limit = max(.zero, ContinuousClock.now.duration(to: deadline))
        _ = await Deadline.run(limit, what, { await task.value })
        return last.map { render($0.report, $0.finished) } ?? []
    }

    private func startEvaluation() -> Task<Report, Never> {
        evaluations += 1
        let started = now()
        let evaluate = self.evaluate
        let task = Task {
            let report = await evaluate()
            self.store(report, started: started)
            return report
        }
        running = task
        return task
    }

    private func store(_ report: Report, started: ContinuousClock.Instant) {
        last = (started, Date(), report)
        running = nil
    }
}

/// `homelab check` as exporter metrics: `homelab_check_findings{rule}`, `homelab_check_unknown{rule}` and the time of
/// the last evaluation, evaluated at most once per interval (the check crosses every component).
public typealias CheckMetrics = IntervalMetrics<CheckReport>

extension IntervalMetrics where Report == CheckReport {
    /// `homelab check`'s metrics over `evaluate` (``HomelabCheck/run(connections:rules:timeout:logger:)`` in the
    /// exporter), evaluated at most once per `interval`.
    public init(
        interval: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }, evaluate: @escaping Evaluate
    ) {
        self.init("evaluating homelab check", interval: interval, now: now, render: Self.families, evaluate: evaluate)
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

/// `homelab drift` as exporter metrics, evaluated at most once per interval (it reads every stack file from Forgejo
/// and every live service): `homelab_drift_services{stack,kind}` (services out of sync: drifted, missing, extra),
/// `homelab_drift_in_sync_services{stack}`, `homelab_drift_pending_sync_changes` (Komodo's resource syncs),
/// `homelab_drift_up` (0 when the comparison could not be made: a component unreachable, a stack file that does not
/// load) and the time of the last evaluation.
public typealias DriftMetrics = IntervalMetrics<DriftMetricsReport>

/// One evaluation of ``DriftMetrics``: the drift, or that it could not be compared (`homelab drift` says why).
public enum DriftMetricsReport: Sendable {
    case compared(StackDrift)
    case failed
}

extension IntervalMetrics where Report == DriftMetricsReport {
    /// `homelab drift`'s metrics over `detector`, evaluated at most once per `interval`.
    public init(
        interval: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }, detector: DriftDetector
    ) {
        self.init(interval: interval, now: now) {
            (try? await detector.drift()).map(DriftMetricsReport.compared) ?? .failed
        }
    }

    /// `homelab drift`'s metrics over `evaluate`, evaluated at most once per `interval`.
    public init(
        interval: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }, evaluate: @escaping Evaluate
    ) {
        self.init("evaluating homelab drift", interval: interval, now: now, render: Self.families, evaluate: evaluate)
    }

    /// The families of one evaluation. Every stack read has its `in_sync` sample and a sample of each kind (0 when
    /// none), so that a drift's disappearance is a 0, not a vanished series.
    public static func families(_ report: DriftMetricsReport, finished: Date) -> [MetricFamily] {
        var up = MetricFamily("homelab_drift_up", help: "1 when homelab drift could compare git with the swarm, 0 when it could not.")
        let time = MetricFamily(
            "homelab_drift_last_evaluation_timestamp_seconds", help: "When homelab drift was last evaluated (Unix time).",
            samples: [.init([], finished.timeIntervalSince1970)])
        guard case .compared(let drift) = report else {
            up.add(0)
            return [up, time]
        }
        up.add(1)
        var services = MetricFamily(
            "homelab_drift_services", help: "Services out of sync with their stack file in git, per stack and kind (drifted, missing, extra).")
        var inSync = MetricFamily("homelab_drift_in_sync_services", help: "Services that run what their stack file in git says, per stack.")
        let serviceNames = Set(drift.inSync)
        for stack in drift.stacks.map(\.name).sorted() {
            for kind in StackDrift.Kind.allCases {
                let count = drift.services.filter { $0.stack == stack && $0.kind == kind }.count
                services.add(Double(count), ["stack": stack, "kind": kind.rawValue])
            }
            inSync.add(Double(serviceNames.filter { $0.hasPrefix(stack + "_") }.count), ["stack": stack])
        }
        let pending = MetricFamily(
            "homelab_drift_pending_sync_changes", help: "Changes Komodo's resource syncs would make (pending, not yet executed).",
            samples: [.init([], Double(drift.pending.count))])
        return [up, services, inSync, pending, time]
    }
}
