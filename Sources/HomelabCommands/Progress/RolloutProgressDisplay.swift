import HomelabCore

/// Shows a rollout's progress events: on a terminal, a ``LiveProgress`` (one redrawn line per running step and a
/// summary line, with the lasting events logged above it); otherwise the line events of ``RolloutProgressPrinter``.
/// Messages from the command (an interrupt) go through ``say(_:)`` so that they never break the live lines.
struct RolloutProgressDisplay: Sendable {
    private let live: LiveProgress?
    private let estimates: [String: Duration]

    /// A display for a run of `request` (its steps' estimates and the plan's makespan feed the estimates left),
    /// live on `terminal` when there is one.
    init(terminal: ProgressTerminal?, request: RolloutRequest?) {
        var estimates: [String: Duration] = [:]
        var expected: Duration?
        var total: Int?
        if let request, let graph = try? request.graph() {
            for step in graph.steps { estimates[step.id] = step.estimate }
            total = graph.steps.count
            if terminal != nil, let limits = try? request.limits() { expected = RolloutScheduler().plan(graph, limits: limits).makespan }
        }
        self.estimates = estimates
        live = terminal.map {
            LiveProgress(terminal: $0, board: ProgressBoard(title: "rollout", startedAt: .now, expected: expected, total: total))
        }
    }

    /// Shows every event until the stream ends, then leaves the summary line (on a terminal).
    func show(_ events: AsyncStream<RolloutProgressEvent>) async {
        guard let live else {
            var printer = RolloutProgressPrinter()
            await printer.print(events)
            return
        }
        await live.start()
        var printer = RolloutProgressPrinter()
        for await event in events {
            let estimate = estimates
            await live.update { board in Self.apply(event, to: &board, estimates: estimate, at: .now) }
            if case .progress = event { continue }
            if case .started = event { continue }
            for line in printer.lines(event) { await live.log(line) }
        }
        await live.stop()
    }

    /// Prints a message from the command: above the live lines, or on standard error without them.
    func say(_ line: String) async {
        if let live { await live.log(line) } else { StandardError.print(line) }
    }

    /// What `event` changes on the board: a row per running step (or rollback), ended by its outcome.
    static func apply(
        _ event: RolloutProgressEvent, to board: inout ProgressBoard, estimates: [String: Duration], at now: ContinuousClock.Instant
    ) {
        switch event {
        case .started(let step): board.start(step, estimate: estimates[step], at: now)
        case .progress(let step, let running, let desired): board.progress(step, running: running, desired: desired, at: now)
        case .healthy(let step): board.end(step, succeeded: true)
        case .failed(let step, _): board.end(step, succeeded: false)
        case .rollingBack(let step): board.note(step, "rolling back", at: now)
        case .rolledBack(let step, _): board.end(step, succeeded: false)
        case .node(let step, let event):
            switch event {
            case .draining: board.note(step, "draining", at: now)
            case .drained, .batchStarted: board.note(step, "running the command", at: now)
            case .commandFinished, .nodeDown: board.note(step, "waiting for Ready", at: now)
            case .nodeReady: board.note(step, "activating", at: now)
            case .activated, .failed, .notStarted: break
            }
        case .engineUnreachable(let step, _, let retrying): board.note(step, retrying ? "engine not answering, retrying" : "engine gone, pausing", at: now)
        case .blocked, .paused, .overdue, .finished: break
        }
    }
}
