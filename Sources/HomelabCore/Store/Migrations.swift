import GRDB

/// The state store's schema history, as named, versioned migrations.
///
/// Rules for later changes: never edit or reorder a migration that has shipped; add a new one at
/// the end (`v2-rollout-journal`, ...). GRDB records applied identifiers in `grdb_migrations`
/// and runs each migration in its own immediate transaction together with that record, so a
/// migration is applied once even when two processes open a fresh store at the same moment.
enum StateStoreMigrations {
    /// Identifiers in the order they apply. Tests and diagnostics read this list.
    static let identifiers = ["v1-audit-log", "v2-rollout-journal", "v3-provision-journal"]

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
        migrator.registerMigration("v2-rollout-journal") { db in
            try db.execute(
                sql: """
                    CREATE TABLE rollout_run (
                        id TEXT PRIMARY KEY,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        status TEXT NOT NULL,
                        request TEXT NOT NULL,
                        owner TEXT,
                        detail TEXT
                    );
                    CREATE INDEX rollout_run_created ON rollout_run (created_at);
                    CREATE TABLE rollout_step (
                        run_id TEXT NOT NULL REFERENCES rollout_run(id) ON DELETE CASCADE,
                        step_id TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        started_at REAL,
                        finished_at REAL,
                        detail TEXT,
                        PRIMARY KEY (run_id, step_id)
                    );
                    CREATE TABLE rollout_transition (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id TEXT NOT NULL REFERENCES rollout_run(id) ON DELETE CASCADE,
                        at REAL NOT NULL,
                        step_id TEXT,
                        from_status TEXT,
                        to_status TEXT NOT NULL,
                        detail TEXT
                    );
                    CREATE INDEX rollout_transition_run ON rollout_transition (run_id, id);
                    """)
        }
        migrator.registerMigration("v3-provision-journal") { db in
            try db.execute(
                sql: """
                    CREATE TABLE provision_step (
                        node TEXT NOT NULL,
                        step_id TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        detail TEXT,
                        payload TEXT,
                        updated_at REAL NOT NULL,
                        PRIMARY KEY (node, step_id)
                    );
                    CREATE TABLE provision_transition (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        node TEXT NOT NULL,
                        step_id TEXT NOT NULL,
                        at REAL NOT NULL,
                        to_status TEXT NOT NULL,
                        detail TEXT
                    );
                    CREATE INDEX provision_transition_node ON provision_transition (node, id);
                    CREATE TABLE provision_owner (
                        node TEXT PRIMARY KEY,
                        owner TEXT NOT NULL,
                        claimed_at REAL NOT NULL
                    );
                    """)
        }
        return migrator
    }
}
