import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("State store")
struct StateStoreTests {
    @Test("the default path follows XDG_STATE_HOME, then HOME/.local/state")
    func defaultPath() throws {
        #expect(
            try StateStore.defaultPath(environment: ["XDG_STATE_HOME": "/var/x", "HOME": "/home/u"])
                == "/var/x/homelab/state.sqlite")
        #expect(try StateStore.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/homelab/state.sqlite")
        // A relative XDG_STATE_HOME is ignored, as the XDG spec says.
        #expect(
            try StateStore.defaultPath(environment: ["XDG_STATE_HOME": "rel", "HOME": "/home/u"])
                == "/home/u/.local/state/homelab/state.sqlite")
    }

    @Test("no XDG_STATE_HOME and no HOME is a configuration error, not a crash")
    func noHome() {
        #expect {
            try StateStore.defaultPath(environment: [:])
        } throws: { error in
            (error as? HomelabError)?.code == .invalidConfiguration
        }
    }

    @Test("opening creates the parent folder with mode 0700")
    func createsFolder() throws {
        let temp = try TemporaryFolder()
        let path = temp.file("a/b/state.sqlite")
        _ = try StateStore(path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: temp.file("a/b"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("migrations are idempotent: opening twice applies each once")
    func migrationsIdempotent() async throws {
        let temp = try TemporaryFolder()
        let path = temp.file("state.sqlite")
        let first = try StateStore(path: path)
        try await first.auditLog.record(
            AuditEntry(user: "u", component: "docker", operation: "op", target: "t", outcome: .succeeded))
        let second = try StateStore(path: path)
        #expect(try await second.appliedMigrations() == StateStoreMigrations.identifiers)
        #expect(try await second.auditLog.entries().count == 1)
    }

    @Test("two stores opening one fresh file at once both migrate cleanly")
    func concurrentFirstOpen() async throws {
        let temp = try TemporaryFolder()
        let path = temp.file("state.sqlite")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { _ = try StateStore(path: path) }
            }
            try await group.waitForAll()
        }
        #expect(try await StateStore(path: path).appliedMigrations() == StateStoreMigrations.identifiers)
    }

    @Test("the journal mode is WAL")
    func walMode() async throws {
        let temp = try TemporaryFolder()
        let store = try StateStore(path: temp.file("state.sqlite"))
        #expect(try await store.journalMode() == "wal")
        #expect(try await store.integrityCheck() == "ok")
    }

    @Test("a file that is not SQLite gives a storeFailure naming the path")
    func corruptFile() throws {
        let temp = try TemporaryFolder()
        let path = temp.file("state.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        #expect {
            try StateStore(path: path)
        } throws: { error in
            guard let error = error as? HomelabError else { return false }
            return error.code == .storeFailure && error.description.contains(path)
        }
    }

    @Test("a parent that is a file gives a storeFailure, not a crash")
    func parentIsFile() throws {
        let temp = try TemporaryFolder()
        try Data("x".utf8).write(to: URL(fileURLWithPath: temp.file("blocker")))
        #expect {
            try StateStore(path: temp.file("blocker/sub/state.sqlite"))
        } throws: { error in
            (error as? HomelabError)?.code == .storeFailure
        }
    }
}
