import Foundation
import HomelabCore
import HomelabTestSupport
import Logging
import Testing

@Suite("Node maintenance runner against a fake swarm and shell")
struct NodeMaintenanceRunnerTests {
    typealias F = MaintenanceFixture

    struct Run {
        var result: NodeMaintenanceResult
        var events: [NodeMaintenanceEvent]
        var audit: [AuditEntry]
    }

    func run(
        _ cluster: FakeCluster, _ requested: [String], options: NodeMaintenanceOptions = F.options(),
        services: [Swarm.Service] = []
    ) async throws -> Run {
        let nodes = try await cluster.maintenanceNodes()
        let plan = try NodeMaintenancePlan(
            nodes: nodes, services: services, homelab: F.homelab(nodes), requested: requested, options: options)
        let temp = try TemporaryFolder()
        let audit = try StateStore(path: temp.file("state.sqlite")).auditLog
        let runner = NodeMaintenanceRunner(
            swarm: cluster, shell: cluster, audit: audit, user: "ops", logger: LogCapture().logger())
        let collector = Task { await runner.events.reduce(into: []) { $0.append($1) } }
        let result = await runner.run(plan)
        return Run(result: result, events: await collector.value, audit: try await audit.entries().reversed())
    }

    @Test("drain, tasks stop, command, Ready, activate: in that order, activation last")
    func order() async throws {
        let cluster = FakeCluster(nodes: F.swarm(managers: 3, workers: ["w1"]))
        await cluster.set("w1", tasksStopAfter: 3)
        let run = try await run(cluster, ["w1"])
        #expect(run.result.succeeded)
        #expect(run.result.completed == ["w1"])
        let steps = await cluster.steps("w1")
        #expect(steps.first == "drain")
        #expect(steps.filter { $0 == "tasks" }.count >= 1)
        let drain = try #require(steps.firstIndex(of: "drain"))
        let command = try #require(steps.firstIndex(of: "command"))
        let activate = try #require(steps.firstIndex(of: "active"))
        #expect(drain < command && command < activate)
        #expect(steps[command - 1] == "tasks", "the command ran only after the task list was empty")
        #expect(steps[(command + 1)...].contains("inspect:ready"), "Ready was checked after the command")
        #expect(!steps[(activate + 1)...].contains { $0 == "drain" || $0 == "command" })
        #expect(await cluster.nodes["w1"]?.spec?.availability == .active)
        let names: [String] = run.events.map { event in
            switch event {
            case .batchStarted: "batch"
            case .draining: "draining"
            case .drained: "drained"
            case .commandFinished: "command"
            case .nodeDown: "down"
            case .nodeReady: "ready"
            case .activated: "activated"
            case .failed: "failed"
            case .notStarted: "not started"
            }
        }
        #expect(names == ["batch", "draining", "drained", "command", "ready", "activated"])
        if case .commandFinished(_, let outcome) = run.events[3] {
            #expect(outcome.exitStatus == 0)
            #expect(outcome.stdoutTail == "upgraded")
        }
        #expect(run.audit.map(\.outcome) == [.started, .succeeded])
        #expect(run.audit.first?.operation == "node.maintain")
        #expect(run.audit.first?.target == "w1")
        #expect(run.audit.first?.detail?.contains("apt-get -y upgrade") == true)
    }

    @Test("a failing command leaves the node drained, stops the run, and says how to reactivate")
    func failingCommand() async throws {
        let cluster = FakeCluster(nodes: F.swarm(managers: 3, workers: ["w1", "w2"]))
        await cluster.set("w1", command: .exit(status: 100, stderr: "E: Could not get lock /var/lib/dpkg/lock\n"))
        let run = try await run(cluster, ["w1", "w2"])
        #expect(!run.result.succeeded)
        let message = try #require(run.result.failed["w1"])
        #expect(message.contains("exit status 100"))
        #expect(message.contains("Could not get lock"))
        #expect(message.contains("left drained"))
        #expect(message.contains("homelab node activate w1"))
        #expect(run.result.notStarted == ["w2"])
        #expect(await cluster.nodes["w1"]?.spec?.availability == .drain)
        #expect(await cluster.steps("w2").isEmpty, "the next batch never started")
        #expect(!(await cluster.steps("w1")).contains("active"))
        #expect(run.events.contains(.notStarted(nodes: ["w2"])))
        #expect(run.events.contains { if case .commandFinished("w1", let o) = $0 { o.exitStatus == 100 } else { false } })
        #expect(run.audit.map(\.outcome) == [.started, .failed])
    }

    @Test("a reboot that drops the SSH connection is expected: the node goes down, comes back and is activated")
    func rebootDroppingConnection() async throws {
        let cluster = FakeCluster(nodes: F.swarm(managers: 3, workers: ["w1"]))
        await cluster.set("w1", command: .rebootDropping(downPolls: 4))
        let run = try await run(cluster, ["w1"], options: F.options("apt-get -y upgrade && reboot", reboot: true))
        #expect(run.result.succeeded, "\(run.result.failed)")
        #expect(run.events.contains(.nodeDown(node: "w1", state: "down")))
        #expect(run.events.contains { if case .commandFinished(_, let o) = $0 { o.connectionDropped } else { false } })
        let steps = await cluster.steps("w1")
        let down = try #require(steps.firstIndex(of: "inspect:down"))
        let ready = try #require(steps[down...].firstIndex(of: "inspect:ready"))
        let activate = try #require(steps.firstIndex(of: "active"))
        #expect(down < ready && ready < activate, "\(steps)")
    }

    @Test("a reboot command that exits 0 before going down is waited for too")
    func rebootExitingFirst() async throws {
        let cluster = FakeCluster(nodes: F.swarm(managers: 3, workers: ["w1"]))
        await cluster.set("w1", command: .rebootExiting(downPolls: 2))
        let run = try await run(cluster, ["w1"], options: F.options(reboot: true))
        #expect(run.result.succeeded)
        #expect(run.events.contains(.nodeDown(node: "w1", state: "down")))
    }

    @Test("without --reboot a dropped connection is a failure")
    func droppedWithoutReboot() async throws {
        let cluster = FakeCluster(nodes: F.swarm(managers: 3, workers: ["w1"]))
        await cluster.set("w1", command: .rebootDropping(downPolls: 1))
        let run = try await run(cluster, ["w1"])
        let message = try #require(run.result.failed["w1"])
        #expect(message.contains("connection reset by peer"))
        #expect(await cluster.nodes["w1"]?.spec?.availability == .drain)
    }

    @Test("an SSH error (unknown host key) fails before anything runs and leaves the node drained")
    func sshError() async throws {
        let cluster = FakeCluster(nodes: F.swarm(managers: 3, workers: ["w1"]))
        await cluster.set("w1", command: .sshError(HomelabError(.hostKeyUnknown, "host key of w1 is not in known_hosts", component: "ssh")))
        let run = try await run(cluster, ["w1"])
        #expect(run.result.failed["w1"]?.contains("not in known_hosts") == true)
        #expect(await cluster.nodes["w1"]?.spec?.availability == .drain)
    }

    @Test("timeouts name what was awaited: tasks that never stop, a node that never leaves Ready or never returns")
    func timeouts() async throws {
        let short = F.options(reboot: true, timeout: .milliseconds(150))

        let stuck = FakeCluster(nodes: F.swarm(managers: 3, workers: ["w1"]))
        await stuck.set("w1", tasksStopAfter: Int.max)
        let tasks = try await run(stuck, ["w1"], options: short)
        let taskMessage = try #require(tasks.result.failed["w1"])
        #expect(taskMessage.contains("timed out after 150 ms waiting for the tasks on w1 to stop"), "\(taskMessage)")
        #expect(taskMessage.contains("still running: web.1"))
        #expect(!(await stuck.steps("w1")).contains("command"), "the command never ran on a node still running tasks")

        let noReboot = FakeCluster(nodes: F.swarm(managers: 3, workers: ["w1"]))
        await noReboot.set("w1", command: .noReboot)
        let stayed = try await run(noReboot, ["w1"], options: short)
        let stayedMessage = try #require(stayed.result.failed["w1"])
        #expect(stayedMessage.contains("w1 to leave Ready"), "\(stayedMessage)")
        #expect(stayedMessage.contains("may not have rebooted"))

        let gone = FakeCluster(nodes: F.swarm(managers: 3, workers: ["w1"]))
        await gone.set("w1", command: .rebootForever)
        let never = try await run(gone, ["w1"], options: short)
        let neverMessage = try #require(never.result.failed["w1"])
        #expect(neverMessage.contains("waiting for w1 to be Ready after the command"), "\(neverMessage)")
        #expect(neverMessage.contains("left drained"))
        #expect(await gone.nodes["w1"]?.spec?.availability == .drain)
    }

    @Test("budgets hold at run time: at most the worker budget drained at once, managers one at a time of three")
    func budgets() async throws {
        let cluster = FakeCluster(nodes: F.swarm(managers: 3, workers: ["w1", "w2", "w3", "w4"]))
        let run = try await run(
            cluster, ["w1", "w2", "w3", "w4", "m1", "m2", "m3"], options: F.options(workerBudget: 2))
        #expect(run.result.succeeded)
        #expect(await cluster.maxDrainedWorkers == 2)
        #expect(await cluster.maxDrainedManagers == 1)
        #expect(run.result.completed.suffix(3) == ["m2", "m3", "m1"])
        let batches = run.events.compactMap { if case .batchStarted(let nodes) = $0 { nodes } else { nil } }
        #expect(batches.count == 5)
    }

    @Test("a manager batch whose quorum broke since planning is not started")
    func quorumRecheck() async throws {
        let nodes = F.swarm(managers: 3, workers: ["w1"])
        let cluster = FakeCluster(nodes: nodes)
        // The plan was made while all three managers were fine; then m3 went down (w1's command reboots it, say).
        let plan = try NodeMaintenancePlan(
            nodes: nodes, services: [], homelab: F.homelab(nodes), requested: ["w1", "m2"], options: F.options())
        await cluster.set("w1", command: .noReboot)
        let runner = NodeMaintenanceRunner(
            swarm: cluster, shell: DownAfterCommand(cluster: cluster, node: "id-m3"), audit: nil, user: "ops",
            logger: LogCapture().logger())
        let result = await runner.run(plan)
        #expect(result.completed == ["w1"])
        let message = try #require(result.failed["m2"])
        #expect(message.hasPrefix("not started: "))
        #expect(message.contains("m3 is already down"))
        #expect(!(await cluster.steps("m2")).contains("drain"))
    }
}

/// A shell that runs the fake's command, then takes another node down (for the quorum re-check).
struct DownAfterCommand: NodeMaintenanceShell {
    let cluster: FakeCluster
    let node: String

    func run(_ command: String, on target: Homelab.Node, timeout: Duration) async throws -> SSHCommandResult {
        let result = try await cluster.run(command, on: target, timeout: timeout)
        await cluster.markDown(node)
        return result
    }
}
