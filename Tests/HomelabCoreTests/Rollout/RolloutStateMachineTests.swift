import HomelabCore
import Testing

@Suite("Rollout state machine")
struct RolloutStateMachineTests {
    /// db → api → web, and an independent cache; all on one node.
    private func machine(budget: Int = 2, order: [String] = ["db", "cache", "api", "web"],
                         policy: RolloutFailurePolicy = .continueIndependent, overdue: Double? = nil,
                         completed: Set<String> = []) throws -> RolloutStateMachine {
        let steps = ["db", "api", "web", "cache"].map { RolloutStep(service: $0, nodes: ["barbary"], estimate: .seconds(10)) }
        let graph = try RolloutGraph(steps: steps, dependsOn: ["api": ["db"], "web": ["api"]])
        return try RolloutStateMachine(graph: graph, limits: try RolloutLimits(budget: budget), order: order,
            configuration: .init(failurePolicy: policy, overdueFactor: overdue), completed: completed)
    }

    @Test("it starts the ready steps that fit, in the planned order")
    func startsInOrder() throws {
        var machine = try machine(budget: 1, order: ["cache", "db", "api", "web"])
        #expect(machine.begin() == [.start("cache")])
        #expect(machine.begin() == [])
        #expect(try machine.handle(.started("cache"), at: .seconds(1)) == [])
        #expect(try machine.handle(.succeeded("cache"), at: .seconds(10)) == [.start("db")])
        #expect(try machine.handle(.succeeded("db"), at: .seconds(20)) == [.start("api")])
        #expect(machine.state(of: "api") == .dispatched)
        #expect(machine.active == ["api"])
    }

    @Test("a failure blocks everything downstream; independent steps go on")
    func failureBlocksDescendants() throws {
        var machine = try machine(budget: 1, order: ["db", "cache", "api", "web"])
        #expect(machine.begin() == [.start("db")])
        let actions = try machine.handle(.failed("db", rollback: .leave), at: .seconds(5))
        #expect(actions.contains(.blocked("api", by: "db")))
        #expect(actions.contains(.blocked("web", by: "db")))
        #expect(actions.contains(.start("cache")))
        #expect(try machine.handle(.succeeded("cache"), at: .seconds(15)) == [
            .finished(.failed(failed: ["db"], blocked: ["api", "web"])),
        ])
        #expect(machine.isFinished)
    }

    @Test("pause-all stops new starts until the operator resumes")
    func pauseAll() throws {
        var machine = try machine(budget: 2, order: ["db", "api", "web", "cache"], policy: .pauseAll)
        #expect(machine.begin() == [.start("db"), .start("cache")])
        let actions = try machine.handle(.failed("cache", rollback: .leave), at: .seconds(5))
        #expect(actions == [.pause(because: "cache")])
        #expect(machine.isPaused)
        #expect(try machine.handle(.succeeded("db"), at: .seconds(10)) == [
            .finished(.paused(failed: ["cache"], notStarted: ["api", "web"])),
        ])
        #expect(try machine.handle(.resume, at: .seconds(60)) == [.start("api")])
        #expect(!machine.isPaused)
    }

    @Test("a rollback holds the slot until it ends, and a failed rollback is not rolled back")
    func rollback() throws {
        var machine = try machine(budget: 1, order: ["cache", "db", "api", "web"])
        _ = machine.begin()
        #expect(try machine.handle(.failed("cache", rollback: .rollBack), at: .seconds(5)) == [.rollback("cache")])
        #expect(machine.state(of: "cache") == .rollingBack)
        #expect(try machine.handle(.tick, at: .seconds(8)) == [])
        #expect(try machine.handle(.rollbackFinished("cache", succeeded: false), at: .seconds(9)) == [.start("db")])
        #expect(machine.state(of: "cache") == .rollbackFailed)
        #expect(throws: HomelabError.self) { try machine.handle(.rollbackFinished("cache", succeeded: true), at: .seconds(10)) }
    }

    @Test("an event that does not fit is rejected and changes nothing")
    func rejectsBadEvents() throws {
        var machine = try machine()
        _ = machine.begin()
        let before = machine.stepStates
        #expect(throws: HomelabError.self) { try machine.handle([.succeeded("db"), .succeeded("web")], at: .seconds(3)) }
        #expect(throws: HomelabError.self) { try machine.handle(.succeeded("ghost"), at: .seconds(3)) }
        #expect(throws: HomelabError.self) { try machine.handle([.succeeded("db"), .succeeded("db")], at: .seconds(3)) }
        #expect(machine.stepStates == before)
    }

    @Test("a resumed rollout does not redo completed steps")
    func resumed() throws {
        var machine = try machine(completed: ["db", "cache"])
        #expect(machine.begin() == [.start("api")])
        #expect(machine.state(of: "db") == .succeeded)
        #expect(throws: HomelabError.self) { try self.machine(completed: ["ghost"]) }
    }

    @Test("an overdue step is reported once")
    func overdue() throws {
        var machine = try machine(budget: 1, order: ["db", "cache", "api", "web"], overdue: 2)
        #expect(machine.begin() == [.start("db")])
        #expect(try machine.handle(.tick, at: .seconds(20)) == [])
        #expect(try machine.handle(.tick, at: .seconds(21)) == [.overdue("db")])
        #expect(try machine.handle(.tick, at: .seconds(30)) == [])
    }

    @Test("simultaneous completions are taken in together before choosing")
    func batch() throws {
        var machine = try machine(budget: 2, order: ["db", "cache", "web", "api"])
        #expect(machine.begin() == [.start("db"), .start("cache")])
        #expect(try machine.handle([.succeeded("db"), .succeeded("cache")], at: .seconds(10)) == [.start("api")])
        #expect(try machine.handle(.succeeded("api"), at: .seconds(20)) == [.start("web")])
        #expect(try machine.handle(.succeeded("web"), at: .seconds(30)) == [.finished(.completed)])
    }

    @Test("an order naming a step twice or an unknown step is refused")
    func badOrder() throws {
        #expect(throws: HomelabError.self) { try machine(order: ["db", "db"]) }
        #expect(throws: HomelabError.self) { try machine(order: ["ghost"]) }
    }
}
