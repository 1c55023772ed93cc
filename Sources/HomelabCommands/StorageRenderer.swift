import Foundation
import HomelabCore

/// Draws TrueNAS's part of the overview (pools and alerts) and formats sizes for the `homelab truenas` commands.
enum StorageRenderer {
    /// `STORAGE (TrueNAS)`: one line per pool, then the active alerts.
    static func lines(_ storage: StorageOverview, width: Int? = nil) -> [String] {
        var lines = ["STORAGE (TrueNAS)"]
        if let failure = storage.failure {
            lines += OverviewRenderer.wrap("could not be read: \(failure)", indent: 2, width: width)
            return lines
        }
        lines += OverviewRenderer.table(
            ["POOL", "HEALTH", "SIZE", "USED", "FREE", "SCRUB"],
            storage.pools.map { pool in
                [
                    pool.name, pool.healthy ? pool.status : pool.status + " (!)", bytes(pool.size), bytes(pool.allocated), bytes(pool.free),
                    pool.scrub ?? "-",
                ]
            }, width: width)
        if storage.alerts.isEmpty {
            lines.append("  no active alerts")
        } else {
            lines += OverviewRenderer.table(["ALERT", "TEXT"], storage.alerts.map { [$0.level.rawValue, $0.text] }, width: width)
        }
        return lines
    }

    /// `1.2 TiB` (binary units), `-` when unknown.
    static func bytes(_ value: Int64?) -> String {
        guard let value else { return "-" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: "%.1f ", amount) + units[unit]
    }
}
