import Foundation
import HomelabTestSupport
import Logging
import Testing

@testable import HomelabCore

@Suite("Rollout runner")
struct RunnerTests {
    let folder: TemporaryFolder
    let journal: RolloutJournal

    init() throws {
        folder = try TemporaryFolder()
        journal = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
    }

    func runner(_ swarm: FakeRolloutSwarm) -> RolloutRunner {
        RolloutRunner(swarm: swarm, journal: journal, logger: Logger(label: "test.rollout"))
    }

    static func request(
        _ services: [String], _ edges: [(String, String)] = [], budget: Int = 1, onFailure: RolloutRequest.OnFailure = .continueIndependent,
        rollbackFailed: Bool = false, rollbackAll: Bool = false
    ) -> RolloutRequest {
        RolloutRequest(
            changes: services.map { RolloutRequest.Change(service: $0, change: .image("\($0):2"), estimateSeconds: 10) },
            dependencies: edges.map { RolloutRequest.Dependency(service: $0.0, dependsOn: $0.1) }, budget: budget,
            onFailure: onFailure, rollbackFailed: rollbackFailed, rollbackAll: rollbackAll, convergenceTimeoutSeconds: 5)
    }

    func statuses(_ runID: String) async throws -> [String: RolloutJournal.StepStatus] {
        Dictionary(uniqueKeysWithValues: try await journal.steps(runID: runID).map { ($0.stepID, $0.status) })
    }

    @Test("steps start only after their dependencies finish, and never more than the budget at once")
    func orderAndBudget() async throws {
        let services = ["db", "api", "web", "cache", "worker", "mail"]
        let swarm = FakeRolloutSwarm(services: services)
        let request = Self.request(services, [("api", "db"), ("web", "api"), ("worker", "cache")], budget: 2)
        let result = try await runner(swarm).apply(request, runID: "r1")
        #expect(result.status == .completed)
        #expect(result.outcome == .completed)
        let (started, finished, maxActive) = await (swarm.startedAt, swarm.finishedAt, swarm.maxActive)
        for (service, dependency) in [("api", "db"), ("web", "api"), ("worker", "cache")] {
            #expect(try #require(finished[dependency]) < (try #require(started[service])))
        }
        #expect(maxActive <= 2)
        #expect(maxActive == 2)
        #expect(try await statuses("r1").values.allSatisfy { $0 == .succeeded })
        #expect(await swarm.specs["web"]?.taskTemplate?.containerSpec?.image == "web:2")
        #expect(try await journal.run("r1")?.status == .completed)
        #expect(try await journal.run("r1")?.owner == nil)
    }

    @Test("a failing step blocks its descendants while independent steps finish")
    func failureBlocksDescendants() async throws {
        let swarm = FakeRolloutSwarm(services: ["db", "api", "web", "cache"])
        await swarm.set("api", outcome: .paused(message: "task exited"))
        let request = Self.request(["db", "api", "web", "cache"], [("api", "db"), ("web", "api")], budget: 2)
        let result = try await runner(swarm).apply(request, runID: "r2")
        #expect(result.status == .failed)
        #expect(result.outcome == .failed(failed: ["api"], blocked: ["web"]))
        #expect(try await statuses("r2") == ["db": .succeeded, "api": .failed, "web": .blocked, "cache": .succeeded])
        #expect(await !swarm.calls("modify").contains("web"))
        #expect(await swarm.calls("rollback").isEmpty)
    }

    @Test("rollbackFailed rolls the failed service back and records it")
    func rollbackFailed() async throws {
        let swarm = FakeRolloutSwarm(services: ["db", "api"])
        await swarm.set("api", outcome: .timedOut(last: nil))
        let request = Self.request(["db", "api"], [("api", "db")], rollbackFailed: true)
        let result = try await runner(swarm).apply(request, runID: "r3")
        #expect(await swarm.calls("rollback") == ["api"])
        #expect(await swarm.specs["api"]?.taskTemplate?.containerSpec?.image == "api:1")
        #expect(await swarm.specs["db"]?.taskTemplate?.containerSpec?.image == "db:2")
        #expect(try await statuses("r3") == ["db": .succeeded, "api": .rolledBack])
        #expect(result.status == .rolledBack)
        #expect(result.rolledBack == ["api"])
    }

    @Test("Swarm's own rollback is recorded as rolled back and never rolled back again")
    func swarmRollback() async throws {
        let swarm = FakeRolloutSwarm(services: ["api"])
        await swarm.set("api", outcome: .rollbackCompleted(message: "failure action rollback"))
        let result = try await runner(swarm).apply(Self.request(["api"], rollbackFailed: true), runID: "r3b")
        #expect(await swarm.calls("rollback").isEmpty)
        #expect(try await statuses("r3b") == ["api": .rolledBack])
        #expect(result.status == .rolledBack)
    }

    @Test("rollbackAll rolls back this run's successes, newest first")
    func rollbackAll() async throws {
        let swarm = FakeRolloutSwarm(services: ["db", "cache", "api"])
        await swarm.set("api", outcome: .paused(message: "task exited"))
        let request = Self.request(["db", "cache", "api"], [("cache", "db"), ("api", "cache")], rollbackAll: true)
        let result = try await runner(swarm).apply(request, runID: "r4")
        #expect(await swarm.calls("rollback") == ["cache", "db"])
        #expect(result.status == .rolledBack)
        #expect(try await statuses("r4") == ["db": .rolledBack, "cache": .rolledBack, "api": .failed])
        for name in ["db", "cache"] {
            #expect(await swarm.specs[name]?.taskTemplate?.containerSpec?.image == "\(name):1")
        }
    }

    @Test("every step is journaled running before its update, and rolling back before its rollback")
    func journalFirst() async throws {
        let swarm = FakeRolloutSwarm(services: ["db", "api", "web"])
        await swarm.set("web", outcome: .paused(message: "task exited"))
        await swarm.watch(journal, runID: "r5")
        let request = Self.request(["db", "api", "web"], [("api", "db")], budget: 2, rollbackFailed: true)
        _ = try await runner(swarm).apply(request, runID: "r5")
        let calls = await swarm.calls
        #expect(calls.filter { $0.op == "modify" }.count == 3)
        for call in calls where call.op == "modify" { #expect(call.journaled == .running, "\(call)") }
        let rollbacks = calls.filter { $0.op == "rollback" }
        #expect(rollbacks.map(\.service) == ["web"])
        for call in rollbacks { #expect(call.journaled == .rollingBack, "\(call)") }
        let history = try await journal.transitions(runID: "r5").filter { $0.stepID == "web" }.map(\.to)
        #expect(history == ["running", "rolling_back", "rolled_back"])
    }

    @Test("progress events tell each step's start, progress, health and the end")
    func events() async throws {
        let swarm = FakeRolloutSwarm(services: ["db"])
        let runner = runner(swarm)
        let result = try await runner.apply(Self.request(["db"]), runID: "r6")
        var seen: [RolloutProgressEvent] = []
        for await event in runner.events { seen.append(event) }
        #expect(seen.first == .started(step: "db"))
        #expect(seen.contains(.progress(step: "db", running: 1, desired: 1)))
        #expect(seen.contains(.healthy(step: "db")))
        #expect(seen.last == .finished(result))
    }

    @Test("a step running past twice its estimate is reported overdue while it runs, with no other event needed")
    func overdueWhileRunning() async throws {
        let swarm = FakeRolloutSwarm(services: ["db"])
        await swarm.setSlow("db", .milliseconds(2500))
        let runner = runner(swarm)
        var request = Self.request(["db"])
        request.changes[0].estimateSeconds = 0.2
        let collected = Task {
            var seen: [RolloutProgressEvent] = []
            for await event in runner.events { seen.append(event) }
            return seen
        }
        _ = try await runner.apply(request, runID: "r-overdue")
        let seen = await collected.value
        let overdue = try #require(seen.firstIndex(of: .overdue(step: "db")), "\(seen)")
        #expect(overdue < (seen.firstIndex(of: .healthy(step: "db")) ?? -1))
        #expect(seen.filter { $0 == .overdue(step: "db") }.count == 1)
    }

    @Test("resume after a crash finishes the run without redoing succeeded steps or restarting twice")
    func resumeAfterCrash() async throws {
        let swarm = FakeRolloutSwarm(services: ["db", "api", "web"])
        await swarm.setHanging(["api"])
        var request = Self.request(["db", "api", "web"], [("api", "db"), ("web", "api")])
        request.changes[1].change = .restart(forceUpdate: nil)
        let first = runner(swarm)
        let task = Task { try await first.apply(request, runID: "r7") }
        for _ in 0..<500 where await !swarm.calls("converge").contains("api") {
            try await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        await #expect(throws: (any Error).self) { try await task.value }
        #expect(try await statuses("r7") == ["db": .succeeded, "api": .running, "web": .pending])
        let payload = try #require(try await journal.steps(runID: "r7").first { $0.stepID == "api" }?.payload)
        #expect(try JSONDecoder().decode(RolloutChange.self, from: payload) == .restart(forceUpdate: 1))
        #expect(await swarm.specs["api"]?.taskTemplate?.forceUpdate == 1)

        await swarm.setHanging([])
        let result = try await runner(swarm).resume(runID: "r7")
        #expect(result.status == .completed)
        #expect(try await statuses("r7").values.allSatisfy { $0 == .succeeded })
        #expect(await swarm.calls("modify") == ["db", "api", "api", "web"])
        #expect(await swarm.specs["api"]?.taskTemplate?.forceUpdate == 1)
        #expect(await swarm.specs["web"]?.taskTemplate?.containerSpec?.image == "web:2")
    }

    @Test("a finished run cannot be resumed")
    func resumeFinished() async throws {
        let swarm = FakeRolloutSwarm(services: ["db"])
        _ = try await runner(swarm).apply(Self.request(["db"]), runID: "r8")
        await #expect(throws: HomelabError.self) { try await runner(swarm).resume(runID: "r8") }
    }

    @Test("a failing health check or a missing service fails the step, not the run")
    func healthAndErrors() async throws {
        let swarm = FakeRolloutSwarm(services: ["db", "api"])
        let runner = RolloutRunner(
            swarm: swarm, journal: journal, logger: Logger(label: "test.rollout"),
            healthCheck: { url in !url.contains("api") })
        var request = Self.request(["db", "api", "ghost"])
        request.healthURLs = ["db": "http://db.internal/health", "api": "http://api.internal/health"]
        let result = try await runner.apply(request, runID: "r9")
        #expect(result.status == .failed)
        #expect(try await statuses("r9") == ["db": .succeeded, "api": .failed, "ghost": .failed])
        let details = try await journal.steps(runID: "r9").map { $0.detail ?? "" }.joined(separator: " | ")
        #expect(details.contains("health check"))
    }

    @Test("resume submits a rollback journaled but never sent, and does not repeat one that was sent",
        arguments: [false, true])
    func resumeRollback(alreadySent: Bool) async throws {
        let swarm = FakeRolloutSwarm(services: ["db", "api"])
        let request = Self.request(["db", "api"], rollbackFailed: true)
        let steps = try request.changes.enumerated().map {
            RolloutJournal.Step(stepID: $1.service, position: $0, payload: try JSONEncoder().encode($1.change))
        }
        try await journal.create(runID: "r10", request: try JSONEncoder().encode(request), steps: steps)
        try await swarm.modify(service: "api") { RolloutChange.image("api:2").applied(to: $0) }
        if alreadySent { try await swarm.rollBack(service: "api") }
        try await journal.transition(runID: "r10", stepID: "api", to: .running)
        try await journal.transition(runID: "r10", stepID: "api", to: .rollingBack, detail: "update paused")
        let result = try await runner(swarm).resume(runID: "r10")
        #expect(await swarm.calls("rollback") == ["api"])
        #expect(await swarm.specs["api"]?.taskTemplate?.containerSpec?.image == "api:1")
        #expect(try await statuses("r10") == ["db": .succeeded, "api": .rolledBack])
        #expect(result.status == .rolledBack)
    }
}
