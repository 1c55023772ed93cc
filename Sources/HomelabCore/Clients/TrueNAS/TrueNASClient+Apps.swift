import Logging

extension TrueNASClient {
    /// Apps (24.10+): `app.query`, and start, stop and upgrade as jobs.
    public var apps: Apps { Apps(client: self) }

    /// The apps' calls.
    public struct Apps: Sendable {
        let client: TrueNASClient

        /// The apps matching `query`.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func list(_ query: TrueNASQuery = TrueNASQuery(), logger: Logger? = nil) async throws -> [TrueNAS.App] {
            try await client.perform(TrueNASCall("app.query", query.params(), reads: true), as: [TrueNAS.App].self, logger: logger)
        }

        /// Starts app `name` (a job).
        /// - Throws: ``HomelabError/Code/notFound`` for an unknown app.
        public func start(_ name: String, logger: Logger? = nil) async throws -> TrueNAS.JobHandle {
            try await client.startJob(TrueNASCall("app.start", [.string(name)], names: ["app_name"]), logger: logger)
        }

        /// Stops app `name` (a job).
        /// - Throws: ``HomelabError/Code/notFound`` for an unknown app.
        public func stop(_ name: String, logger: Logger? = nil) async throws -> TrueNAS.JobHandle {
            try await client.startJob(TrueNASCall("app.stop", [.string(name)], names: ["app_name"]), logger: logger)
        }

        /// Upgrades app `name` to `version` (the newest when nil) (a job).
        /// - Throws: ``HomelabError/Code/notFound`` for an unknown app.
        public func upgrade(_ name: String, to version: String? = nil, logger: Logger? = nil) async throws -> TrueNAS.JobHandle {
            var options: [String: JSONValue] = [:]
            if let version { options["app_version"] = .string(version) }
            return try await client.startJob(
                TrueNASCall("app.upgrade", [.string(name), .object(options)], names: ["app_name", "options"]), logger: logger)
        }
    }
}
