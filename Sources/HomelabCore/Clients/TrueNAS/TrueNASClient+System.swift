import Logging

extension TrueNASClient {
    /// The system: `system.info` and `system.version`.
    public var system: System { System(client: self) }

    /// The system's calls.
    public struct System: Sendable {
        let client: TrueNASClient

        /// Host name, version, memory, CPU, uptime.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func info(logger: Logger? = nil) async throws -> TrueNAS.SystemInfo {
            try await client.perform(TrueNASCall("system.info", reads: true), as: TrueNAS.SystemInfo.self, logger: logger)
        }

        /// The version text (`TrueNAS-SCALE-25.10.1`).
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func version(logger: Logger? = nil) async throws -> String {
            try await client.perform(TrueNASCall("system.version", reads: true), as: String.self, logger: logger)
        }
    }
}
