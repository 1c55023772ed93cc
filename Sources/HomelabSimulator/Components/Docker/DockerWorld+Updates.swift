import Foundation
import HomelabCore

/// What a worker found in a slot it was handed.
enum SlotWork: Sendable {
    /// The slot already had a clean task; the others in it were told to stop.
    case reused
    /// A new task was created; `old` are the tasks it replaces.
    case created(new: String, old: [String])
}

/// The update supervisor and the updater's bookkeeping (swarmkit `orchestrator/update/updater.go`): which
/// slots are dirty, which failures count, what the failure action does, and UpdateStatus transitions.
extension DockerWorld {
    /// Starts an updater for the service unless one already runs towards the same spec; a different spec
    /// cancels the running one first.
    func superviseUpdate(_ id: String) {
        guard let record = services[id] else { return }
        if let run = runs[id] {
            if run.spec == record.spec, !run.stopped { return }
            cancelRun(id)
        }
        startRun(id)
    }

    /// Stops the service's updater, if any.
    func cancelRun(_ id: String) {
        guard let run = runs.removeValue(forKey: id) else { return }
        run.driver?.cancel()
        journal(id, run: run.id, .cancelled)
    }

    private func startRun(_ id: String) {
        guard let record = services[id], !isShutDown else { return }
        let state = record.service.updateStatus?.state
        if state == .paused || state == .rollbackPaused { return }
        let slots = dirtySlots(id)
        let runID = (runCounts[id] ?? 0) + 1
        guard !slots.isEmpty else {
            if state == .updating || state == .rollbackStarted {
                runCounts[id] = runID
                setUpdateStatus(id, run: runID, state == .rollbackStarted ? .rollbackCompleted : .completed, completed: true)
            }
            return
        }
        runCounts[id] = runID
        if state != .updating, state != .rollbackStarted {
            setUpdateStatus(id, run: runID, .updating, message: "update in progress", startedNow: true)
        }
        let isRollback = services[id]?.service.updateStatus?.state == .rollbackStarted
        let spec = record.spec
        let config = EffectiveUpdateConfig(isRollback ? spec.rollbackConfig : spec.updateConfig)
        let parallelism = config.parallelism == 0 ? slots.count : min(config.parallelism, slots.count)
        journal(id, run: runID, .started(rollback: isRollback, slots: slots.count, parallelism: parallelism))
        runs[id] = UpdateRun(id: runID, serviceID: id, isRollback: isRollback, spec: spec, config: config, slots: slots)
        let updater = SwarmUpdater(world: self, serviceID: id, runID: runID, slots: slots, config: config, clock: clock)
        runs[id]?.driver = Task { await updater.run() }
    }

    /// Slots holding more than one runnable task, or one dirty task, in slot order.
    func dirtySlots(_ id: String) -> [SlotKey] {
        guard let record = services[id] else { return [] }
        var bySlot: [SlotKey: [TaskRecord]] = [:]
        for taskID in record.taskIDs {
            if let task = tasks[taskID], task.isRunnable { bySlot[task.slot, default: []].append(task) }
        }
        return bySlot.filter { $0.value.count > 1 || $0.value.contains { isDirty($0, of: record) } }.keys.sorted()
    }

    /// Whether a task no longer matches its service's spec (swarmkit's `IsTaskDirty`): a changed task template or
    /// endpoint, except a change of placement alone that the task's node still satisfies.
    func isDirty(_ task: TaskRecord, of service: ServiceRecord) -> Bool {
        let spec = service.spec
        if task.endpointSpec != spec.endpointSpec { return true }
        guard var ours = task.task.spec, var current = spec.taskTemplate else { return task.task.spec != spec.taskTemplate }
        if ours == current { return false }
        guard ours.placement != current.placement else { return true }
        ours.placement = nil
        current.placement = nil
        guard ours == current, let node = node(task.nodeID),
            let constraints = try? PlacementConstraint.all(spec.taskTemplate?.placement)
        else { return true }
        return !constraints.allSatisfy { $0.isSatisfied(by: node) }
    }

    // MARK: - Called by the updater

    /// Whether the run is still the service's current one and may dispatch more slots.
    func isDispatching(_ id: String, runID: Int) -> Bool {
        guard let run = runs[id], run.id == runID else { return false }
        return !run.stopped && !isShutDown
    }

    /// A worker takes a slot: reuses a clean task in it, or creates the replacement (stop-first: after telling
    /// the old tasks to stop; start-first: starting at once). `nil` when the run is no longer current.
    func beginSlot(_ id: String, runID: Int, slot: SlotKey, worker: Int) -> SlotWork? {
        guard var run = runs[id], run.id == runID, !run.stopped, let record = services[id] else { return nil }
        run.inFlight += 1
        runs[id] = run
        journal(id, run: runID, .slotStarted(slot: slot.description, worker: worker, inFlight: run.inFlight))
        let inSlot = record.taskIDs.compactMap { tasks[$0] }.filter { $0.isRunnable && $0.slot == slot }
        if let clean = inSlot.first(where: { !isDirty($0, of: record) && $0.desired.rank <= Swarm.TaskState.running.rank }) {
            for other in inSlot where other.id != clean.id { setDesiredState(other.id, .shutdown) }
            return .reused
        }
        if inSlot.isEmpty { return .reused }
        let startFirst = run.config.order == .startFirst
        if !startFirst {
            for old in inSlot { setDesiredState(old.id, .shutdown) }
        }
        let node: String?
        if case .node(let nodeID) = slot { node = nodeID } else { node = chooseNode(serviceID: id) }
        let new = createTask(serviceID: id, slot: slot, desired: startFirst ? .running : .ready, nodeID: node)
        runs[id]?.updatedTasks[new] = .some(nil)
        return .created(new: new, old: inSlot.map(\.id))
    }

    /// A worker is done with a slot (before its Delay).
    func finishSlot(_ id: String, runID: Int, slot: SlotKey, worker: Int, taskState: String) {
        guard var run = runs[id], run.id == runID else { return }
        run.inFlight -= 1
        runs[id] = run
        journal(id, run: runID, .slotFinished(slot: slot.description, worker: worker, taskState: taskState))
    }

    /// The observed state of a task, if it still exists.
    func taskState(_ id: String) -> Swarm.TaskState? { tasks[id]?.state }

    /// Tells tasks to stop (start-first: the old tasks once the new one runs).
    func shutDown(_ ids: [String]) {
        for id in ids { setDesiredState(id, .shutdown) }
    }

    /// Every slot is done and the monitor window passed without the run being stopped: COMPLETED or
    /// ROLLBACK_COMPLETED.
    func completeUpdate(_ id: String, runID: Int) {
        guard let run = runs[id], run.id == runID, !run.stopped else { return }
        runs[id] = nil
        let rollback = services[id]?.service.updateStatus?.state == .rollbackStarted || run.isRollback
        setUpdateStatus(id, run: runID, rollback ? .rollbackCompleted : .completed, completed: true)
    }

    /// The updater's driver ended (stopped or cancelled): forget the run if it is still the current one.
    func finishRun(_ id: String, runID: Int) {
        if runs[id]?.id == runID { runs[id] = nil }
    }

    // MARK: - Failures

    /// A task reached running or stopped: if this update created it, note when, and count a failure that
    /// happened before running or within the monitor window; act when the ratio is exceeded.
    func noteTaskSettled(_ taskID: String, state: Swarm.TaskState) {
        guard let serviceID = tasks[taskID]?.serviceID, let run = runs[serviceID], let reached = run.updatedTasks[taskID]
        else { return }
        let now = ContinuousClock.now
        if reached == nil { runs[serviceID]?.updatedTasks[taskID] = .some(now) }
        let since = reached ?? now
        guard state.rank > Swarm.TaskState.running.rank, run.watchesFailures, !run.counted.contains(taskID),
            now - since <= clock.real(run.config.monitor)
        else { return }
        let failures = run.failures + 1
        runs[serviceID]?.counted.insert(taskID)
        runs[serviceID]?.failures = failures
        journal(serviceID, run: run.id, .failureCounted(task: taskID, failures: failures))
        guard Double(failures) / Double(max(1, run.slots.count)) > run.config.maxFailureRatio, !run.stopped else { return }
        runs[serviceID]?.stopped = true
        let rollingBack = services[serviceID]?.service.updateStatus?.state == .rollbackStarted
        switch run.config.failureAction {
        case .rollback where rollingBack:
            setUpdateStatus(
                serviceID, run: run.id, .rollbackPaused, message: "rollback paused due to failure or early termination of task \(taskID)")
        case .rollback:
            rollBackAfterFailure(serviceID, run: run.id, message: "update rolled back due to failure or early termination of task \(taskID)")
        default:
            setUpdateStatus(
                serviceID, run: run.id, rollingBack ? .rollbackPaused : .paused,
                message: "update paused due to failure or early termination of task \(taskID)")
        }
    }

    /// The `rollback` failure action: the previous spec comes back (and is then forgotten), the state becomes
    /// ROLLBACK_STARTED, and the supervisor starts a rollback run under the restored spec's RollbackConfig.
    private func rollBackAfterFailure(_ id: String, run: Int, message: String) {
        guard let previous = services[id]?.service.previousSpec else {
            setUpdateStatus(id, run: run, .paused, message: message + " (no previous spec to roll back to)")
            return
        }
        mutateService(id) { record in
            record.service.spec = previous
            record.service.previousSpec = nil
            record.service.updateStatus?.state = .rollbackStarted
            record.service.updateStatus?.message = message
            record.service.endpoint?.spec = previous.endpointSpec
            record.restarts = [:]
        }
        journal(id, run: run, .status(state: .rollbackStarted, message: message))
        reconcile(id)
        superviseUpdate(id)
    }

    /// Sets the service's UpdateStatus (and journals it).
    func setUpdateStatus(
        _ id: String, run: Int, _ state: Swarm.UpdateState, message: String? = nil, startedNow: Bool = false, completed: Bool = false
    ) {
        let text: String
        switch state {
        case .completed: text = message ?? "update completed"
        case .rollbackCompleted: text = message ?? "rollback completed"
        default: text = message ?? ""
        }
        let now = timestamp()
        mutateService(id) { record in
            var status = record.service.updateStatus ?? Swarm.UpdateStatus()
            status.state = state
            status.message = text
            if startedNow || status.startedAt == nil { status.startedAt = now }
            status.completedAt = completed ? now : nil
            record.service.updateStatus = status
        }
        journal(id, run: run, .status(state: state, message: text))
    }
}
