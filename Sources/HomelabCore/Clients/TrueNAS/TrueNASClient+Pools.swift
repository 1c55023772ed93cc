import Logging

extension TrueNASClient {
    /// ZFS pools: `pool.query`, scrubs.
    public var pools: Pools { Pools(client: self) }

    /// The pools' calls.
    public struct Pools: Sendable {
        let client: TrueNASClient

        /// The pools matching `query` (health, topology, scrub state, capacity).
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func list(_ query: TrueNASQuery = TrueNASQuery(), logger: Logger? = nil) async throws -> [TrueNAS.Pool] {
            try await client.perform(TrueNASCall("pool.query", query.params(), reads: true), as: [TrueNAS.Pool].self, logger: logger)
        }

        /// How many pools match `query`.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func count(_ query: TrueNASQuery = TrueNASQuery(), logger: Logger? = nil) async throws -> Int {
            try await client.perform(TrueNASCall("pool.query", query.params(count: true), reads: true), as: Int.self, logger: logger)
        }

        /// The pool called `name`.
        /// - Throws: ``HomelabError/Code/notFound`` when there is none.
        public func get(_ name: String, logger: Logger? = nil) async throws -> TrueNAS.Pool {
            let pools = try await list(.whereEqual("name", name), logger: logger)
            guard let pool = pools.first else { throw HomelabError(.notFound, "TrueNAS has no pool '\(name)'", component: "truenas") }
            return pool
        }

        /// Starts a scrub of pool `name` (a job).
        /// - Throws: ``HomelabError`` when it cannot start.
        public func scrub(_ name: String, threshold: Int = 0, logger: Logger? = nil) async throws -> TrueNAS.JobHandle {
            try await client.startJob(
                TrueNASCall("pool.scrub.run", [.string(name), .integer(Int64(threshold))], names: ["name", "threshold"]), logger: logger)
        }
    }
}
