import Foundation
import Logging

extension KomodoClient {
    /// Updates: the record of every action, newest first.
    public var updates: Updates { Updates(client: self) }
    /// Alerts, newest first.
    public var alerts: Alerts { Alerts(client: self) }

    /// `client.updates`.
    public struct Updates: Sendable {
        let client: KomodoClient

        /// Updates newest first, 100 a page, following `next_page` (`ListUpdates`); `target` narrows them to one
        /// resource (`Komodo.ResourceTarget(type: "Stack", id: ...)`). Iterate only as far as needed.
        public func list(target: Komodo.ResourceTarget? = nil, logger: Logger? = nil) -> PagedSequence<Komodo.UpdateListItem> {
            struct Answer: Decodable, Sendable {
                var updates: [Komodo.UpdateListItem]
                var nextPage: Int64?
            }
            let query: [String: JSONValue]? = target.map { ["target.type": .string($0.type), "target.id": .string($0.id)] }
            return client.nextPages("ListUpdates", query: query, as: Answer.self, logger: logger) { ($0.updates, $0.nextPage) }
        }

        /// One update, whole: logs and the commit hash it deployed (`GetUpdate`).
        /// - Throws: ``HomelabError`` (`.notFound` for an unknown ID).
        public func get(_ id: String, logger: Logger? = nil) async throws -> Komodo.Update {
            try await client.read("GetUpdate", ["id": try client.name(id, "update")], as: Komodo.Update.self, logger: logger)
        }

        /// The newest `limit` updates of stack `stack` (name or ID), whole: their times, success and the commit hash
        /// each deployed (what `homelab trace` follows).
        /// - Throws: ``HomelabError`` (`.notFound` for an unknown stack).
        public func forStack(_ stack: String, limit: Int = 10, logger: Logger? = nil) async throws -> [Komodo.Update] {
            guard let id = try await client.stacks.get(stack, logger: logger).id else { return [] }
            var items: [Komodo.UpdateListItem] = []
            for try await item in list(target: Komodo.ResourceTarget(type: "Stack", id: id), logger: logger) {
                items.append(item)
                if items.count >= limit { break }
            }
            var updates: [Komodo.Update] = []
            for item in items { updates.append(try await get(item.id, logger: logger)) }
            return updates
        }
    }

    /// `client.alerts`.
    public struct Alerts: Sendable {
        let client: KomodoClient

        /// Alerts newest first, following `next_page` (`ListAlerts`); `unresolvedOnly` asks for open ones.
        public func list(unresolvedOnly: Bool = false, logger: Logger? = nil) -> PagedSequence<Komodo.Alert> {
            struct Answer: Decodable, Sendable {
                var alerts: [Komodo.Alert]
                var nextPage: Int64?
            }
            let query: [String: JSONValue]? = unresolvedOnly ? ["resolved": .bool(false)] : nil
            return client.nextPages("ListAlerts", query: query, as: Answer.self, logger: logger) { ($0.alerts, $0.nextPage) }
        }
    }

    /// Polls `GetUpdate` until `update` completes (or `timeout` passes), calling `progress` with each new look;
    /// returns the completed update with its logs. A completed update that failed is returned, not thrown: its
    /// `success` is false and ``Komodo/Update/failureText`` says why.
    /// - Throws: ``HomelabError/Code/timedOut`` naming the operation when the deadline passes first; errors of
    ///   `GetUpdate`.
    public func waitForUpdate(
        _ update: Komodo.Update, timeout: Duration = .seconds(600),
        progress: (@Sendable (Komodo.Update) async -> Void)? = nil, logger: Logger? = nil
    ) async throws -> Komodo.Update {
        if update.isComplete { return update }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var lastSeen: (Komodo.UpdateStatus, Int) = (update.status, update.logs.count)
        return try await poll(
            "Komodo update \(update.id) (\(update.operation))", component: "komodo", every: pollSchedule, deadline: deadline, clock: clock
        ) {
            let current = try await updates.get(update.id, logger: logger)
            if (current.status, current.logs.count) != lastSeen {
                lastSeen = (current.status, current.logs.count)
                await progress?(current)
            }
            return current.isComplete ? current : nil
        }
    }
}
