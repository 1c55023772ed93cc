import Foundation
import HomelabTestSupport
import Logging
import Testing

@testable import HomelabCore

@Suite("Rollout runner: node maintenance steps")
struct RunnerNodeStepTests {
    typealias F = MaintenanceFixture
    let folder: TemporaryFolder
    let journal: RolloutJournal

    init() throws {
        folder = try TemporaryFolder()
        journal = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
    }

    func runner(_ swarm: FakeRolloutSwarm, _ cluster: FakeCluster) -> RolloutRunner {
        RolloutRunner(
            swarm: swarm, journal: journal, logger: Logger(label: "test.rollout"),
            nodes: RolloutNodeTools(swarm: cluster, shell: cluster, pollInterval: .milliseconds(5)))
    }

    /// A service `db` pinned to `w1` and w1's maintenance, planned as the CLI plans them.
    func request(_ nodes: [Swarm.Node], maintain: [String], reboot: Bool = false) throws -> RolloutRequest {
        let db = RolloutRequest.Change(service: "db", change: .image("db:2"), nodes: ["w1"], estimateSeconds: 10)
        let plan = try NodeMaintenancePlan(
            nodes: nodes, services: [], homelab: F.homelab(nodes), requested: maintain,
            options: F.options("apt-get -y upgrade", reboot: reboot))
        let (steps, edges) = RolloutRequest.nodeSteps(plan, after: [db])
        return RolloutRequest(
            changes: [db] + steps,
            dependencies: edges, budget: 2, rollbackFailed: true, rollbackAll: true, convergenceTimeoutSeconds: 5)
    }

    @Test("a node is maintained after the service pinned to it is updated: drain, command, activate; the journal records the command")
    func maintainsAfterPinnedService() async throws {
        let nodes = F.swarm(managers: 3, workers: ["w1"])
        let cluster = FakeCluster(nodes: nodes)
        let swarm = FakeRolloutSwarm(services: ["db"])
        let result = try await runner(swarm, cluster).apply(try request(nodes, maintain: ["w1"]), runID: "n1")
        #expect(result.status == .completed)
        #expect(await cluster.steps("w1").filter { !$0.hasPrefix("inspect") && !$0.hasPrefix("tasks") } == ["drain", "command", "active"])
        let log = try await journal.transitions(runID: "n1")
        let dbDone = try #require(log.firstIndex { $0.stepID == "db" && $0.to == "succeeded" })
        let nodeStart = try #require(log.firstIndex { $0.stepID == "node:w1" && $0.to == "running" })
        #expect(dbDone < nodeStart)
        #expect(log.contains { $0.stepID == "node:w1" && $0.detail == "command finished" })
        let payload = try #require(try await journal.steps(runID: "n1").first { $0.stepID == "node:w1" }?.payload)
        guard case .maintainNode(let step) = try JSONDecoder().decode(RolloutChange.self, from: payload) else {
            Issue.record("the node step's payload is not a node change")
            return
        }
        #expect(step.commandFinished)
    }

    @Test("a failed command fails the node step, which is never rolled back, while the service update it followed is")
    func failedNodeStep() async throws {
        let nodes = F.swarm(managers: 3, workers: ["w1"])
        let cluster = FakeCluster(nodes: nodes)
        await cluster.set("w1", command: .exit(status: 100, stderr: "E: Could not get lock\n"))
        let swarm = FakeRolloutSwarm(services: ["db"])
        let result = try await runner(swarm, cluster).apply(try request(nodes, maintain: ["w1"]), runID: "n2")
        #expect(result.status == .rolledBack)
        #expect(result.rolledBack == ["db"])
        let statuses = Dictionary(uniqueKeysWithValues: try await journal.steps(runID: "n2").map { ($0.stepID, $0.status) })
        #expect(statuses["node:w1"] == .failed)
        #expect(await cluster.steps("w1").last == "command", "the node is left drained, not activated")
    }

    /// A run `runID` holding w1's maintenance as its only step, journaled as running with `crash` applied to the
    /// step (what the journal held when the process driving it died), and the cluster it runs on.
    func crashedNodeStep(_ runID: String, _ crash: (inout RolloutNodeStep) -> Void) async throws -> FakeCluster {
        let nodes = F.swarm(managers: 3, workers: ["w1"])
        var request = try request(nodes, maintain: ["w1"])
        request.changes.removeAll { $0.service == "db" }
        request.dependencies.removeAll { $0.dependsOn == "db" }
        guard case .maintainNode(var step)? = request.changes.first?.change else {
            throw HomelabError(.internalFailure, "no node step")
        }
        crash(&step)
        try await journal.create(
            runID: runID, request: try JSONEncoder().encode(request),
            steps: [RolloutJournal.Step(stepID: "node:w1", position: 0, payload: try JSONEncoder().encode(RolloutChange.maintainNode(step)))])
        try await journal.setStatus(runID: runID, .running)
        try await journal.transition(runID: runID, stepID: "node:w1", to: .running)
        return FakeCluster(nodes: nodes)
    }

    @Test("a node step resumed after its command finished does not run the command again")
    func resumeSkipsCommand() async throws {
        // The crash came after the command: the journal holds the step as running with its command finished.
        let cluster = try await crashedNodeStep("n3") { $0.commandFinished = true }
        let result = try await runner(FakeRolloutSwarm(services: []), cluster).resume(runID: "n3")
        #expect(result.status == .completed)
        let calls = await cluster.steps("w1").filter { !$0.hasPrefix("inspect") && !$0.hasPrefix("tasks") }
        #expect(calls == ["drain", "active"], "\(calls)")
    }

    @Test("a node step resumed after a crash during its command does not run it again, and says the node is left drained")
    func resumeAfterInterruptedCommand() async throws {
        // The crash came while the command ran: the journal holds it started, not finished.
        let cluster = try await crashedNodeStep("n4") { $0.commandStarted = true }
        let result = try await runner(FakeRolloutSwarm(services: []), cluster).resume(runID: "n4")
        #expect(result.status == .failed || result.status == .rolledBack)
        #expect(await cluster.steps("w1").filter { !$0.hasPrefix("inspect") && !$0.hasPrefix("tasks") }.isEmpty)
        let detail = try await journal.transitions(runID: "n4").last { $0.stepID == "node:w1" }?.detail ?? ""
        #expect(detail.contains("not run again"), "\(detail)")
        #expect(detail.contains("homelab node activate w1"), "\(detail)")
    }

    @Test("the command's start is journaled before the command runs")
    func commandStartJournaledFirst() async throws {
        let nodes = F.swarm(managers: 3, workers: ["w1"])
        let cluster = FakeCluster(nodes: nodes)
        _ = try await runner(FakeRolloutSwarm(services: ["db"]), cluster).apply(try request(nodes, maintain: ["w1"]), runID: "n5")
        let log = try await journal.transitions(runID: "n5").filter { $0.stepID == "node:w1" }.map { $0.detail ?? "" }
        let started = try #require(log.firstIndex(of: "command started"))
        let finished = try #require(log.firstIndex(of: "command finished"))
        #expect(started < finished)
    }

    @Test("node steps follow the plan's batches: workers first, then managers one at a time, the leader last")
    func batchesBecomeEdges() throws {
        let nodes = F.swarm(managers: 3, workers: ["w1"])
        let request = try request(nodes, maintain: ["m1", "m2", "w1"])
        let graph = try request.graph()
        func waits(_ id: String) throws -> Set<String> {
            Set(graph.predecessors[try #require(graph.index(of: id))].map { graph.steps[$0].id })
        }
        #expect(try waits("node:w1") == ["db"])
        #expect(try waits("node:m2") == ["node:w1"])
        #expect(try waits("node:m1") == ["node:m2"])  // m1 leads: last
        #expect(graph.steps.first { $0.id == "node:w1" }?.nodes == ["w1"])
    }
}
