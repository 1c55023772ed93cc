import Foundation
import Logging

extension ProxmoxClient {
    /// Tasks: lists, status, logs, waiting.
    public var tasks: Tasks { Tasks(client: self) }

    /// Asynchronous tasks (`/nodes/{node}/tasks`).
    public struct Tasks: Sendable {
        let client: ProxmoxClient

        /// The node's recent tasks, newest first, fetched `pageSize` at a time (`start`/`limit`).
        public func list(node: String, pageSize: Int = 50, vmid: Int? = nil, logger: Logger? = nil) -> PagedSequence<Proxmox.TaskStatus> {
            let client = self.client
            return PagedSequence.offsets(limit: pageSize, component: "proxmox") { offset, limit in
                var query = [("start", String(offset)), ("limit", String(limit))]
                if let vmid { query.append(("vmid", String(vmid))) }
                return try await client.data(
                    [Proxmox.TaskStatus].self, try client.nodePath(node) + "/tasks", query: query, logger: logger)
            }
        }

        /// A task's state (`GET /nodes/{node}/tasks/{upid}/status`; the UPID is percent-encoded).
        /// - Throws: ``HomelabError``.
        public func status(_ upid: Proxmox.UPID, logger: Logger? = nil) async throws -> Proxmox.TaskStatus {
            try await client.data(Proxmox.TaskStatus.self, try path(upid) + "/status", logger: logger)
        }

        /// Lines of a task's log from line `start` (0-based), at most `limit`.
        /// - Throws: ``HomelabError``.
        public func log(_ upid: Proxmox.UPID, start: Int = 0, limit: Int = 50, logger: Logger? = nil) async throws -> [Proxmox.TaskLogLine] {
            try await client.data(
                [Proxmox.TaskLogLine].self, try path(upid) + "/log", query: [("start", String(start)), ("limit", String(limit))],
                logger: logger)
        }

        /// Waits until the task stops, polling its status (200 ms, growing to 2 s).
        /// - Returns: the final status: `OK`, or `WARNINGS: n` (both success).
        /// - Throws: ``HomelabError/Code/commandFailed`` with the exit status and the last lines of the task log
        ///   when it failed; `.timedOut` after `timeout`; `.cancelled`.
        @discardableResult
        public func wait(
            _ upid: Proxmox.UPID, timeout: Duration = .seconds(300),
            every schedule: PollSchedule = PollSchedule(initial: .milliseconds(200), maximum: .seconds(2)), logger: Logger? = nil
        ) async throws -> Proxmox.TaskStatus {
            let clock = ContinuousClock()
            let status = try await poll(
                "task \(upid.type) \(upid.id) on \(upid.node)", component: "proxmox", every: schedule, deadline: clock.now + timeout,
                clock: clock
            ) { () -> Proxmox.TaskStatus? in
                let status = try await self.status(upid, logger: logger)
                return status.status == .running ? nil : status
            }
            if status.succeeded { return status }
            let tail = (try? await self.tail(upid, lines: 8, logger: logger)) ?? []
            let exit = status.exitstatus ?? "no exit status"
            throw HomelabError(
                .commandFailed,
                "task \(upid.type)\(upid.id.isEmpty ? "" : " of \(upid.id)") on \(upid.node) failed: \(exit)", component: "proxmox",
                serverMessage: tail.isEmpty ? nil : tail.joined(separator: " | "))
        }

        /// The last `lines` lines of a task's log.
        func tail(_ upid: Proxmox.UPID, lines: Int, logger: Logger?) async throws -> [String] {
            let all = try await log(upid, start: 0, limit: 5000, logger: logger)
            return all.suffix(lines).map(\.t)
        }

        private func path(_ upid: Proxmox.UPID) throws -> String {
            try client.nodePath(upid.node) + "/tasks/" + upid.rawValue.percentEncodedQueryComponent
        }
    }
}
