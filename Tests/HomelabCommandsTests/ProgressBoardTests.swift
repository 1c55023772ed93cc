import HomelabCore
import Testing

@testable import HomelabCommands

@Suite("Live progress: the board and its redrawing")
struct ProgressBoardTests {
    let t0 = ContinuousClock.now

    @Test("a running step is one line: name, bar, tasks on the new spec, elapsed, estimate left; then the summary")
    func rowAndSummary() {
        var board = ProgressBoard(title: "rollout", startedAt: t0, expected: .seconds(300), total: 4)
        board.start("platform_grafana", estimate: .seconds(60), at: t0)
        board.progress("platform_grafana", running: 1, desired: 4, at: t0 + .seconds(20))
        let lines = board.lines(at: t0 + .seconds(30), width: 100)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("platform_grafana [======>"))
        #expect(lines[0].contains("] 1/4 tasks  0:30  ~1:30 left"), "\(lines[0])")  // 30 s for 1 task: 90 s for 3 more
        #expect(lines[1] == "rollout: 0/4 done, 1 running · 0:30 elapsed · ~4:30 left")
        #expect(lines.allSatisfy { $0.count <= 100 })
    }

    @Test("before any task runs, the estimate left comes from the step's estimate; a note replaces the task count")
    func estimateAndNote() {
        var board = ProgressBoard(title: "rollout", startedAt: t0)
        board.start("barbary", estimate: .seconds(600), at: t0)
        board.note("barbary", "draining", at: t0)
        let line = board.lines(at: t0 + .seconds(65), width: 80)[0]
        #expect(line.contains("draining  1:05  ~8:55 left"), "\(line)")
        #expect(!line.contains("tasks"))
    }

    @Test("ended steps leave the board and count as done or failed")
    func ending() {
        var board = ProgressBoard(title: "update", startedAt: t0, total: 3)
        board.start("a", at: t0)
        board.start("b", at: t0)
        board.end("a", succeeded: true)
        board.end("b", succeeded: false)
        #expect(board.rows.isEmpty)
        #expect(board.lines(at: t0 + .seconds(3661), width: 80) == ["update: 1/3 done, 0 running, 1 failed · 1:01:01 elapsed"])
    }

    @Test("lines never exceed the width: long names are cut with an ellipsis and the bar shrinks or goes", arguments: [20, 40, 60, 200])
    func fitsWidth(width: Int) {
        var board = ProgressBoard(title: "rollout", startedAt: t0, expected: .seconds(100), total: 200)
        board.start(String(repeating: "very-long-service-name-", count: 5), at: t0)
        board.progress(String(repeating: "very-long-service-name-", count: 5), running: 3, desired: 7, at: t0)
        for line in board.lines(at: t0 + .seconds(5), width: width) { #expect(line.count <= max(width, 20), "\(line)") }
    }

    @Test("bars and clocks", arguments: [
        (0, 4, "[        ]"), (2, 4, "[===>    ]"), (4, 4, "[========]"), (9, 4, "[========]"), (1, 0, "[        ]"),
    ])
    func bar(running: Int, desired: Int, expected: String) {
        #expect(ProgressBoard.bar(running, desired, width: 10) == expected)
        #expect(ProgressBoard.clock(.seconds(59)) == "0:59")
        #expect(ProgressBoard.clock(.seconds(3600)) == "1:00:00")
    }

    @Test("LiveProgress logs above the live lines and redraws them in place: up by as many lines as it drew, cleared")
    func redraw() async {
        let screen = Screen()
        let terminal = ProgressTerminal(write: { text in screen.withLock { $0 += text } }, width: { 80 })
        let live = LiveProgress(terminal: terminal, board: ProgressBoard(title: "rollout", startedAt: .now, total: 2))
        await live.update { $0.start("a", at: .now) }
        await live.update { $0.start("b", at: .now) }
        await live.start(interval: .seconds(3600))
        let first = screen.withLock { $0 }
        #expect(first.hasSuffix("rollout: 0/2 done, 2 running · 0:00 elapsed\n"), "\(first)")
        screen.withLock { $0 = "" }
        await live.log("healthy  a")
        let second = screen.withLock { $0 }
        // Three lines were drawn (two rows and the summary): the cursor goes up three, clears, logs, redraws.
        #expect(second.hasPrefix("\r\u{1B}[3A\u{1B}[Jhealthy  a\n"), "\(second)")
        screen.withLock { $0 = "" }
        await live.update { $0.end("a", succeeded: true) }
        await live.stop()
        let last = screen.withLock { $0 }
        #expect(last.contains("\u{1B}[2A\u{1B}[J"), "\(last)")  // the last drawing had b and the summary
        #expect(last.hasSuffix("rollout: 1/2 done, 1 running · 0:00 elapsed\n"), "\(last)")
        await live.log("after")
        #expect(screen.withLock { $0 }.hasSuffix("elapsed\nafter\n"))
    }

    @Test("a rollout's events keep one row per running step and count the ended ones")
    func rolloutEvents() {
        var board = ProgressBoard(title: "rollout", startedAt: t0, total: 3)
        let estimates = ["a": Duration.seconds(30), "b": .seconds(30)]
        for event: RolloutProgressEvent in [
            .started(step: "a"), .started(step: "b"), .progress(step: "a", running: 1, desired: 2), .rollingBack(step: "b"),
        ] {
            RolloutProgressDisplay.apply(event, to: &board, estimates: estimates, at: t0)
        }
        #expect(board.rows.map(\.id) == ["a", "b"])
        #expect(board.rows[0].running == 1 && board.rows[0].desired == 2 && board.rows[0].estimate == .seconds(30))
        #expect(board.rows[1].note == "rolling back")
        RolloutProgressDisplay.apply(.healthy(step: "a"), to: &board, estimates: estimates, at: t0)
        RolloutProgressDisplay.apply(.rolledBack(step: "b", succeeded: true), to: &board, estimates: estimates, at: t0)
        #expect(board.rows.isEmpty && board.done == 1 && board.failed == 1)
    }

    @Test("HOMELAB_PROGRESS forces line events or live lines; otherwise a pipe gets line events")
    func terminalChoice() {
        #expect(ProgressTerminal.standardOutput(environment: ["HOMELAB_PROGRESS": "plain", "TERM": "xterm"]) == nil)
        #expect(ProgressTerminal.standardOutput(environment: ["HOMELAB_PROGRESS": "live", "TERM": "dumb"]) != nil)
    }
}

/// What a test terminal received.
final class Screen: Sendable {
    private let text = Locked("")
    func withLock<T: Sendable>(_ body: (inout String) -> T) -> T { text.withLock { body(&$0) } }
}
