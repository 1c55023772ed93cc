import Foundation
import GRDB

extension RolloutJournal {
    /// For every service step that ever succeeded, when it last did (node maintenance steps, `node:NAME`,
    /// are left out).
    /// - Throws: ``HomelabError/Code/storeFailure`` when the store cannot be read.
    public func lastSuccessfulSteps() async throws -> [String: Date] {
        try await store.read("read the last successful rollout steps") { db in
            var result: [String: Date] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT step_id, MAX(finished_at) AS finished FROM rollout_step
                    WHERE status = 'succeeded' AND finished_at IS NOT NULL AND step_id NOT LIKE 'node:%'
                    GROUP BY step_id
                    """)
            for row in rows {
                result[row["step_id"]] = Date(timeIntervalSince1970: row["finished"])
            }
            return result
        }
    }
}
