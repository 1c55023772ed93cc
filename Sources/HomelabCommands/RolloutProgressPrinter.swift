import HomelabCore

/// Prints a rollout's progress events as lines for people, each step's task count only when it changes
/// (`homelab rollout apply|resume` and `homelab demo`).
struct RolloutProgressPrinter {
    /// Put before every line.
    let indent: String
    /// The line for a step's tasks: `running/desired` by default, a bar in the demo.
    let progressLine: (_ step: String, _ running: Int, _ desired: Int) -> String
    /// Whether the run's end is printed.
    let printsFinish: Bool
    private var lastProgress: [String: String] = [:]

    init(
        indent: String = "", printsFinish: Bool = true,
        progressLine: @escaping (_ step: String, _ running: Int, _ desired: Int) -> String = { step, running, desired in
            "         \(step) \(running)/\(desired)"
        }
    ) {
        self.indent = indent
        self.printsFinish = printsFinish
        self.progressLine = progressLine
    }

    /// Prints every event until the stream ends.
    mutating func print(_ events: AsyncStream<RolloutProgressEvent>) async {
        for await event in events {
            for line in lines(event) { Swift.print(indent + line) }
        }
    }

    /// The lines for one event (none for a task count that did not change).
    mutating func lines(_ event: RolloutProgressEvent) -> [String] {
        switch event {
        case .progress(let step, let running, let desired):
            let line = progressLine(step, running, desired)
            defer { lastProgress[step] = line }
            return lastProgress[step] == line ? [] : [line]
        case .started(let step): return ["started  \(step)"]
        case .healthy(let step): return ["healthy  \(step)"]
        case .failed(let step, let message): return ["FAILED   \(step): \(message)"]
        case .rollingBack(let step): return ["rolling back \(step)"]
        case .rolledBack(let step, let ok): return [ok ? "rolled back \(step)" : "ROLLBACK FAILED \(step)"]
        case .blocked(let step, let by): return ["blocked  \(step) (after \(by) failed)"]
        case .paused(let because): return ["paused after \(because) failed"]
        case .overdue(let step): return ["overdue  \(step)"]
        case .engineUnreachable(let step, let message, let retrying):
            return [retrying
                ? "waiting  \(step): the engine does not answer (\(message)); retrying until the step's deadline"
                : "PAUSING  \(step): the engine did not answer within the step's deadline (\(message)); resume when it is back"]
        case .node(_, let event): return NodeCommand.lines(event)
        case .finished(let result): return printsFinish ? ["rollout \(result.runID): \(result.status.rawValue)"] : []
        }
    }
}
