/// The docker CLI's convergence rules (`cli/command/service/progress`) as a value type, free of I/O.
///
/// Each poll feeds it the service, then (unless that already decided) the service's up-to-date tasks and the
/// nodes. It counts, per slot (replicated) or per node (global), the task with the lowest desired state, ignores
/// tasks on down nodes and in states it does not know, and calls the service converged when the tasks running
/// with a non-terminal desired state equal the replicas (or the nodes with tasks, in global mode). Converged must
/// then hold for the update config's `Monitor` (5 s by default) without a regression before it reports success.
/// An update status of `paused` or `rollback_paused` ends the wait at once, `completed` ends it when the tasks
/// are not (yet) seen converged, as the CLI does.
struct ConvergenceTracker: Sendable {
    private(set) var monitor: Duration = .seconds(5)
    private(set) var rollback = false
    private(set) var converged = false
    private(set) var convergedAt: Duration?
    private var rollbackMessage: String?

    /// What the service's update status decides, before tasks are looked at; `nil` means keep counting.
    /// - Parameter elapsed: time since the wait began, on the caller's clock.
    mutating func observe(service: Swarm.Service, elapsed: Duration) -> Swarm.ConvergenceOutcome? {
        if let monitor = service.spec?.updateConfig?.monitor, monitor.nanoseconds != 0 {
            self.monitor = monitor.duration
        }
        if let status = service.updateStatus, let state = status.state {
            let message = status.message ?? ""
            switch state {
            case .updating:
                rollback = false
            case .completed:
                if !converged { return .completed }
            case .paused:
                return .paused(message: message)
            case .rollbackStarted:
                rollback = true
            case .rollbackPaused:
                return .rollbackPaused(message: message)
            case .rollbackCompleted:
                if !converged { rollbackMessage = message }
                rollback = true
            case .unknown:
                break
            }
        }
        if converged, let convergedAt, elapsed - convergedAt >= monitor {
            return rollback ? .rollbackCompleted(message: rollbackMessage ?? "rollback converged") : .completed
        }
        return nil
    }

    /// Counts the tasks and updates the converged state.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for job-mode services (they run to completion instead) and
    ///   replicated services without a replica count.
    mutating func observe(
        tasks: [Swarm.Task], nodes: [Swarm.Node], service: Swarm.Service, elapsed: Duration
    ) throws -> Swarm.ConvergenceProgress {
        let activeNodes = Set(nodes.compactMap { node -> String? in node.status?.state == .down ? nil : node.id })
        let running: Int
        let desired: Int
        switch service.spec?.mode {
        case .replicated(let replicas)?:
            guard let replicas else {
                throw HomelabError(
                    .invalidArgument, "service \(service.id ?? "?") has no replica count", component: "docker")
            }
            let slots = Self.lowestDesiredState(tasks) { task -> String? in
                if let node = task.nodeID, !node.isEmpty, !activeNodes.contains(node) { return nil }
                return String(task.slot ?? 0)
            }
            running = slots.values.filter(Self.isRunning).count
            desired = Int(clamping: replicas)
        case .global?:
            let perNode = Self.lowestDesiredState(tasks) { task -> String? in
                guard let node = task.nodeID, activeNodes.contains(node) else { return nil }
                return node
            }
            running = perNode.values.filter(Self.isRunning).count
            desired = perNode.count
        default:
            throw HomelabError(
                .invalidArgument,
                "waiting for convergence applies to replicated and global services, not to \(service.spec?.mode.map { "\($0)" } ?? "a service without a mode")",
                component: "docker")
        }
        // Global mode learns the node count from the tasks themselves, so none at all is not converged.
        let nowConverged = running == desired && (desired > 0 || service.spec?.mode != .global)
        var phase: Swarm.ConvergenceProgress.Phase
        if nowConverged {
            let since = convergedAt ?? elapsed
            convergedAt = since
            let remaining = monitor - (elapsed - since)
            phase = .verifying(remaining: remaining > .zero ? remaining : .zero)
        } else {
            phase = convergedAt == nil ? .converging : .regressed
            convergedAt = nil
        }
        converged = nowConverged
        return Swarm.ConvergenceProgress(
            running: running, desired: desired, updateState: service.updateStatus?.state,
            updateMessage: service.updateStatus?.message, isRollback: rollback, phase: phase)
    }

    /// The CLI's ordering of task states; states it does not order (remove, orphaned, unknown) are 0 and skipped.
    static func rank(_ state: Swarm.TaskState?) -> Int {
        guard let state, let index = Swarm.TaskState.knownCases.firstIndex(of: state), index < 13 else { return 0 }
        return index + 1
    }

    static func isRunning(_ task: Swarm.Task) -> Bool {
        rank(task.desiredState) <= rank(.running) && task.status?.state == .running
    }

    /// One task per key: the one with the lowest desired state, ties broken by the lower observed state.
    static func lowestDesiredState(_ tasks: [Swarm.Task], key: (Swarm.Task) -> String?) -> [String: Swarm.Task] {
        var chosen: [String: Swarm.Task] = [:]
        for task in tasks {
            let desired = rank(task.desiredState), observed = rank(task.status?.state)
            guard desired != 0, observed != 0, let key = key(task) else { continue }
            if let existing = chosen[key] {
                let existingDesired = rank(existing.desiredState)
                if existingDesired < desired { continue }
                if existingDesired == desired, rank(existing.status?.state) <= observed { continue }
            }
            chosen[key] = task
        }
        return chosen
    }
}
