import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Audit log")
struct AuditLogTests {
    private func entry(_ operation: String, component: String = "docker", detail: String? = nil) -> AuditEntry {
        AuditEntry(
            timestamp: Date(timeIntervalSince1970: 1_750_000_000.25), user: "ops", component: component,
            operation: operation, target: "web", outcome: .succeeded, detail: detail)
    }

    @Test("an entry reads back with every field and an assigned id")
    func roundTrip() async throws {
        let temp = try TemporaryFolder()
        let log = try StateStore(path: temp.file("state.sqlite")).auditLog
        let written = AuditEntry(
            timestamp: Date(timeIntervalSince1970: 1_750_000_000.125), user: "alice", component: "truenas",
            operation: "dataset.create", target: "tank/apps", outcome: .failed, detail: "quota exceeded")
        let recorded = try await log.record(written)
        let read = try #require(try await log.entries().first)
        #expect(recorded.id != nil)
        #expect(read.id == recorded.id)
        #expect(abs(read.timestamp.timeIntervalSince1970 - 1_750_000_000.125) < 0.001)
        #expect(read.user == "alice")
        #expect(read.component == "truenas")
        #expect(read.operation == "dataset.create")
        #expect(read.target == "tank/apps")
        #expect(read.outcome == .failed)
        #expect(read.detail == "quota exceeded")
    }

    @Test("entries come newest first, limited, and filtered by component")
    func ordering() async throws {
        let temp = try TemporaryFolder()
        let log = try StateStore(path: temp.file("state.sqlite")).auditLog
        for index in 0..<5 {
            try await log.record(entry("op\(index)", component: index.isMultiple(of: 2) ? "docker" : "proxmox"))
        }
        #expect(try await log.entries().map(\.operation) == ["op4", "op3", "op2", "op1", "op0"])
        #expect(try await log.entries(limit: 2).map(\.operation) == ["op4", "op3"])
        #expect(try await log.entries(component: "docker").map(\.operation) == ["op4", "op2", "op0"])
        #expect(try await log.entries(limit: 0).isEmpty)
        #expect(try await log.count(component: "proxmox") == 2)
    }

    @Test("secret-looking detail and target are masked before they reach disk")
    func redaction() async throws {
        let temp = try TemporaryFolder()
        let path = temp.file("state.sqlite")
        let log = try StateStore(path: path).auditLog
        let token = Secret("tok-9b1e77c2d4")
        var written = entry("service.update", detail: "server said: bad token \(token.reveal()); header Bearer abc.def")
        written.target = "https://pve:8006/api?api_token=zzz9"
        let recorded = try await log.record(written)
        let read = try #require(try await log.entries().first)
        #expect(read.detail == "server said: bad token <redacted>; header Bearer <redacted>")
        #expect(read.target == "https://pve:8006/api?api_token=<redacted>")
        #expect(recorded.detail == read.detail)
        // Not in the database file or its WAL either.
        for file in [path, path + "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            #expect(bytes.range(of: Data(token.reveal().utf8)) == nil)
        }
    }

    @Test("a stored outcome this version does not know still reads back")
    func unknownOutcome() async throws {
        let temp = try TemporaryFolder()
        let log = try StateStore(path: temp.file("state.sqlite")).auditLog
        var written = entry("op")
        written.outcome = AuditOutcome(rawValue: "rolled-back-partially")
        try await log.record(written)
        #expect(try await log.entries().first?.outcome.rawValue == "rolled-back-partially")
    }
}
