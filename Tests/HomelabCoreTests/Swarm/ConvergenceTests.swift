import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Convergence follows the docker CLI's rules")
struct ConvergenceTests {
    static func service(
        replicas: UInt64 = 3, mode: Swarm.ServiceMode? = nil, state: Swarm.UpdateState? = nil, message: String? = nil,
        monitor: Swarm.Nanoseconds? = .seconds(1)
    ) -> Swarm.Service {
        Swarm.Service(
            id: "svc1",
            spec: Swarm.ServiceSpec(
                name: "web", mode: mode ?? .replicated(replicas: replicas),
                updateConfig: monitor.map { Swarm.UpdateConfig(parallelism: 1, monitor: $0) }),
            updateStatus: state.map { Swarm.UpdateStatus(state: $0, message: message) })
    }

    static func task(
        slot: Int? = nil, node: String = "n1", desired: Swarm.TaskState = .running, state: Swarm.TaskState = .running
    ) -> Swarm.Task {
        Swarm.Task(
            id: UUID().uuidString, serviceID: "svc1", slot: slot, nodeID: node, status: Swarm.TaskStatus(state: state),
            desiredState: desired)
    }

    static let nodes = [
        Swarm.Node(id: "n1", status: Swarm.NodeStatus(state: .ready)), Swarm.Node(id: "n2", status: Swarm.NodeStatus(state: .ready)),
        Swarm.Node(id: "down", status: Swarm.NodeStatus(state: .down)),
    ]

    @Test("converged only after the monitor period without regression")
    func monitorPeriod() throws {
        var tracker = ConvergenceTracker()
        let service = Self.service()
        let partial = [Self.task(slot: 1), Self.task(slot: 2), Self.task(slot: 3, state: .starting)]
        let all = [Self.task(slot: 1), Self.task(slot: 2), Self.task(slot: 3)]

        #expect(tracker.observe(service: service, elapsed: .zero) == nil)
        var step = try tracker.observe(tasks: partial, nodes: Self.nodes, service: service, elapsed: .zero)
        #expect(step.running == 2 && step.desired == 3 && step.phase == .converging)

        #expect(tracker.observe(service: service, elapsed: .milliseconds(200)) == nil)
        step = try tracker.observe(tasks: all, nodes: Self.nodes, service: service, elapsed: .milliseconds(200))
        #expect(step.phase == .verifying(remaining: .seconds(1)))

        // A task drops out before the monitor period ends: the clock starts over.
        #expect(tracker.observe(service: service, elapsed: .milliseconds(800)) == nil)
        step = try tracker.observe(tasks: partial, nodes: Self.nodes, service: service, elapsed: .milliseconds(800))
        #expect(step.phase == .regressed)
        #expect(tracker.observe(service: service, elapsed: .milliseconds(1300)) == nil)
        step = try tracker.observe(tasks: all, nodes: Self.nodes, service: service, elapsed: .milliseconds(1300))
        #expect(step.phase == .verifying(remaining: .seconds(1)))
        #expect(tracker.observe(service: service, elapsed: .milliseconds(2200)) == nil)
        _ = try tracker.observe(tasks: all, nodes: Self.nodes, service: service, elapsed: .milliseconds(2200))
        #expect(tracker.observe(service: service, elapsed: .milliseconds(2300)) == .completed)
    }

    @Test("paused and rollback-paused end the wait at once with the engine's message")
    func paused() {
        var tracker = ConvergenceTracker()
        #expect(
            tracker.observe(service: Self.service(state: .paused, message: "update paused due to failure"), elapsed: .zero)
                == .paused(message: "update paused due to failure"))
        #expect(
            tracker.observe(service: Self.service(state: .rollbackPaused, message: "rollback paused"), elapsed: .zero)
                == .rollbackPaused(message: "rollback paused"))
    }

    @Test("'completed' before the tasks are seen converged ends the wait, as the CLI does")
    func completedEarly() {
        var tracker = ConvergenceTracker()
        #expect(tracker.observe(service: Self.service(state: .completed), elapsed: .zero) == .completed)
    }

    @Test("a rollback that completes and stays up ends as rollback completed with its message")
    func rollbackCompleted() throws {
        var tracker = ConvergenceTracker()
        let tasks = [Self.task(slot: 1), Self.task(slot: 2), Self.task(slot: 3)]
        #expect(tracker.observe(service: Self.service(state: .rollbackStarted, message: "update rolled back"), elapsed: .zero) == nil)
        let step = try tracker.observe(tasks: [Self.task(slot: 1)], nodes: Self.nodes, service: Self.service(), elapsed: .zero)
        #expect(step.isRollback)
        let done = Self.service(state: .rollbackCompleted, message: "rollback completed")
        #expect(tracker.observe(service: done, elapsed: .milliseconds(100)) == nil)
        _ = try tracker.observe(tasks: tasks, nodes: Self.nodes, service: done, elapsed: .milliseconds(100))
        #expect(tracker.observe(service: done, elapsed: .milliseconds(1200)) == .rollbackCompleted(message: "rollback completed"))
    }

    @Test("tasks on down nodes, unknown states and the shut-down twin of a slot are not counted")
    func counting() throws {
        var tracker = ConvergenceTracker()
        let tasks = [
            Self.task(slot: 1),
            Self.task(slot: 1, desired: .shutdown, state: .running),  // start-first twin being replaced
            Self.task(slot: 2, node: "down"),
            Self.task(slot: 3, state: .unknown("hibernating")),
            Self.task(slot: 4, desired: .shutdown, state: .shutdown),
        ]
        let step = try tracker.observe(tasks: tasks, nodes: Self.nodes, service: Self.service(replicas: 4), elapsed: .zero)
        #expect(step.running == 1)
        #expect(step.desired == 4)
    }

    @Test("global mode wants one running task per node that has tasks of the spec")
    func globalMode() throws {
        var tracker = ConvergenceTracker()
        let service = Self.service(mode: .global)
        var step = try tracker.observe(tasks: [], nodes: Self.nodes, service: service, elapsed: .zero)
        #expect(step.desired == 0 && step.phase == .converging)
        step = try tracker.observe(
            tasks: [Self.task(node: "n1"), Self.task(node: "n2", state: .preparing), Self.task(node: "down")],
            nodes: Self.nodes, service: service, elapsed: .zero)
        #expect(step.running == 1 && step.desired == 2)
        step = try tracker.observe(
            tasks: [Self.task(node: "n1"), Self.task(node: "n2")], nodes: Self.nodes, service: service, elapsed: .zero)
        #expect(step.running == 2 && step.desired == 2 && step.phase != .converging)
    }

    @Test("job-mode services are refused")
    func jobs() {
        var tracker = ConvergenceTracker()
        #expect(throws: HomelabError.self) {
            _ = try tracker.observe(
                tasks: [], nodes: [], service: Self.service(mode: .replicatedJob(maxConcurrent: 1, totalCompletions: 1)),
                elapsed: .zero)
        }
    }

    @Test("the polling loop reports progress, asks for up-to-date tasks only, and completes")
    func loopCompletes() async throws {
        let polls = Counter()
        let engine = CannedDockerEngine { request in
            switch CannedDockerEngine.bare(request.path) {
            case "/services/svc1":
                polls.next()
                return CannedDockerEngine.json(Self.service(replicas: 2, monitor: .milliseconds(30)))
            case "/tasks":
                let ready = polls.count >= 3
                return CannedDockerEngine.json([Self.task(slot: 1), Self.task(slot: 2, state: ready ? .running : .starting)])
            case "/nodes":
                return CannedDockerEngine.json(Self.nodes)
            default:
                return HTTPResponse(status: 404)
            }
        }
        let log = ProgressRecorder()
        let clock = SteppingClock()
        let outcome = try await engine.client().waitForConvergence(
            service: "svc1", deadline: clock.now.advanced(by: .seconds(30)), clock: clock, pollInterval: .milliseconds(5),
            progress: { log.append($0) })
        #expect(outcome == .completed)
        #expect(log.all.first?.running == 1)
        #expect(log.all.contains { $0.running == 2 && $0.desired == 2 })
        let taskQuery = CannedDockerEngine.query(try #require(engine.requests(.get, "/tasks").first))
        #expect(taskQuery["filters"] == #"{"_up-to-date":["true"],"service":["svc1"]}"#)
    }

    @Test("a deadline that passes first is a timed-out outcome carrying the last progress")
    func loopTimesOut() async throws {
        let engine = CannedDockerEngine { request in
            switch CannedDockerEngine.bare(request.path) {
            case "/services/svc1": return CannedDockerEngine.json(Self.service(replicas: 2))
            case "/tasks": return CannedDockerEngine.json([Self.task(slot: 1, state: .starting)])
            case "/nodes": return CannedDockerEngine.json(Self.nodes)
            default: return HTTPResponse(status: 404)
            }
        }
        let clock = SteppingClock()
        let outcome = try await engine.client().waitForConvergence(
            service: "svc1", deadline: clock.now.advanced(by: .milliseconds(60)), clock: clock, pollInterval: .milliseconds(5))
        guard case .timedOut(let last) = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
        #expect(last?.running == 0 && last?.desired == 2)
        #expect(engine.requests(.get, "/services/svc1").count == 12)  // one poll every 5 ms of the clock's 60 ms
    }
}

/// Collects progress from a `@Sendable` callback.
final class ProgressRecorder: Sendable {
    private let entries = Locked<[Swarm.ConvergenceProgress]>([])
    func append(_ progress: Swarm.ConvergenceProgress) { entries.withLock { $0.append(progress) } }
    var all: [Swarm.ConvergenceProgress] { entries.withLock { $0 } }
}

/// A clock that only moves when someone sleeps on it: sleeping jumps to the wake-up time at once. Polling loops
/// tested with it neither wait for real time nor time out when the machine is busy.
final class SteppingClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private let current = Locked(Duration.zero)
    var now: Instant { Instant(offset: current.withLock { $0 }) }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        current.withLock { $0 = max($0, deadline.offset) }
        await Task.yield()
    }
}
