import GRDB

/// The state store's schema history, as named, versioned migrations.
///
/// Rules for later changes: never edit or reorder a migration that has shipped; add a new one at
/// the end (`v2-rollout-journal`, ...). GRDB records applied identifiers in `grdb_migrations`
/// and runs each migration in its own immediate transaction together with that record, so a
/// migration is applied once even when two processes open a fresh store at the same moment.
enum StateStoreMigrations {
    /// Identifiers in the order they apply. Tests and diagnostics read this list.
    static let identifiers = ["v1-audit-log"]

    /// The migrator holding every migration in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-audit-log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_log (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        timestamp REAL NOT NULL,
                        user TEXT NOT NULL,
                        component TEXT NOT NULL,
                        operation TEXT NOT NULL,
                        target TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        detail TEXT
                    );
                    CREATE INDEX audit_log_component ON audit_log (component, id);
                    """)
        }
        return migrator
    }
}
