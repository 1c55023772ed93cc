import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Rollout journal")
struct RolloutJournalTests {
    func journal(_ folder: TemporaryFolder) throws -> RolloutJournal {
        try StateStore(path: folder.file("state.sqlite")).rolloutJournal
    }

    func steps(_ names: [String]) -> [RolloutJournal.Step] {
        names.enumerated().map { RolloutJournal.Step(stepID: $1, position: $0, payload: Data(#"{"service":"\#($1)"}"#.utf8)) }
    }

    @Test("a new run has its steps pending in planned order and a first transition")
    func create() async throws {
        let folder = try TemporaryFolder()
        let j = try journal(folder)
        try await j.create(runID: "r1", request: Data(#"{"images":["web=busybox:2"]}"#.utf8), steps: steps(["db", "api", "web"]))
        let run = try #require(try await j.run("r1"))
        #expect(run.status == .planned)
        #expect(String(decoding: run.request, as: UTF8.self) == #"{"images":["web=busybox:2"]}"#)
        let stored = try await j.steps(runID: "r1")
        #expect(stored.map(\.stepID) == ["db", "api", "web"])
        #expect(stored.allSatisfy { $0.status == .pending && $0.startedAt == nil })
        #expect(try await j.transitions(runID: "r1").map(\.to) == ["planned"])
    }

    @Test("a duplicate run ID is refused")
    func duplicate() async throws {
        let folder = try TemporaryFolder()
        let j = try journal(folder)
        try await j.create(runID: "r1", request: Data("{}".utf8), steps: [])
        let error = await #expect(throws: HomelabError.self) { try await j.create(runID: "r1", request: Data("{}".utf8), steps: []) }
        #expect(error?.code == .conflict)
    }

    @Test("each step transition is logged in order with from and to, and sets the times")
    func transitions() async throws {
        let folder = try TemporaryFolder()
        let j = try journal(folder)
        try await j.create(runID: "r1", request: Data("{}".utf8), steps: steps(["db", "web"]))
        let t0 = Date(timeIntervalSince1970: 1_000)
        try await j.setStatus(runID: "r1", .running, now: t0)
        try await j.transition(runID: "r1", stepID: "db", to: .running, payload: Data(#"{"previous":1}"#.utf8), now: t0)
        try await j.transition(runID: "r1", stepID: "db", to: .succeeded, now: t0.addingTimeInterval(5))
        try await j.transition(runID: "r1", stepID: "web", to: .running, now: t0.addingTimeInterval(5))
        try await j.transition(runID: "r1", stepID: "web", to: .failed, detail: "task exited 1", now: t0.addingTimeInterval(9))
        let log = try await j.transitions(runID: "r1")
        #expect(log.map { "\($0.stepID ?? "-"):\($0.from ?? "-")>\($0.to)" } == [
            "-:->planned", "-:planned>running", "db:pending>running", "db:running>succeeded", "web:pending>running",
            "web:running>failed",
        ])
        let db = try #require(try await j.steps(runID: "r1").first)
        #expect(db.startedAt == t0 && db.finishedAt == t0.addingTimeInterval(5))
        #expect(String(decoding: db.payload, as: UTF8.self) == #"{"previous":1}"#)
        #expect(try await j.steps(runID: "r1").last?.detail == "task exited 1")
    }

    @Test("a transition of an unknown step or run is an error, not a silent no-op")
    func unknownStep() async throws {
        let folder = try TemporaryFolder()
        let j = try journal(folder)
        try await j.create(runID: "r1", request: Data("{}".utf8), steps: steps(["db"]))
        let e1 = await #expect(throws: HomelabError.self) { try await j.transition(runID: "r1", stepID: "nope", to: .running) }
        #expect(e1?.code == .notFound)
        #expect(e1?.description.contains("no step nope") == true)
        let e2 = await #expect(throws: HomelabError.self) { try await j.setStatus(runID: "r9", .running) }
        #expect(e2?.description.contains("no rollout with ID r9") == true)
    }

    @Test("a live owner blocks a second claim; a dead owner's run can be taken over")
    func claims() async throws {
        let folder = try TemporaryFolder()
        let j = try journal(folder)
        try await j.create(runID: "r1", request: Data("{}".utf8), steps: [])
        try await j.claim(runID: "r1", owner: "host:100") { _ in true }
        let error = await #expect(throws: HomelabError.self) {
            try await j.claim(runID: "r1", owner: "host:200") { $0 == "host:100" }
        }
        #expect(error?.code == .conflict)
        try await j.claim(runID: "r1", owner: "host:200") { _ in false }  // host:100 died (kill -9)
        #expect(try await j.run("r1")?.owner == "host:200")
        try await j.release(runID: "r1", owner: "host:200")
        #expect(try await j.run("r1")?.owner == nil)
    }

    @Test("runs are listed newest first, and survive reopening the store")
    func listingAndDurability() async throws {
        let folder = try TemporaryFolder()
        do {
            let j = try journal(folder)
            try await j.create(runID: "old", request: Data("{}".utf8), steps: [], now: Date(timeIntervalSince1970: 10))
            try await j.create(runID: "new", request: Data("{}".utf8), steps: [], now: Date(timeIntervalSince1970: 20))
            try await j.setStatus(runID: "old", .completed)
        }
        let reopened = try journal(folder)
        let runs = try await reopened.runs()
        #expect(runs.map(\.id) == ["new", "old"])
        #expect(runs.last?.status == .completed)
        #expect(RolloutJournal.RunStatus.completed.isFinal && !RolloutJournal.RunStatus.paused.isFinal)
    }

    @Test("details are redacted before they are stored")
    func redaction() async throws {
        let folder = try TemporaryFolder()
        let j = try journal(folder)
        let secret = Secret("journal-canary-5521")
        try await j.create(runID: "r1", request: Data("{}".utf8), steps: steps(["db"]))
        try await j.transition(runID: "r1", stepID: "db", to: .failed, detail: "auth failed for \(secret.reveal())")
        let stored = try await j.steps(runID: "r1").first?.detail ?? ""
        #expect(!stored.contains(secret.reveal()))
        #expect(stored.contains("<redacted>"))
    }
}

@Suite("Rollout journal: duration history")
struct RolloutDurationHistoryTests {
    @Test("estimates are the median of each service's last succeeded steps; failed steps and other services are ignored")
    func median() async throws {
        let folder = try TemporaryFolder()
        let j = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
        let t0 = Date(timeIntervalSince1970: 10_000)
        // web took 10, 30, 20, 400 (oldest) s in four runs; the last run's 90 s step failed.
        let runs: [(String, Double, RolloutJournal.StepStatus)] = [
            ("r1", 400, .succeeded), ("r2", 20, .succeeded), ("r3", 30, .succeeded), ("r4", 10, .succeeded), ("r5", 90, .failed),
        ]
        for (n, (id, seconds, status)) in runs.enumerated() {
            let start = t0.addingTimeInterval(Double(n) * 1_000)
            try await j.create(
                runID: id, request: Data("{}".utf8),
                steps: [RolloutJournal.Step(stepID: "web", position: 0, payload: Data("{}".utf8)),
                        RolloutJournal.Step(stepID: "db", position: 1, payload: Data("{}".utf8))])
            try await j.transition(runID: id, stepID: "web", to: .running, now: start)
            try await j.transition(runID: id, stepID: "web", to: status, now: start.addingTimeInterval(seconds))
        }
        let all = try await j.durationHistory(services: ["web", "db", "absent"])
        #expect(all == ["web": 25])  // median of 400, 20, 30, 10; db never ran
        let lastThree = try await j.durationHistory(services: ["web"], samples: 3)
        #expect(lastThree == ["web": 20])  // 20, 30, 10
        #expect(try await j.durationHistory(services: []).isEmpty)
    }
}
