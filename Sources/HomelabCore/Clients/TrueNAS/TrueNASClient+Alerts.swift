import Logging

extension TrueNASClient {
    /// Alerts: `alert.list`, `alert.dismiss`, `alert.restore`.
    public var alerts: Alerts { Alerts(client: self) }

    /// The alerts' calls.
    public struct Alerts: Sendable {
        let client: TrueNASClient

        /// Every alert, dismissed ones included.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func list(logger: Logger? = nil) async throws -> [TrueNAS.Alert] {
            try await client.perform(TrueNASCall("alert.list", reads: true), as: [TrueNAS.Alert].self, logger: logger)
        }

        /// Dismisses alert `uuid`.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func dismiss(_ uuid: String, logger: Logger? = nil) async throws {
            _ = try await client.backend.perform(TrueNASCall("alert.dismiss", [.string(uuid)], names: ["uuid"]), logger: logger)
        }

        /// Brings dismissed alert `uuid` back.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func restore(_ uuid: String, logger: Logger? = nil) async throws {
            _ = try await client.backend.perform(TrueNASCall("alert.restore", [.string(uuid)], names: ["uuid"]), logger: logger)
        }
    }
}
