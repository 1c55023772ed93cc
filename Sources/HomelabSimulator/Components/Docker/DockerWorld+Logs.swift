import Foundation
import HomelabCore

/// One line a simulated task's container wrote (the simulator runs no containers; its lines say what it simulates).
struct SimulatedLogLine: Sendable, Hashable {
    /// The task that wrote it.
    var taskID: String
    /// Its service.
    var serviceID: String
    /// The node the task was placed on (empty before placement).
    var nodeID: String
    /// When it was written.
    var time: Date
    /// True for standard error.
    var isStderr: Bool
    /// The text, without the newline.
    var text: String

    /// What identifies the line across polls of a followed log.
    var key: String { "\(taskID) \(isStderr) \(text)" }
}

/// The lines of a log request's tasks, and whether the log is a TTY's (not multiplexed).
struct SimulatedLog: Sendable {
    /// The lines of each task, oldest first, tasks in the service's order.
    var tasks: [[SimulatedLogLine]]
    /// Any task's container has a TTY (`ContainerSpec.TTY`), as the daemon decides the content type.
    var tty: Bool
}

extension DockerWorld {
    /// The log of a service's tasks (`GET /services/{id}/logs`); `nil` once the service is gone.
    /// - Throws: ``DockerAPIError`` 404 for an unknown service (only when `mustExist`).
    func serviceLog(_ text: String, mustExist: Bool = true) throws -> SimulatedLog? {
        let found: String?
        if mustExist { found = try serviceID(for: text) } else { found = try? serviceID(for: text) }
        guard let id = found, let service = services[id] else { return nil }
        let lines = service.taskIDs.compactMap { tasks[$0] }.map(logLines)
        return SimulatedLog(tasks: lines, tty: service.spec.taskTemplate?.containerSpec?.tty ?? false)
    }

    /// The log of one task (`GET /tasks/{id}/logs`); `nil` once the task is gone.
    /// - Throws: ``DockerAPIError`` 404 for an unknown task (only when `mustExist`).
    func taskLog(_ text: String, mustExist: Bool = true) throws -> SimulatedLog? {
        guard let record = tasks[text] ?? tasks.first(where: { $0.key.hasPrefix(text) && !text.isEmpty })?.value else {
            if mustExist { throw DockerAPIError.notFound("task", text) }
            return nil
        }
        return SimulatedLog(tasks: [logLines(record)], tty: record.task.spec?.containerSpec?.tty ?? false)
    }

    /// What a task "wrote": that it runs its image (when created), then that it is healthy (when running) or why it
    /// stopped (when it ended; a failure on standard error).
    private func logLines(_ record: TaskRecord) -> [SimulatedLogLine] {
        let image = record.task.spec?.containerSpec?.image ?? "?"
        let created = Self.date(record.task.createdAt) ?? clock.now()
        func line(_ time: Date, _ text: String, stderr: Bool = false) -> SimulatedLogLine {
            SimulatedLogLine(
                taskID: record.id, serviceID: record.serviceID, nodeID: record.nodeID ?? "", time: time, isStderr: stderr,
                text: "homelab-sim: " + text)
        }
        var lines = [line(created, "task \(record.id) of \(services[record.serviceID]?.name ?? record.serviceID) runs \(image)")]
        guard record.state.rank >= Swarm.TaskState.running.rank else { return lines }
        let changed = max(created, Self.date(record.task.status?.timestamp) ?? created)
        switch record.state {
        case .running: lines.append(line(changed, "healthy"))
        case .failed, .rejected:
            lines.append(line(changed, "failed: \(record.task.status?.err ?? record.state.rawValue)", stderr: true))
        default: lines.append(line(changed, "stopped: \(record.task.status?.err ?? record.state.rawValue)"))
        }
        return lines
    }

    /// A timestamp the world wrote (``DockerJSON/timestamp(_:)``) read back.
    private static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text)
    }
}
