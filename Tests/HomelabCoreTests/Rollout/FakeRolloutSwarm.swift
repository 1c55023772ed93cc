import Foundation
import HomelabCore

/// An in-memory Swarm for runner tests: keeps specs, records every call in order, and can fail,
/// hang or run slowly per service.
actor FakeRolloutSwarm: RolloutSwarm {
    struct Call: Hashable {
        var op: String
        var service: String
        /// The step's journaled status when the call came (if a journal is watched).
        var journaled: RolloutJournal.StepStatus?
    }

    var specs: [String: Swarm.ServiceSpec] = [:]
    var previous: [String: Swarm.ServiceSpec] = [:]
    var calls: [Call] = []
    /// Per service, what convergence of an update returns (default completed).
    var outcomes: [String: Swarm.ConvergenceOutcome] = [:]
    /// Services whose convergence never ends (until cancelled).
    var hanging: Set<String> = []
    /// Per service, how long convergence takes instead of the usual 200 ms.
    var slow: [String: Duration] = [:]
    var active = 0
    var maxActive = 0
    private var sequence = 0
    var startedAt: [String: Int] = [:]
    var finishedAt: [String: Int] = [:]
    private var rollingBack: Set<String> = []
    var watched: (journal: RolloutJournal, runID: String)?
    /// The next this-many calls (of any kind) fail as if the engine did not answer.
    var dropNext = 0
    /// Per service, the error every call about it throws (an engine gone, or one refusing the change).
    var refusing: [String: HomelabError] = [:]

    init(services: [String]) {
        for name in services {
            specs[name] = Swarm.ServiceSpec(name: name, taskTemplate: Swarm.TaskSpec(containerSpec: Swarm.ContainerSpec(image: "\(name):1")))
        }
    }

    func set(_ service: String, outcome: Swarm.ConvergenceOutcome) { outcomes[service] = outcome }
    func setHanging(_ services: Set<String>) { hanging = services }
    func setSlow(_ service: String, _ duration: Duration) { slow[service] = duration }
    func watch(_ journal: RolloutJournal, runID: String) { watched = (journal, runID) }
    func calls(_ op: String) -> [String] { calls.filter { $0.op == op }.map(\.service) }
    func drop(next count: Int) { dropNext = count }
    func refuse(_ service: String, with error: HomelabError?) { refusing[service] = error }

    /// Throws when the engine is set to drop this call or refuse calls about `service`.
    private func gate(_ service: String) throws {
        if dropNext > 0 {
            dropNext -= 1
            throw HomelabError(.connectionFailed, "connection refused", component: "fake")
        }
        if let error = refusing[service] { throw error }
    }

    private func record(_ op: String, _ service: String) async {
        var status: RolloutJournal.StepStatus?
        if let watched {
            status = try? await watched.journal.steps(runID: watched.runID).first { $0.stepID == service }?.status
        }
        calls.append(Call(op: op, service: service, journaled: status))
    }

    func currentSpec(of service: String) async throws -> Swarm.ServiceSpec {
        try gate(service)
        guard let spec = specs[service] else { throw HomelabError(.notFound, "no service \(service)", component: "fake") }
        return spec
    }

    func modify(service: String, _ change: @escaping @Sendable (Swarm.ServiceSpec) -> Swarm.ServiceSpec) async throws {
        await record("modify", service)
        try gate(service)
        guard let spec = specs[service] else { throw HomelabError(.notFound, "no service \(service)", component: "fake") }
        let changed = change(spec)
        if changed != spec {
            previous[service] = spec
            specs[service] = changed
        }
        sequence += 1
        startedAt[service] = sequence
        active += 1
        maxActive = max(maxActive, active)
    }

    func rollBack(service: String) async throws {
        await record("rollback", service)
        guard let old = previous[service] else {
            throw HomelabError(.invalidArgument, "no previous spec for \(service)", component: "fake")
        }
        previous[service] = specs[service]
        specs[service] = old
        rollingBack.insert(service)
    }

    func convergence(
        of service: String, timeout: Duration, progress: @escaping @Sendable (Swarm.ConvergenceProgress) -> Void
    ) async throws -> Swarm.ConvergenceOutcome {
        await record("converge", service)
        try gate(service)
        if rollingBack.remove(service) != nil { return .rollbackCompleted(message: "rolled back") }
        progress(Swarm.ConvergenceProgress(running: 0, desired: 1))
        if hanging.contains(service) {
            try await Task.sleep(for: .seconds(3600))
        }
        try await Task.sleep(for: slow[service] ?? .milliseconds(200))  // long enough that steps dispatched together overlap under any load
        progress(Swarm.ConvergenceProgress(running: 1, desired: 1))
        sequence += 1
        finishedAt[service] = sequence
        active -= 1
        return outcomes[service] ?? .completed
    }
}
