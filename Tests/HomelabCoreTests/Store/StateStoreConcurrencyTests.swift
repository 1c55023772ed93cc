import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("State store under concurrent writers")
struct StateStoreConcurrencyTests {
    @Test("two store instances writing at once lose nothing")
    func twoInstances() async throws {
        let temp = try TemporaryFolder()
        let path = temp.file("state.sqlite")
        let stores = [try StateStore(path: path), try StateStore(path: path)]
        let perWriter = 200
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                for task in 0..<2 {
                    group.addTask {
                        for row in 0..<perWriter / 2 {
                            try await store.auditLog.record(
                                AuditEntry(
                                    user: "writer\(index)", component: "c\(index)", operation: "t\(task)-\(row)",
                                    target: "x", outcome: .succeeded))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let check = try StateStore(path: path)
        #expect(try await check.auditLog.count() == 2 * perWriter)
        #expect(try await check.auditLog.count(component: "c0") == perWriter)
        #expect(try await check.integrityCheck() == "ok")
    }

    /// Python holds the write lock for a moment before we start, so our first write must wait on
    /// the busy timeout (it would fail at once with SQLite's default), then both sides append.
    static let pythonWriter = """
        import sqlite3, sys, time
        path, n = sys.argv[1], int(sys.argv[2])
        db = sqlite3.connect(path, timeout=10, isolation_level=None)
        def insert(i):
            db.execute("INSERT INTO audit_log (timestamp, user, component, operation, target, outcome, detail) "
                       "VALUES (?, 'py', 'python', ?, 'x', 'succeeded', NULL)", (time.time(), "py-%d" % i))
        db.execute("BEGIN IMMEDIATE"); insert(0)
        print("locked", flush=True)
        time.sleep(0.5)
        db.execute("COMMIT")
        for i in range(1, n):
            db.execute("BEGIN IMMEDIATE"); insert(i); db.execute("COMMIT")
        print("done", flush=True)
        """

    @Test("a second process appending at the same time loses nothing and corrupts nothing")
    func secondProcess() async throws {
        let temp = try TemporaryFolder()
        let path = temp.file("state.sqlite")
        let store = try StateStore(path: path)
        let rows = 300

        let python = try ChildProcess(
            "python3", ["-c", Self.pythonWriter, path, String(rows)], stdout: .pipe, stderr: .inherit)
        defer { python.stop() }

        // Wait until Python holds the write lock.
        let first = try await python.readLine(timeout: .seconds(60))
        #expect(first == "locked")

        for row in 0..<rows {
            try await store.auditLog.record(
                AuditEntry(user: "swift", component: "swift", operation: "sw-\(row)", target: "x", outcome: .succeeded))
        }
        let status = try await python.wait(timeout: .seconds(120))
        #expect(status == 0, "the python writer failed")

        #expect(try await store.auditLog.count() == 2 * rows)
        #expect(try await store.auditLog.count(component: "python") == rows)
        #expect(try await store.auditLog.count(component: "swift") == rows)
        #expect(try await store.integrityCheck() == "ok")
    }
}
