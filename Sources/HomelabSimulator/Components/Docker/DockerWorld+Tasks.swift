import Foundation
import HomelabCore

/// Someone waiting for a task to reach a condition (an updater worker, a DelayStart).
struct TaskWaiter: Sendable {
    let predicate: @Sendable (TaskRecord?) -> Bool
    let continuation: CheckedContinuation<Bool, Never>
}

/// Task lifecycles: what each simulated node agent does with the tasks assigned to it.
extension DockerWorld {
    /// Creates a task of a service in `slot`, placed on `nodeID` (or left pending), and starts its lifecycle.
    /// With `alreadyRunning` the task is created running (a world seeded as if it had been up for a while).
    @discardableResult
    func createTask(
        serviceID: String, slot: SlotKey, desired: Swarm.TaskState, nodeID: String?, alreadyRunning: Bool = false
    ) -> String {
        guard var service = services[serviceID] else { return "" }
        let id = ids.objectID()
        let now = timestamp()
        let spec = service.spec
        var task = Swarm.Task(
            id: id, version: Swarm.ObjectVersion(index: nextIndex()), createdAt: now, updatedAt: now, labels: [:],
            spec: spec.taskTemplate, serviceID: serviceID, nodeID: nodeID,
            status: Swarm.TaskStatus(timestamp: now, state: .new, message: "created", portStatus: Swarm.PortStatus()),
            desiredState: desired, networksAttachments: networkAttachments(for: spec))
        if case .replica(let number) = slot { task.slot = number }
        if alreadyRunning {
            task.status = Swarm.TaskStatus(
                timestamp: now, state: .running, message: "started",
                containerStatus: Swarm.ContainerStatus(containerID: ids.hex64(), pid: 1000 + ids.next(below: 60_000), exitCode: 0),
                portStatus: Swarm.PortStatus())
        }
        tasks[id] = TaskRecord(task: task, slot: slot, endpointSpec: spec.endpointSpec)
        service.taskIDs.append(id)
        services[serviceID] = service
        if desired.rank <= Swarm.TaskState.running.rank { addLoad(nodeID) }
        if !alreadyRunning { scheduleStep(id) }
        return id
    }

    /// Sets what the orchestrator wants of a task, and lets its agent act on it.
    func setDesiredState(_ id: String, _ desired: Swarm.TaskState) {
        guard let record = tasks[id], record.desired != desired else { return }
        mutateTask(id) { $0.task.desiredState = desired }
        let runnable = desired.rank <= Swarm.TaskState.running.rank
        if record.isRunnable, !runnable { releaseLoad(record.nodeID) }
        if !record.isRunnable, runnable { addLoad(record.nodeID) }
        scheduleStep(id)
    }

    /// Moves a task waiting at `ready` on to running (restart delay over, or the old task stopped).
    func startTask(_ id: String) {
        guard let record = tasks[id], record.desired == .ready else { return }
        setDesiredState(id, .running)
    }

    // MARK: - The agent

    /// Schedules the next lifecycle step of a task, replacing any step already scheduled.
    func scheduleStep(_ id: String) {
        guard let record = tasks[id], !record.isTerminal else { return }
        if let node = node(record.nodeID), node.status?.state == .down { return }
        if record.state == .pending, record.nodeID == nil, record.isRunnable, !place(id, serviceID: record.serviceID) {
            return
        }
        guard let record = tasks[id] else { return }
        guard let (state, delay, message, error) = nextStep(record) else {
            if tasks[id]?.step != nil { tasks[id]?.step = nil }
            return
        }
        let token = UUID()
        tasks[id]?.step = token
        schedule(after: delay) { world in world.advance(id, token: token, to: state, message: message, error: error) }
    }

    private func nextStep(_ record: TaskRecord) -> (Swarm.TaskState, Duration, String, String?)? {
        let state = record.state
        if record.desired.rank > Swarm.TaskState.running.rank {
            let delay = state == .running || state == .starting ? timings.stopping : timings.scheduling
            return (.shutdown, delay, "shutdown", nil)
        }
        switch state {
        case .new: return (.pending, timings.scheduling, "pending task scheduling", nil)
        case .pending, .allocated:
            guard record.nodeID != nil else { return nil }
            return (.assigned, timings.scheduling, "scheduler assigned task to node", nil)
        case .assigned: return (.accepted, timings.scheduling, "accepted", nil)
        case .accepted: return (.preparing, timings.scheduling, "preparing", nil)
        case .preparing: return (.ready, timings.preparing, "prepared", nil)
        case .ready:
            guard record.desired == .running else { return nil }
            return (.starting, timings.scheduling, "starting", nil)
        case .starting:
            if Self.isBroken(image: record.task.spec?.containerSpec?.image) {
                return (.failed, timings.failingHealthCheck, "started", "unhealthy container")
            }
            return (.running, timings.starting, "started", nil)
        default: return nil
        }
    }

    /// Whether an image reference's tag contains `broken` (such tasks fail their health check).
    static func isBroken(image: String?) -> Bool {
        guard var reference = image else { return false }
        if let at = reference.firstIndex(of: "@") { reference = String(reference[..<at]) }
        guard let colon = reference.lastIndex(of: ":"), !reference[colon...].contains("/") else { return false }
        return reference[reference.index(after: colon)...].contains("broken")
    }

    /// A scheduled lifecycle step fires: applies it unless the task changed course meanwhile.
    func advance(_ id: String, token: UUID, to state: Swarm.TaskState, message: String, error: String?) {
        guard let record = tasks[id], record.step == token else { return }
        tasks[id]?.step = nil
        transition(id, to: state, message: message, error: error)
        scheduleStep(id)
    }

    /// Records a new observed state for a task and lets everyone who watches tasks react.
    func transition(_ id: String, to state: Swarm.TaskState, message: String, error: String? = nil) {
        guard let before = tasks[id] else { return }
        let now = timestamp()
        mutateTask(id) { record in
            var status = Swarm.TaskStatus(
                timestamp: now, state: state, message: message, err: error,
                containerStatus: record.task.status?.containerStatus, portStatus: Swarm.PortStatus())
            switch state {
            case .starting:
                status.containerStatus = Swarm.ContainerStatus(containerID: ids.hex64(), exitCode: 0)
            case .running:
                status.containerStatus?.pid = 1000 + ids.next(below: 60_000)
            case .failed:
                status.containerStatus?.pid = 0
                status.containerStatus?.exitCode = 1
            case .shutdown, .complete:
                status.containerStatus?.pid = 0
            default: break
            }
            record.task.status = status
        }
        notifyWaiters(id)
        if state == .running || state.rank > Swarm.TaskState.running.rank {
            noteTaskSettled(id, state: state)
        }
        if state.rank > Swarm.TaskState.running.rank {
            restartIfNeeded(id)
            pruneHistory(serviceID: before.serviceID, slot: before.slot)
        }
    }

    /// Makes a task's container exit with an error, as a crash would (the simulator's `kill -9`).
    /// - Throws: ``DockerAPIError`` 404 for an unknown task, 400 for a task that is not running or starting.
    func failTask(_ text: String) throws {
        let id = tasks[text] != nil ? text : tasks.keys.first { $0.hasPrefix(text) && !text.isEmpty } ?? text
        guard let record = tasks[id] else { throw DockerAPIError.notFound("task", text) }
        guard record.state == .running || record.state == .starting else {
            throw DockerAPIError.badRequest("task \(id) is \(record.state), not running")
        }
        tasks[id]?.step = nil
        transition(id, to: .failed, message: "started", error: "task: non-zero exit (137)")
        mutateTask(id) { $0.task.status?.containerStatus?.exitCode = 137 }
    }

    // MARK: - The restart supervisor

    /// Replaces a task that ended while still wanted, as its RestartPolicy says (condition `any` by default,
    /// after `Delay`, 5 s by default).
    func restartIfNeeded(_ id: String) {
        guard let record = tasks[id], record.isRunnable, let service = services[record.serviceID] else { return }
        let policy = service.spec.taskTemplate?.restartPolicy
        let shouldRestart: Bool
        switch policy?.condition ?? .any {
        case .none: shouldRestart = false
        case .onFailure: shouldRestart = record.state != .complete
        default: shouldRestart = true
        }
        let attempts = service.restarts[record.slot] ?? 0
        guard shouldRestart, policy?.maxAttempts.map({ $0 <= 0 || attempts < $0 }) ?? true else { return }
        services[record.serviceID]?.restarts[record.slot] = attempts + 1
        setDesiredState(id, .shutdown)
        let node: String?
        if case .node(let nodeID) = record.slot { node = nodeID } else { node = chooseNode(serviceID: record.serviceID) }
        let replacement = createTask(serviceID: record.serviceID, slot: record.slot, desired: .ready, nodeID: node)
        let delay = policy?.delay.map(\.duration) ?? .seconds(5)
        schedule(after: delay) { world in world.startTask(replacement) }
    }

    /// Drops the oldest finished tasks of a slot beyond the history limit.
    func pruneHistory(serviceID: String, slot: SlotKey) {
        guard let service = services[serviceID] else { return }
        let inSlot = service.taskIDs.filter { tasks[$0]?.slot == slot }
        var excess = inSlot.count - historyLimit
        guard excess > 0 else { return }
        var removed: Set<String> = []
        for id in inSlot where excess > 0 {
            guard let record = tasks[id], record.isTerminal, !record.isRunnable else { continue }
            removed.insert(id)
            excess -= 1
        }
        guard !removed.isEmpty else { return }
        services[serviceID]?.taskIDs.removeAll { removed.contains($0) }
        for id in removed {
            tasks[id] = nil
            notifyWaiters(id)
        }
    }

    // MARK: - Waiting

    /// Waits until `predicate` holds for the task (`nil` once it is gone), or `timeout` (simulated) passes,
    /// or the waiting task is cancelled. Returns whether the condition was met.
    func waitForTask(
        _ id: String, timeout: Duration? = nil, until predicate: @escaping @Sendable (TaskRecord?) -> Bool
    ) async -> Bool {
        if predicate(tasks[id]) { return true }
        if Task.isCancelled || isShutDown { return false }
        let token = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                waiters[id, default: [:]][token] = TaskWaiter(predicate: predicate, continuation: continuation)
                if let timeout {
                    schedule(after: timeout) { world in world.resumeWaiter(id, token, false) }
                }
            }
        } onCancel: {
            Task { await self.resumeWaiter(id, token, false) }
        }
    }

    /// Ends one wait with `result` (once).
    func resumeWaiter(_ taskID: String, _ token: UUID, _ result: Bool) {
        guard let waiter = waiters[taskID]?.removeValue(forKey: token) else { return }
        if waiters[taskID]?.isEmpty == true { waiters[taskID] = nil }
        waiter.continuation.resume(returning: result)
    }

    /// Ends the waits whose condition now holds for the task.
    func notifyWaiters(_ taskID: String) {
        guard let entries = waiters[taskID] else { return }
        let record = tasks[taskID]
        for (token, waiter) in entries where waiter.predicate(record) {
            resumeWaiter(taskID, token, true)
        }
    }
}
