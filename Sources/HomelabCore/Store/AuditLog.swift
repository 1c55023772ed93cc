import Foundation
import GRDB

/// How a mutating operation ended, as written in the audit log.
///
/// A string-backed value rather than a closed enum, so entries written by a newer version of the
/// tool still read back.
public struct AuditOutcome: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The stored text, e.g. `succeeded`.
    public let rawValue: String
    /// Wraps a stored outcome text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The operation was started; a later entry tells how it ended.
    public static let started = AuditOutcome(rawValue: "started")
    /// The operation completed.
    public static let succeeded = AuditOutcome(rawValue: "succeeded")
    /// The operation failed; `detail` says why.
    public static let failed = AuditOutcome(rawValue: "failed")
    /// The operation was cancelled before it completed.
    public static let cancelled = AuditOutcome(rawValue: "cancelled")
    /// The operation was only planned (dry run); nothing changed.
    public static let dryRun = AuditOutcome(rawValue: "dry-run")

    /// The stored text.
    public var description: String { rawValue }
}

/// One audit log line: who changed what, where, and how it ended.
public struct AuditEntry: Hashable, Sendable {
    /// The row id, assigned by the store; `nil` for an entry not yet recorded.
    public var id: Int64?
    /// When the operation happened.
    public var timestamp: Date
    /// Who performed it: the login name or service account.
    public var user: String
    /// The homelab component it touched (`docker`, `truenas`, `proxmox`, ...).
    public var component: String
    /// The operation, e.g. `service.update`.
    public var operation: String
    /// What it acted on, e.g. a service name or dataset path (redacted like a URL when recorded).
    public var target: String
    /// How it ended.
    public var outcome: AuditOutcome
    /// Free text (an error, a diff summary). Secrets are masked when the entry is recorded.
    public var detail: String?

    /// Creates an entry; `timestamp` defaults to now.
    public init(
        timestamp: Date = Date(), user: String, component: String, operation: String, target: String,
        outcome: AuditOutcome, detail: String? = nil
    ) {
        self.id = nil
        self.timestamp = timestamp
        self.user = user
        self.component = component
        self.operation = operation
        self.target = target
        self.outcome = outcome
        self.detail = detail
    }
}

/// The append-only record of mutating operations, kept in the ``StateStore``.
public struct AuditLog: Sendable {
    let store: StateStore

    /// Appends `entry` and returns it with its assigned ``AuditEntry/id``.
    ///
    /// `detail` goes through ``Redaction/redactText(_:)`` and `target` through
    /// ``Redaction/redactURL(_:)`` before it is written, so a registered secret never reaches disk.
    /// - Throws: ``HomelabError`` `.storeFailure` when the write fails (after waiting up to
    ///   ``StateStore/busyTimeout`` for another writer).
    @discardableResult
    public func record(_ entry: AuditEntry) async throws -> AuditEntry {
        var stored = entry
        stored.target = Redaction.redactURL(entry.target)
        stored.detail = entry.detail.map { Redaction.redactText($0) }
        let row = stored
        let id = try await store.write("record an audit entry") { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_log (timestamp, user, component, operation, target, outcome, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    row.timestamp.timeIntervalSince1970, row.user, row.component, row.operation, row.target,
                    row.outcome.rawValue, row.detail,
                ])
            return db.lastInsertedRowID
        }
        stored.id = id
        return stored
    }

    /// The most recent entries, newest first, optionally only those of one component.
    /// - Parameter limit: at most this many entries (values below 1 give none).
    /// - Throws: ``HomelabError`` `.storeFailure` when the read fails.
    public func entries(limit: Int = 100, component: String? = nil) async throws -> [AuditEntry] {
        guard limit > 0 else { return [] }
        return try await store.read("read the audit log") { db in
            var sql = "SELECT id, timestamp, user, component, operation, target, outcome, detail FROM audit_log"
            var arguments: StatementArguments = []
            if let component {
                sql += " WHERE component = ?"
                arguments += [component]
            }
            sql += " ORDER BY id DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.entry(from:))
        }
    }

    /// How many entries the log holds, optionally only those of one component.
    /// - Throws: ``HomelabError`` `.storeFailure` when the read fails.
    public func count(component: String? = nil) async throws -> Int {
        try await store.read("count audit entries") { db in
            if let component {
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log WHERE component = ?", arguments: [component]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0
        }
    }

    /// Reads a row leniently: a value of an unexpected type (another tool wrote the file) becomes
    /// empty rather than trapping, as GRDB's non-throwing subscripts would.
    private static func entry(from row: Row) -> AuditEntry {
        func text(_ column: String) -> String? { String.fromDatabaseValue(row[column] as DatabaseValue) }
        var entry = AuditEntry(
            timestamp: Date(timeIntervalSince1970: Double.fromDatabaseValue(row["timestamp"] as DatabaseValue) ?? 0),
            user: text("user") ?? "",
            component: text("component") ?? "",
            operation: text("operation") ?? "",
            target: text("target") ?? "",
            outcome: AuditOutcome(rawValue: text("outcome") ?? ""),
            detail: text("detail"))
        entry.id = Int64.fromDatabaseValue(row["id"] as DatabaseValue)
        return entry
    }
}
