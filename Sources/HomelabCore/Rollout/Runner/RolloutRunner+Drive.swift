import Foundation
import Logging
import Synchronization

extension RolloutRunner {
    /// The state of one drive of a run.
    struct Drive: Sendable {
        var runID: String
        var request: RolloutRequest
        var machine: RolloutStateMachine
        /// Per step, the change (fixed once the step starts).
        var changes: [String: RolloutChange]
        /// Steps of this run that succeeded, in completion order.
        var succeeded: [String] = []
        /// Failed / blocked before a resume (not in the machine's graph).
        var earlierFailed: [String] = []
        var earlierBlocked: [String] = []
        /// How the operator interrupted this drive, once noticed.
        var interrupted: RolloutInterruption?
        /// The first step whose deadline passed while the engine did not answer: the run then starts nothing more,
        /// sees its running steps through and pauses, to be resumed.
        var unreachable: (step: String, message: String)?
    }

    /// What a child task reports back.
    enum Completion: Sendable {
        case succeeded(String)
        case failed(String, message: String, swarmRolledBack: Bool)
        case rolledBack(String, ok: Bool)
        /// The engine did not answer until the step's deadline; the step is not done (``engineUnreachable(_:)``).
        case unreachable(String, message: String)
        /// Time passed (the machine then notices overdue steps).
        case tick
    }

    /// How often the machine hears that time passed while steps run.
    static let tickInterval: Duration = .seconds(1)
    /// How long a step about to start waits for an engine that does not answer before the run pauses.
    static let startReadWait: Duration = .seconds(10)

    func drive(_ initial: Drive) async throws -> RolloutResult {
        var d = initial
        try await journal.claim(runID: d.runID, owner: owner, isAlive: Self.isAlive)
        do {
            try await journal.setStatus(runID: d.runID, .running)
            let outcome = try await loop(&d)
            let result = try await finish(&d, outcome: outcome)
            try await journal.release(runID: d.runID, owner: owner)
            continuation.yield(.finished(result))
            continuation.finish()
            return result
        } catch {
            try? await journal.release(runID: d.runID, owner: owner)
            continuation.finish()
            throw error
        }
    }

    private func loop(_ d: inout Drive) async throws -> RolloutOutcome {
        try await withThrowingTaskGroup(of: Completion.self) { group in
            var queue = d.machine.begin(at: elapsed())
            // Work in the group besides the ticker; the ticker runs only while there is some.
            var working = 0
            var ticking = false
            defer { group.cancelAll() }
            while true {
                var finished: RolloutOutcome?
                while !queue.isEmpty {
                    let action = queue.removeFirst()
                    switch action {
                    case .start(let id):
                        let work = try await prepare(&d, id)
                        queue += try d.machine.handle(.started(id), at: elapsed())
                        continuation.yield(.started(step: id))
                        working += 1
                        group.addTask { try await work() }
                    case .rollback(let id):
                        let (swarm, continuation) = (swarm, continuation)
                        continuation.yield(.rollingBack(step: id))
                        let timeout = try await convergenceTimeout(id, d.request)
                        working += 1
                        group.addTask {
                            try await Self.rollBack(id, swarm: swarm, timeout: timeout, continuation: continuation)
                        }
                    case .blocked(let id, let by):
                        try await journal.transition(runID: d.runID, stepID: id, to: .blocked, detail: "blocked by \(by)")
                        continuation.yield(.blocked(step: id, by: by))
                    case .pause(let because):
                        continuation.yield(.paused(because: because))
                    case .overdue(let id):
                        logger.warning("rollout step is overdue", metadata: ["component": "rollout", "step": "\(id)"])
                        continuation.yield(.overdue(step: id))
                    case .finished(let outcome):
                        finished = outcome
                    }
                }
                if let finished { return finished }
                if d.interrupted == .pauseRunning { return Self.leftRunning(d.machine) }
                if d.unreachable != nil, working == 0 { return Self.leftRunning(d.machine) }
                if working > 0, !ticking {
                    ticking = true
                    group.addTask {
                        try? await Task.sleep(for: Self.tickInterval)
                        return .tick
                    }
                }
                guard let completion = try await group.next() else { return d.machine.outcome }
                if case .tick = completion { ticking = false } else { working -= 1 }
                queue = try noticeInterruption(&d)
                queue += try await record(&d, completion)
            }
        }
    }

    /// Holds the machine once an interrupt is asked for (before the completion at hand is recorded, so that no step
    /// starts after it), and remembers the strongest interrupt seen.
    private func noticeInterruption(_ d: inout Drive) throws -> [RolloutAction] {
        guard let asked = interruption.withLock({ $0 }), asked != d.interrupted else { return [] }
        let first = d.interrupted == nil
        d.interrupted = asked
        logger.notice(
            "rollout interrupted", metadata: ["component": "rollout", "run": "\(d.runID)", "running": "\(asked.rawValue)"])
        return first ? try d.machine.handle(.hold, at: elapsed()) : []
    }

    /// The outcome of a run left with steps running (``RolloutInterruption/pauseRunning``): paused, the steps
    /// running or not started yet both counted as not done.
    static func leftRunning(_ machine: RolloutStateMachine) -> RolloutOutcome {
        var failed: [String] = []
        var notDone: [String] = []
        for (i, state) in machine.stepStates.enumerated() {
            let id = machine.graph.steps[i].id
            if state.isFailure { failed.append(id) }
            if state == .pending || state == .blocked || state == .dispatched || state == .running { notDone.append(id) }
        }
        return .paused(failed: failed, notStarted: notDone)
    }

    /// Journals the step as running with its fixed change, and returns the work that performs it.
    private func prepare(_ d: inout Drive, _ id: String) async throws -> @Sendable () async throws -> Completion {
        let (swarm, continuation, healthCheck) = (swarm, continuation, healthCheck)
        let url = d.request.healthURLs?[id]
        guard let change = d.changes[id] else {
            throw HomelabError(.internalFailure, "rollout step \(id) has no change", component: "rollout")
        }
        if case .maintainNode(let step) = change {
            return try await prepareNodeStep(d, id, step)
        }
        if case .create(let creation) = change {
            return try await prepareCreateStep(d, id, creation)
        }
        // An engine that does not answer is waited for a little (the drive loop waits with us), then the step is
        // handed back not done and the run pauses.
        let patience = d.request.convergenceTimeoutSeconds.map { min(Self.startReadWait, .milliseconds(Int64($0 * 1000))) }
        var wait = EngineWait(step: id, deadline: ContinuousClock.now + (patience ?? Self.startReadWait), continuation: continuation)
        var read: (spec: Swarm.ServiceSpec, timeout: Duration)?
        while read == nil {
            do {
                let current = try await swarm.currentSpec(of: id)
                read = (current, try await convergenceTimeout(id, d.request, spec: current))
            } catch {
                if Task.isCancelled { throw error }
                if let lost = Self.engineUnreachable(error) {
                    if let gaveUp = try await wait.retry(after: lost) { return { gaveUp } }
                    continue
                }
                try await journal.transition(runID: d.runID, stepID: id, to: .running, detail: "could not read the service")
                let message = "could not read service \(id): \(error)"
                return { .failed(id, message: message, swarmRolledBack: false) }
            }
        }
        guard let found = read else {
            throw HomelabError(.internalFailure, "rollout step \(id) was read without a spec", component: "rollout")
        }
        let (spec, timeout) = (found.spec, found.timeout)
        let fixed = change.fixed(against: spec)
        d.changes[id] = fixed
        try await journal.transition(
            runID: d.runID, stepID: id, to: .running, payload: try JSONEncoder().encode(fixed))
        return {
            try await Self.perform(
                id, change: fixed, swarm: swarm, timeout: timeout, healthURL: url, healthCheck: healthCheck,
                continuation: continuation)
        }
    }

    /// Journals a completion, then feeds it to the machine.
    private func record(_ d: inout Drive, _ completion: Completion) async throws -> [RolloutAction] {
        switch completion {
        case .succeeded(let id):
            try await journal.transition(runID: d.runID, stepID: id, to: .succeeded)
            d.succeeded.append(id)
            continuation.yield(.healthy(step: id))
            return try d.machine.handle(.succeeded(id), at: elapsed())
        case .failed(let id, let message, let swarmRolledBack):
            continuation.yield(.failed(step: id, message: message))
            if swarmRolledBack {
                try await journal.transition(runID: d.runID, stepID: id, to: .rolledBack, detail: message)
                return try d.machine.handle(.failed(id, rollback: .leave), at: elapsed())
            }
            if d.request.rollbackFailed, !Self.cannotRollBack(d.changes[id]) {
                try await journal.transition(runID: d.runID, stepID: id, to: .rollingBack, detail: message)
                return try d.machine.handle(.failed(id, rollback: .rollBack), at: elapsed())
            }
            try await journal.transition(runID: d.runID, stepID: id, to: .failed, detail: message)
            return try d.machine.handle(.failed(id, rollback: .leave), at: elapsed())
        case .rolledBack(let id, let ok):
            try await journal.transition(
                runID: d.runID, stepID: id, to: ok ? .rolledBack : .failed, detail: ok ? "rolled back" : "rollback failed")
            continuation.yield(.rolledBack(step: id, succeeded: ok))
            return try d.machine.handle(.rollbackFinished(id, succeeded: ok), at: elapsed())
        case .unreachable(let id, let message):
            // Not done, and nothing says its change is wrong: back to pending, so a resume submits it again.
            try await journal.transition(runID: d.runID, stepID: id, to: .pending, detail: "the engine did not answer: \(message)")
            logger.warning(
                "the engine did not answer within the step's deadline; the rollout pauses",
                metadata: ["component": "rollout", "run": "\(d.runID)", "step": "\(id)", "error": "\(message)"])
            guard d.unreachable == nil else { return [] }
            d.unreachable = (id, message)
            return try d.machine.handle(.hold, at: elapsed())
        case .tick:
            return try d.machine.handle(.tick, at: elapsed())
        }
    }

    /// Rolls back earlier successes when asked, and journals the run's end.
    private func finish(_ d: inout Drive, outcome machineOutcome: RolloutOutcome) async throws -> RolloutResult {
        let outcome = Self.merge(machineOutcome, failed: d.earlierFailed, blocked: d.earlierBlocked)
        var rolledBack: [String] = []
        // An interrupted run is paused to be resumed, never rolled back as a whole.
        // Nor one whose engine stopped answering: nothing says its changes are wrong, and the engine may still be away.
        let rollbackAll = d.request.rollbackAll && d.interrupted == nil && d.unreachable == nil
        if outcome != .completed && rollbackAll {
            // Node maintenance cannot be undone and created services are not removed: only updates roll back.
            for id in d.succeeded.reversed() where !Self.cannotRollBack(d.changes[id]) {
                try await journal.transition(runID: d.runID, stepID: id, to: .rollingBack, detail: "rolling back the run")
                continuation.yield(.rollingBack(step: id))
                let ok = await finishRollback(runID: d.runID, service: id, request: d.request, submit: true)
                continuation.yield(.rolledBack(step: id, succeeded: ok))
                if ok { rolledBack.append(id) }
            }
        }
        let steps = try await journal.steps(runID: d.runID)
        for step in steps where step.status == .rolledBack && !rolledBack.contains(step.stepID) {
            rolledBack.insert(step.stepID, at: 0)
        }
        let failedSteps = steps.filter { $0.status == .failed || $0.status == .rolledBack }
        let status: RolloutJournal.RunStatus
        switch outcome {
        case .completed: status = .completed
        case .paused: status = rollbackAll ? .rolledBack : .paused
        case .failed:
            status = rollbackAll || (!failedSteps.isEmpty && failedSteps.allSatisfy { $0.status == .rolledBack })
                ? .rolledBack : .failed
        }
        var detail = d.interrupted.map { "interrupted (\($0.rawValue) running steps): \(outcome)" } ?? "\(outcome)"
        if let lost = d.unreachable {
            detail = "the engine did not answer for \(lost.step) within its deadline (\(lost.message)); resume to carry on: \(outcome)"
        }
        try await journal.setStatus(runID: d.runID, status, detail: detail)
        return RolloutResult(runID: d.runID, status: status, outcome: outcome, rolledBack: rolledBack)
    }

    /// Rolls `service` back (when `submit`) and waits; journals `rolled_back` or `failed`. Never throws:
    /// a failed rollback is recorded, not retried.
    func finishRollback(runID: String, service: String, request: RolloutRequest, submit: Bool) async -> Bool {
        let ok: Bool
        do {
            let timeout = try await convergenceTimeout(service, request)
            if submit { try await swarm.rollBack(service: service) }
            let outcome = try await swarm.convergence(of: service, timeout: timeout) { _ in }
            if case .rollbackCompleted = outcome { ok = true } else { ok = outcome == .completed }
        } catch {
            logger.warning("rollback failed", metadata: ["component": "rollout", "step": "\(service)", "error": "\(error)"])
            ok = false
        }
        try? await journal.transition(
            runID: runID, stepID: service, to: ok ? .rolledBack : .failed, detail: ok ? "rolled back" : "rollback failed")
        return ok
    }

    /// How long to wait for `service`: the request's timeout, or its UpdateConfig's duration plus the margin.
    func convergenceTimeout(_ service: String, _ request: RolloutRequest, spec: Swarm.ServiceSpec? = nil) async throws -> Duration {
        if let seconds = request.convergenceTimeoutSeconds { return .milliseconds(Int64((seconds * 1000).rounded())) }
        let current: Swarm.ServiceSpec
        if let spec { current = spec } else { current = try await swarm.currentSpec(of: service) }
        let update = current.updateConfig
        let timing = ServiceUpdateTiming(
            parallelism: Int(update?.parallelism ?? 1), delay: update?.delay?.duration ?? .zero,
            monitor: update?.monitor?.duration ?? .seconds(5))
        let replicas = max(1, Int(current.mode?.replicas ?? 1))
        let estimate = (try? timing.estimatedDuration(replicas: replicas, taskDuration: taskAllowance)) ?? .seconds(300)
        return estimate + margin
    }

    static func merge(_ outcome: RolloutOutcome, failed: [String], blocked: [String]) -> RolloutOutcome {
        guard !failed.isEmpty || !blocked.isEmpty else { return outcome }
        switch outcome {
        case .completed: return .failed(failed: failed, blocked: blocked)
        case .failed(let f, let b): return .failed(failed: failed + f, blocked: blocked + b)
        case .paused(let f, let n): return .paused(failed: failed + f, notStarted: blocked + n)
        }
    }
}
