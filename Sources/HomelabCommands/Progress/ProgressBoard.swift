/// The live state of a long operation made of steps (a rollout, a service update): one row per running step and a
/// summary, rendered as lines that fit a terminal's width. A pure value: times are passed in, nothing is printed;
/// ``LiveProgress`` draws it. Rows look like `docker service update --detach=false`'s:
///
/// ```
/// platform_grafana     [==============>               ] 1/2 tasks  0:42  ~0:40 left
/// rollout: 3/7 done, 2 running, 1 failed · 1:12 elapsed · ~2:10 left
/// ```
public struct ProgressBoard: Sendable, Hashable {
    /// One running step.
    public struct Row: Sendable, Hashable {
        /// The step's name (a service, a node step).
        public var id: String
        /// Tasks on the new spec that run.
        public var running: Int = 0
        /// Tasks wanted.
        public var desired: Int = 0
        /// When the step started.
        public var startedAt: ContinuousClock.Instant
        /// How long the step is expected to take, when known.
        public var estimate: Duration?
        /// A word shown instead of the task count (`draining`, `rolling back`), when set.
        public var note: String?
    }

    /// What the summary line calls the operation (`rollout`, `update`).
    public var title: String
    /// When the operation started.
    public var startedAt: ContinuousClock.Instant
    /// How long the whole operation is expected to take (a plan's makespan), when known.
    public var expected: Duration?
    /// Steps in the operation, when known (the summary then says `3/7 done`).
    public var total: Int?
    /// The running steps, in the order they started.
    public private(set) var rows: [Row] = []
    /// Steps that ended well.
    public private(set) var done = 0
    /// Steps that failed.
    public private(set) var failed = 0

    /// An empty board for an operation that starts at `startedAt`.
    public init(title: String, startedAt: ContinuousClock.Instant, expected: Duration? = nil, total: Int? = nil) {
        self.title = title
        self.startedAt = startedAt
        self.expected = expected
        self.total = total
    }

    /// A step started (again: its row is kept, its note cleared).
    public mutating func start(_ id: String, estimate: Duration? = nil, at now: ContinuousClock.Instant) {
        if let i = rows.firstIndex(where: { $0.id == id }) {
            rows[i].note = nil
            return
        }
        rows.append(Row(id: id, startedAt: now, estimate: estimate))
    }

    /// The step's tasks on the new spec (the row appears if the step was not started on this board).
    public mutating func progress(_ id: String, running: Int, desired: Int, at now: ContinuousClock.Instant) {
        if !rows.contains(where: { $0.id == id }) { start(id, at: now) }
        guard let i = rows.firstIndex(where: { $0.id == id }) else { return }
        rows[i].running = running
        rows[i].desired = desired
    }

    /// Shows `note` in the step's row instead of its task count (`nil` shows the count again).
    public mutating func note(_ id: String, _ note: String?, at now: ContinuousClock.Instant) {
        if !rows.contains(where: { $0.id == id }) { start(id, at: now) }
        guard let i = rows.firstIndex(where: { $0.id == id }) else { return }
        rows[i].note = note
    }

    /// The step ended: its row goes, and it counts as done or failed.
    public mutating func end(_ id: String, succeeded: Bool) {
        rows.removeAll { $0.id == id }
        if succeeded { done += 1 } else { failed += 1 }
    }

    /// The lines to draw at `now`, each at most `width` characters: a row per running step, then the summary.
    public func lines(at now: ContinuousClock.Instant, width: Int) -> [String] {
        let width = max(width, 20)
        let nameWidth = min(max(rows.map(\.id.count).max() ?? 0, 8), max(8, width / 3))
        var lines: [String] = []
        for row in rows {
            let elapsed = row.startedAt.duration(to: now)
            var tail = "  " + Self.clock(elapsed)
            if let left = Self.left(row, elapsed: elapsed) { tail += "  ~" + Self.clock(left) + " left" }
            let middle: String
            if let note = row.note {
                middle = note
            } else {
                let count = "\(row.running)/\(row.desired) tasks"
                let barWidth = min(30, width - nameWidth - count.count - tail.count - 4)
                middle = barWidth >= 5 ? Self.bar(row.running, row.desired, width: barWidth) + " " + count : count
            }
            lines.append(Self.fit(Self.pad(Self.fit(row.id, nameWidth), nameWidth) + " " + middle + tail, width))
        }
        lines.append(Self.fit(summary(at: now), width))
        return lines
    }

    /// The summary line: steps done, running and failed, the time since the start and the estimate left.
    public func summary(at now: ContinuousClock.Instant) -> String {
        let elapsed = startedAt.duration(to: now)
        var counts = total.map { "\(done)/\($0) done" } ?? "\(done) done"
        counts += ", \(rows.count) running"
        if failed > 0 { counts += ", \(failed) failed" }
        var line = "\(title): \(counts) · \(Self.clock(elapsed)) elapsed"
        let rowsLeft = rows.compactMap { Self.left($0, elapsed: $0.startedAt.duration(to: now)) }.max()
        let planLeft = expected.map { max(.zero, $0 - elapsed) }
        if let left = [rowsLeft, planLeft].compactMap({ $0 }).max() { line += " · ~" + Self.clock(left) + " left" }
        return line
    }

    /// The time a step still needs: extrapolated from its tasks once some run on the new spec, else what its
    /// estimate leaves; `nil` when neither says.
    static func left(_ row: Row, elapsed: Duration) -> Duration? {
        if row.note == nil, row.running > 0, row.desired > row.running {
            return elapsed * Double(row.desired - row.running) / Double(row.running)
        }
        if row.note == nil, row.desired > 0, row.running >= row.desired { return .zero }
        return row.estimate.map { max(.zero, $0 - elapsed) }
    }

    /// `[=====>    ]`: the share of `desired` that runs, `width` characters in all.
    public static func bar(_ running: Int, _ desired: Int, width: Int) -> String {
        let inside = max(width - 2, 1)
        let filled = desired > 0 ? min(inside, inside * max(running, 0) / desired) : 0
        let head = filled > 0 && filled < inside ? String(repeating: "=", count: filled - 1) + ">" : String(repeating: "=", count: filled)
        return "[" + head + String(repeating: " ", count: inside - filled) + "]"
    }

    /// `m:ss`, or `h:mm:ss` from an hour on.
    public static func clock(_ duration: Duration) -> String {
        let seconds = max(0, Int(duration.components.seconds))
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }

    /// `text` cut to `width` characters, the last one an ellipsis when cut.
    static func fit(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(width - 1, 0))) + "…"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
