import Logging

extension TrueNASClient {
    /// Disks: `disk.query`, `disk.temperatures`, `smart.test.results`.
    public var disks: Disks { Disks(client: self) }

    /// The disks' calls.
    public struct Disks: Sendable {
        let client: TrueNASClient

        /// The disks matching `query`.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func list(_ query: TrueNASQuery = TrueNASQuery(), logger: Logger? = nil) async throws -> [TrueNAS.Disk] {
            try await client.perform(TrueNASCall("disk.query", query.params(), reads: true), as: [TrueNAS.Disk].self, logger: logger)
        }

        /// Temperatures in °C by disk name (`sda`); a disk that does not report one is absent. Empty `names`: all.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func temperatures(_ names: [String] = [], logger: Logger? = nil) async throws -> [String: Double] {
            let answer = try await client.backend.perform(
                TrueNASCall("disk.temperatures", [.array(names.map { .string($0) }), .object([:])], names: ["names", "options"]), logger: logger)
            guard case .object(let fields) = answer else { return [:] }
            return fields.compactMapValues { TrueNASJSON.number($0) }
        }

        /// SMART self-test results per disk.
        /// - Throws: ``HomelabError`` from the server or the transport.
        public func smartResults(logger: Logger? = nil) async throws -> [TrueNAS.SMARTResults] {
            try await client.perform(
                TrueNASCall("smart.test.results", [.array([]), .object([:])], reads: true), as: [TrueNAS.SMARTResults].self, logger: logger)
        }
    }
}
