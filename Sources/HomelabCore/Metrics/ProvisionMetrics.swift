import Foundation

/// The provisioning journal (``ProvisionJournal``, `homelab provision NODE`) as metric families, served with the
/// rollout journal's: per node, its pipeline steps by status and when its record last changed. A node stuck with a
/// `failed` or `running` step (a run that died) shows here until it is provisioned again or `--fresh`.
public enum ProvisionMetrics {
    /// The families for every node in `journal`; none when no node was ever provisioned.
    public static func families(_ journal: ProvisionJournal) async throws -> [MetricFamily] {
        families(try await journal.allEntries())
    }

    /// The families for `entries` (by node). Every status has its sample per node, 0 when none.
    public static func families(_ entries: [String: [ProvisionJournal.Entry]]) -> [MetricFamily] {
        var steps = MetricFamily("homelab_provision_steps", help: "Steps of each node's homelab provision pipeline, by status.")
        var changed = MetricFamily(
            "homelab_provision_last_change_timestamp_seconds", help: "When each node's provisioning record last changed (Unix time).")
        for (node, nodeEntries) in entries.sorted(by: { $0.key < $1.key }) {
            for status in ProvisionJournal.Status.allCases {
                steps.add(Double(nodeEntries.filter { $0.status == status }.count), ["node": node, "status": status.rawValue])
            }
            if let last = nodeEntries.map(\.updatedAt).max() { changed.add(last.timeIntervalSince1970, ["node": node]) }
        }
        return entries.isEmpty ? [] : [steps, changed]
    }
}
