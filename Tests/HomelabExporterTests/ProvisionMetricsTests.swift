import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@Suite("Provisioning metrics from the journal")
struct ProvisionMetricsTests {
    @Test("each node's steps by status (0 for a status it has none of) and its record's last change")
    func fromJournal() async throws {
        let folder = try TemporaryFolder()
        let journal = try StateStore(path: folder.file("state.sqlite")).provisionJournal
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try await ProvisionMetrics.families(journal).isEmpty, "no node provisioned: no families")
        for (position, step) in ["machine", "ssh", "setup:packages"].enumerated() {
            try await journal.record(node: "dhow", stepID: step, position: position, status: .succeeded, now: start + Double(position))
        }
        try await journal.record(node: "lorcha", stepID: "machine", position: 0, status: .succeeded, now: start)
        try await journal.record(node: "lorcha", stepID: "ssh", position: 1, status: .running, now: start + 5)
        try await journal.record(node: "lorcha", stepID: "ssh", position: 1, status: .failed, detail: "host key mismatch", now: start + 9)
        let families = try await ProvisionMetrics.families(journal)
        #expect(families.value("homelab_provision_steps", ["node": "dhow", "status": "succeeded"]) == 3)
        #expect(families.value("homelab_provision_steps", ["node": "dhow", "status": "failed"]) == 0)
        #expect(families.value("homelab_provision_steps", ["node": "lorcha", "status": "failed"]) == 1)
        #expect(families.value("homelab_provision_steps", ["node": "lorcha", "status": "running"]) == 0, "the step's last status counts")
        #expect(families.value("homelab_provision_last_change_timestamp_seconds", ["node": "dhow"]) == 1_800_000_002)
        #expect(families.value("homelab_provision_last_change_timestamp_seconds", ["node": "lorcha"]) == 1_800_000_009)

        try await journal.reset(node: "lorcha")
        let after = try await ProvisionMetrics.families(journal)
        #expect(after.value("homelab_provision_steps", ["node": "lorcha", "status": "failed"]) == nil, "a reset node has no series")
    }
}
