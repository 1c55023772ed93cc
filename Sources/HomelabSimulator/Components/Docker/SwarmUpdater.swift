import HomelabCore

/// Drives one rolling update (or rollback) of one service, as swarmkit's `Updater.Run` does: a pool of
/// `Parallelism` workers takes the dirty slots in order (a sliding window, no batch barrier), each worker
/// sleeping `Delay` after every slot; dispatching stops when the failure action fires; after the last slot
/// the monitor window (`Monitor`, or `Delay + 1s` when Delay ≥ Monitor) passes before the update completes.
///
/// The bookkeeping (failure counting, status) lives in ``DockerWorld``; this type only waits and dispatches.
struct SwarmUpdater: Sendable {
    let world: DockerWorld
    let serviceID: String
    let runID: Int
    let slots: [SlotKey]
    let config: EffectiveUpdateConfig
    let clock: SimulatedClock

    /// Runs the update to its end: completed, stopped by a failure, or cancelled by a newer spec.
    func run() async {
        let parallelism = config.parallelism == 0 ? slots.count : min(config.parallelism, slots.count)
        await withTaskGroup(of: Int.self) { group in
            var freeWorkers = Array((1...max(1, parallelism)).reversed())
            for slot in slots {
                if freeWorkers.isEmpty, let worker = await group.next() { freeWorkers.append(worker) }
                guard !Task.isCancelled, await world.isDispatching(serviceID, runID: runID), let worker = freeWorkers.popLast()
                else { break }
                group.addTask {
                    await update(slot, worker: worker)
                    return worker
                }
            }
            await group.waitForAll()
        }
        guard !Task.isCancelled, await world.isDispatching(serviceID, runID: runID) else {
            await world.finishRun(serviceID, runID: runID)
            return
        }
        let window = config.delay >= config.monitor ? config.delay + .seconds(1) : config.monitor
        do {
            try await clock.sleep(for: window)
        } catch {
            return
        }
        await world.completeUpdate(serviceID, runID: runID)
        await world.finishRun(serviceID, runID: runID)
    }

    /// One worker's turn at one slot, then its Delay.
    private func update(_ slot: SlotKey, worker: Int) async {
        guard let work = await world.beginSlot(serviceID, runID: runID, slot: slot, worker: worker) else { return }
        var outcome = "reused"
        if case .created(let new, let old) = work {
            if config.order != .startFirst {
                // swarmkit's DelayStart: the new task starts once the old ones stopped, or after a minute.
                for id in old {
                    _ = await world.waitForTask(id, timeout: .seconds(60)) { $0.map(\.isTerminal) ?? true }
                }
                guard !Task.isCancelled else { return }
                await world.startTask(new)
            }
            // No timeout, as in swarmkit: a task that fails also ends the wait.
            let settled = await world.waitForTask(new) { $0.map { $0.state.rank >= Swarm.TaskState.running.rank } ?? true }
            guard settled, !Task.isCancelled else { return }
            let state = await world.taskState(new)
            if config.order == .startFirst, state == .running { await world.shutDown(old) }
            outcome = state?.rawValue ?? "removed"
        }
        await world.finishSlot(serviceID, runID: runID, slot: slot, worker: worker, taskState: outcome)
        try? await clock.sleep(for: config.delay)
    }
}
