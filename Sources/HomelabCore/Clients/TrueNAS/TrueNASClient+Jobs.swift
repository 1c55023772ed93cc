import Logging

extension TrueNASClient {
    /// Jobs: `core.get_jobs`.
    public var jobs: Jobs { Jobs(client: self) }

    /// The jobs' calls.
    public struct Jobs: Sendable {
        let client: TrueNASClient

        /// The jobs matching `query` (the server keeps recent ones).
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func list(_ query: TrueNASQuery = TrueNASQuery(), logger: Logger? = nil) async throws -> [TrueNAS.Job] {
            try await client.perform(TrueNASCall("core.get_jobs", query.params(), reads: true), as: [TrueNAS.Job].self, logger: logger)
        }

        /// A handle on job `id`, to follow it or wait for its result.
        public func handle(_ id: Int, method: String = "?") -> TrueNAS.JobHandle {
            TrueNAS.JobHandle(id: id, method: method, backend: client.backend)
        }
    }
}
