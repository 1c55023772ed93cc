import HomelabCore
import Testing

@Suite("Rollout state machine: the operator's hold (Ctrl-C)")
struct RolloutHoldTests {
    /// db → api → web, and an independent cache; all on one node.
    private func machine(budget: Int) throws -> RolloutStateMachine {
        let steps = ["db", "api", "web", "cache"].map { RolloutStep(service: $0, nodes: ["barbary"], estimate: .seconds(10)) }
        let graph = try RolloutGraph(steps: steps, dependsOn: ["api": ["db"], "web": ["api"]])
        return try RolloutStateMachine(
            graph: graph, limits: try RolloutLimits(budget: budget), order: ["db", "cache", "api", "web"])
    }

    @Test("a hold starts nothing more; the running steps finish and the run ends paused with the rest not started")
    func holdLetsRunningFinish() throws {
        var machine = try machine(budget: 2)
        #expect(machine.begin() == [.start("db"), .start("cache")])
        #expect(try machine.handle(.hold, at: .seconds(2)) == [])
        #expect(machine.isHeld)
        #expect(try machine.handle(.succeeded("db"), at: .seconds(10)) == [])
        #expect(try machine.handle(.succeeded("cache"), at: .seconds(11)) == [
            .finished(.paused(failed: [], notStarted: ["api", "web"])),
        ])
        #expect(try machine.handle(.resume, at: .seconds(60)) == [.start("api")])
        #expect(!machine.isHeld)
    }

    @Test("a hold after the last step started ends the run completed once it succeeds")
    func holdAtTheEnd() throws {
        var machine = try machine(budget: 1)
        #expect(machine.begin() == [.start("db")])
        #expect(try machine.handle(.succeeded("db"), at: .seconds(10)) == [.start("cache")])
        #expect(try machine.handle(.succeeded("cache"), at: .seconds(20)) == [.start("api")])
        #expect(try machine.handle(.succeeded("api"), at: .seconds(30)) == [.start("web")])
        #expect(try machine.handle(.hold, at: .seconds(31)) == [])
        #expect(try machine.handle(.succeeded("web"), at: .seconds(40)) == [.finished(.completed)])
    }

    @Test("a failure during a hold still blocks what depends on it and still rolls back")
    func failureDuringHold() throws {
        var machine = try machine(budget: 2)
        _ = machine.begin()
        _ = try machine.handle(.hold, at: .seconds(1))
        let actions = try machine.handle(.failed("db", rollback: .rollBack), at: .seconds(5))
        #expect(actions.contains(.rollback("db")))
        #expect(actions.contains(.blocked("api", by: "db")))
        #expect(!actions.contains { if case .start = $0 { return true } else { return false } })
        #expect(try machine.handle(.succeeded("cache"), at: .seconds(6)) == [])
        #expect(try machine.handle(.rollbackFinished("db", succeeded: true), at: .seconds(9)) == [
            .finished(.failed(failed: ["db"], blocked: ["api", "web"])),
        ])
    }
}
