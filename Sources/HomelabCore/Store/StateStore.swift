import Foundation
import GRDB
import Logging

/// The homelab's local SQLite state: audit log now, rollout journal and caches later.
///
/// One file (by default `$XDG_STATE_HOME/homelab/state.sqlite`, see ``defaultPath(environment:)``)
/// in WAL mode, so readers never block the writer. Several processes may use it at once (the CLI,
/// the exporter, a REPL): each write is an immediate transaction and a busy writer waits up to
/// ``busyTimeout`` for the lock instead of failing, so no write is lost.
///
/// The schema is versioned: opening the store applies any migration it has not seen yet.
public final class StateStore: Sendable {
    /// How long a write waits for another connection or process holding the write lock.
    public static let busyTimeout: TimeInterval = 10

    /// The file this store reads and writes.
    public let path: String

    /// Owns the SQLite connections; GRDB's pool is thread-safe.
    let pool: DatabasePool
    let logger: Logger

    /// Opens (creating if needed) the store at `path`, then applies pending migrations.
    ///
    /// Creates the parent folder with mode 0700 when it is missing (an existing folder is left as it is).
    /// Blocks while migrating, up to ``busyTimeout`` if another process holds the write lock.
    /// - Throws: ``HomelabError`` `.storeFailure` naming the path when the folder cannot be created,
    ///   the file is not an SQLite database, or a migration fails.
    public init(path: String, logger: Logger = Logger(label: "homelab.store")) throws {
        self.path = path
        self.logger = logger
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw HomelabError(
                    .storeFailure, "cannot create the state store folder \(folder)",
                    component: "store", underlying: error)
            }
        }

        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "homelab.state"
        // Stores of this process open one at a time: two connections of one process turning a fresh file to WAL
        // (which needs the exclusive lock) while each holds a shared lock can wait for each other until the busy
        // timeout (seen in CI: four stores opening one fresh file at once). Other processes are the busy timeout's
        // and the retry's business.
        pool = try Self.opening.withLock { _ in
            var attempt = 0
            while true {
                attempt += 1
                do {
                    let pool = try DatabasePool(path: path, configuration: configuration)
                    // Force a read of the schema: a file that is not SQLite fails here, not at first use.
                    _ = try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA schema_version") }
                    return pool
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 3 {
                    logger.debug("state store busy while opening, retrying", metadata: ["path": "\(path)", "attempt": "\(attempt)"])
                } catch {
                    throw HomelabError(
                        .storeFailure, "cannot open the state store at \(path)", component: "store", underlying: error)
                }
            }
        }
        try Self.opening.withLock { _ in try migrate() }
    }

    /// Held while a store of this process opens its file and migrates it.
    private static let opening = Locked(())

    /// Applies pending migrations. A second process migrating the same fresh file at the same
    /// moment makes our copy of a migration fail and roll back; we then re-read what is applied.
    private func migrate() throws {
        let migrator = StateStoreMigrations.migrator
        var attempt = 0
        while true {
            attempt += 1
            do {
                try migrator.migrate(pool)
                logger.debug("state store ready", metadata: ["path": "\(path)"])
                return
            } catch {
                let done = (try? pool.read { db in try migrator.hasCompletedMigrations(db) }) ?? false
                if done { return }
                if attempt < 3 {
                    logger.debug(
                        "state store migration raced, retrying",
                        metadata: ["path": "\(path)", "attempt": "\(attempt)"])
                    continue
                }
                throw HomelabError(
                    .storeFailure, "cannot migrate the state store at \(path)", component: "store",
                    underlying: error)
            }
        }
    }

    /// The audit log of mutating operations kept in this store.
    public var auditLog: AuditLog { AuditLog(store: self) }

    /// The migrations applied to this file, in order (for diagnostics such as `homelab doctor`).
    /// - Throws: ``HomelabError`` `.storeFailure`.
    public func appliedMigrations() async throws -> [String] {
        try await read("list migrations") { db in try StateStoreMigrations.migrator.appliedMigrations(db) }
    }

    /// The SQLite journal mode in force (`wal` for a healthy store).
    /// - Throws: ``HomelabError`` `.storeFailure`.
    public func journalMode() async throws -> String {
        try await read("read the journal mode") { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// SQLite's `PRAGMA integrity_check` answer: `ok`, or the problems found, one per line.
    /// - Throws: ``HomelabError`` `.storeFailure` when the check cannot run.
    public func integrityCheck() async throws -> String {
        try await read("check integrity") { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }

    /// Runs `body` in a write transaction, mapping any failure to `.storeFailure` naming `what`.
    func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as HomelabError {
            throw error  // already precise (not found, conflict) and located
        } catch {
            throw HomelabError(
                .storeFailure, "cannot \(what) in the state store at \(path)", component: "store",
                underlying: error)
        }
    }

    /// Runs `body` on a read-only snapshot, mapping any failure to `.storeFailure` naming `what`.
    func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as HomelabError {
            throw error  // already precise (not found, conflict) and located
        } catch {
            throw HomelabError(
                .storeFailure, "cannot \(what) in the state store at \(path)", component: "store",
                underlying: error)
        }
    }
}
