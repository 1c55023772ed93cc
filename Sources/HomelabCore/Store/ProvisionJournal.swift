import Foundation
import GRDB

/// The durable record of `homelab provision`: per node, each pipeline step's status, written before the step acts
/// (`running`) and when it ends, with every transition logged. Re-running the pipeline for a node reads it and
/// continues after the steps that succeeded; ``reset(node:)`` forgets a node's record.
public struct ProvisionJournal: Sendable {
    let store: StateStore

    /// A step's lifecycle, as persisted.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case pending, running, succeeded, failed
    }

    /// One step as stored.
    public struct Entry: Sendable, Hashable {
        /// The pipeline step (`machine`, `setup:packages`, `join`, ...).
        public var stepID: String
        /// Its position in the pipeline.
        public var position: Int
        public var status: Status
        /// What it did, or why it failed (redacted).
        public var detail: String?
        /// What later steps need from it (the swarm node ID the join made).
        public var payload: String?
        public var updatedAt: Date

        /// An entry; see each property.
        public init(stepID: String, position: Int, status: Status, detail: String? = nil, payload: String? = nil, updatedAt: Date) {
            self.stepID = stepID
            self.position = position
            self.status = status
            self.detail = detail
            self.payload = payload
            self.updatedAt = updatedAt
        }
    }

    /// The node's steps in pipeline order (empty when it was never provisioned).
    /// - Throws: ``HomelabError/Code/storeFailure``.
    public func entries(node: String) async throws -> [Entry] {
        try await store.read("read the provisioning journal of \(node)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM provision_step WHERE node = ? ORDER BY position", arguments: [node]).map(Self.entry)
        }
    }

    /// Every node's steps, by node, each in pipeline order.
    /// - Throws: ``HomelabError/Code/storeFailure``.
    public func allEntries() async throws -> [String: [Entry]] {
        try await store.read("read the provisioning journal") { db in
            var byNode: [String: [Entry]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM provision_step ORDER BY node, position") {
                byNode[row["node"], default: []].append(Self.entry(row))
            }
            return byNode
        }
    }

    static func entry(_ row: Row) -> Entry {
        Entry(
            stepID: row["step_id"], position: row["position"], status: Status(rawValue: row["status"]) ?? .pending,
            detail: row["detail"], payload: row["payload"], updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }

    /// Records `stepID` of `node` as `status` (creating its row), and logs the transition, in one transaction.
    /// - Throws: ``HomelabError/Code/storeFailure``.
    public func record(
        node: String, stepID: String, position: Int, status: Status, detail: String? = nil, payload: String? = nil, now: Date = Date()
    ) async throws {
        let detail = detail.map(Redaction.redactText)
        try await store.write("record step \(stepID) of provisioning \(node)") { db in
            let t = now.timeIntervalSince1970
            try db.execute(
                sql: """
                    INSERT INTO provision_step (node, step_id, position, status, detail, payload, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (node, step_id) DO UPDATE SET position = excluded.position, status = excluded.status,
                    detail = excluded.detail, payload = COALESCE(excluded.payload, provision_step.payload), updated_at = excluded.updated_at
                    """,
                arguments: [node, stepID, position, status.rawValue, detail, payload, t])
            try db.execute(
                sql: "INSERT INTO provision_transition (node, step_id, at, to_status, detail) VALUES (?, ?, ?, ?, ?)",
                arguments: [node, stepID, t, status.rawValue, detail])
        }
    }

    /// The node's transitions, oldest first: `(step, status)` pairs.
    /// - Throws: ``HomelabError/Code/storeFailure``.
    public func transitions(node: String) async throws -> [(stepID: String, status: String)] {
        let rows = try await store.read("read the provisioning transitions of \(node)") { db in
            try Row.fetchAll(db, sql: "SELECT step_id, to_status FROM provision_transition WHERE node = ? ORDER BY id", arguments: [node])
                .map { [$0["step_id"] as String, $0["to_status"] as String] }
        }
        return rows.map { ($0[0], $0[1]) }
    }

    /// Takes the node's provisioning for `owner` (`host:pid`), unless another live process has it: two runs on one
    /// node at once would both act (two joins, two VM clones).
    /// - Throws: `.conflict` naming the owner when a live process provisions the node; ``HomelabError/Code/storeFailure``.
    public func claim(node: String, owner: String, isAlive: @escaping @Sendable (String) -> Bool = JournalOwner.isAlive, now: Date = Date())
        async throws
    {
        try await store.write("claim the provisioning of \(node)") { db in
            let current = try String.fetchOne(db, sql: "SELECT owner FROM provision_owner WHERE node = ?", arguments: [node])
            if let current, current != owner, isAlive(current) {
                throw HomelabError(
                    .conflict, "\(node) is being provisioned by \(current); wait for it, or stop that process first", component: "provision")
            }
            try db.execute(
                sql: """
                    INSERT INTO provision_owner (node, owner, claimed_at) VALUES (?, ?, ?)
                    ON CONFLICT (node) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at
                    """,
                arguments: [node, owner, now.timeIntervalSince1970])
        }
    }

    /// Gives the node's provisioning up, when `owner` has it.
    /// - Throws: ``HomelabError/Code/storeFailure``.
    public func release(node: String, owner: String) async throws {
        try await store.write("release the provisioning of \(node)") { db in
            try db.execute(sql: "DELETE FROM provision_owner WHERE node = ? AND owner = ?", arguments: [node, owner])
        }
    }

    /// Forgets the node's record, so the next run starts from the first step.
    /// - Throws: ``HomelabError/Code/storeFailure``.
    public func reset(node: String) async throws {
        try await store.write("reset the provisioning journal of \(node)") { db in
            try db.execute(sql: "DELETE FROM provision_step WHERE node = ?", arguments: [node])
            try db.execute(sql: "DELETE FROM provision_transition WHERE node = ?", arguments: [node])
        }
    }
}

extension StateStore {
    /// The provisioning journal (``ProvisionJournal``).
    public var provisionJournal: ProvisionJournal { ProvisionJournal(store: self) }
}
