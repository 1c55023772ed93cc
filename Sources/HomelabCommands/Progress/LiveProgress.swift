/// Draws a ``ProgressBoard`` on a terminal and keeps it current: one line per running step and a summary line at the
/// bottom, redrawn in place on every change and once a second (the times move); lines logged with ``log(_:)`` go
/// above it and stay. Used by `homelab rollout apply|resume`; any long operation can drive one:
///
/// ```swift
/// let live = LiveProgress(terminal: terminal, board: ProgressBoard(title: "update", startedAt: .now, total: 1))
/// await live.start()
/// await live.update { $0.start(service, at: .now) }
/// ... await live.update { $0.progress(service, running: r, desired: d, at: .now) }   // from a convergence callback
/// await live.update { $0.end(service, succeeded: true) }
/// await live.stop()                                                                   // leaves the summary line
/// ```
public actor LiveProgress {
    private let terminal: ProgressTerminal
    private var board: ProgressBoard
    /// Lines of the live area now on screen (the cursor is at the start of the line below them).
    private var drawn = 0
    private var ticker: Task<Void, Never>?
    private var started = false
    private var stopped = false
    private var isLive: Bool { started && !stopped }

    /// A display of `board` on `terminal`; nothing is drawn before ``start()``.
    public init(terminal: ProgressTerminal, board: ProgressBoard) {
        self.terminal = terminal
        self.board = board
    }

    /// Draws the board and redraws it every `interval` until ``stop()``.
    public func start(interval: Duration = .seconds(1)) {
        guard !started, !stopped else { return }
        started = true
        draw(logging: [])
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await self?.redraw()
            }
        }
    }

    /// Changes the board and redraws it.
    public func update(_ change: @Sendable (inout ProgressBoard) -> Void) {
        change(&board)
        if isLive { draw(logging: []) }
    }

    /// Prints `line` above the live area (or as it is, before ``start()`` and after ``stop()``), where it stays.
    public func log(_ line: String) {
        if isLive { draw(logging: [line]) } else { terminal.write(line + "\n") }
    }

    /// Redraws the board (the times moved).
    public func redraw() {
        if isLive { draw(logging: []) }
    }

    /// Stops redrawing: the running rows are cleared and the summary line is left as the last line.
    public func stop() {
        guard isLive else {
            stopped = true
            return
        }
        ticker?.cancel()
        ticker = nil
        let summary = ProgressBoard.fit(board.summary(at: .now), terminal.width())
        terminal.write(erase() + summary + "\n")
        drawn = 0
        stopped = true
    }

    /// The board as it stands.
    public var current: ProgressBoard { board }

    private func draw(logging lines: [String]) {
        let width = terminal.width()
        let area = board.lines(at: .now, width: width - 1)
        var text = erase()
        for line in lines { text += line + "\n" }
        for line in area { text += line + "\n" }
        terminal.write(text)
        drawn = area.count
    }

    /// Moves the cursor to the first line of the live area and clears from there to the end of the screen.
    private func erase() -> String {
        drawn > 0 ? "\r\u{1B}[\(drawn)A\u{1B}[J" : "\r\u{1B}[J"
    }
}
