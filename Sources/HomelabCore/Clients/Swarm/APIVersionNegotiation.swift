import Foundation
import Logging

/// A Docker Engine API version such as `1.41`, ordered numerically (`1.9 < 1.41`).
public struct DockerAPIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major part (always 1 so far).
    public var major: Int
    /// The minor part.
    public var minor: Int

    /// Creates a version.
    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `1.41` (a leading `v` is accepted); `nil` for anything else.
    public init?(_ text: String) {
        var text = Substring(text.trimmingCharacters(in: .whitespaces))
        if text.first == "v" || text.first == "V" { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0 else {
            return nil
        }
        self.init(major, minor)
    }

    /// The lowest API version this SDK speaks: the Swarm endpoints and `ServiceStatus` it uses exist from here on.
    public static let sdkMinimum = DockerAPIVersion(1, 41)
    /// The highest API version this SDK was written against.
    public static let sdkMaximum = DockerAPIVersion(1, 51)

    /// `1.41`.
    public var description: String { "\(major).\(minor)" }

    /// The URL path prefix, `/v1.41`.
    public var pathPrefix: String { "/v\(description)" }

    /// Orders by major, then minor.
    public static func < (a: DockerAPIVersion, b: DockerAPIVersion) -> Bool {
        (a.major, a.minor) < (b.major, b.minor)
    }

    /// Parses a configured version (`DOCKER_API_VERSION`) and checks it is one this SDK speaks.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when it is malformed or outside
    ///   ``sdkMinimum``...``sdkMaximum``.
    public static func parseSetting(_ text: String, source: String) throws -> DockerAPIVersion {
        guard let version = DockerAPIVersion(text) else {
            throw HomelabError(
                .invalidConfiguration, "\(source) '\(text)' is not an API version such as 1.44", component: "docker")
        }
        guard (sdkMinimum...sdkMaximum).contains(version) else {
            throw HomelabError(
                .invalidConfiguration,
                "\(source) \(version) is outside the API versions this SDK speaks (\(sdkMinimum)–\(sdkMaximum))",
                component: "docker")
        }
        return version
    }

    /// The version to use with an engine whose highest version is `server`: `min(sdkMaximum, server)`.
    /// - Throws: ``HomelabError/Code/unsupportedVersion`` naming both versions when that is below ``sdkMinimum``.
    public static func negotiate(server: DockerAPIVersion, endpoint: String) throws -> DockerAPIVersion {
        let chosen = min(sdkMaximum, server)
        guard chosen >= sdkMinimum else {
            throw HomelabError(
                .unsupportedVersion,
                "the engine at \(endpoint) speaks Docker API \(server) at most, "
                    + "but this SDK needs at least \(sdkMinimum) (it speaks \(sdkMinimum)–\(sdkMaximum)); upgrade the engine",
                component: "docker")
        }
        return chosen
    }
}

/// The API version a ``SwarmClient`` uses, negotiated once on first use and shared by all copies of the client.
///
/// Negotiation pings the engine (`_ping`, `Api-Version` header) and picks `min(sdkMaximum, server)`. Concurrent
/// first calls share one ping. A fixed version (``DockerConnection/apiVersion``) skips the ping.
actor APIVersionNegotiation {
    /// The result of a negotiation: the version in use and what the ping said.
    struct Outcome: Sendable {
        var version: DockerAPIVersion
        var ping: DockerPing?
    }

    private let fixed: DockerAPIVersion?
    private var negotiated: Outcome?
    private var inFlight: Task<Outcome, any Error>?

    init(fixed: DockerAPIVersion?) { self.fixed = fixed }

    /// The version to use, pinging through `ping` on first use (and after ``reset()``).
    func version(
        endpoint: String, logger: Logger?, ping: @escaping @Sendable () async throws -> DockerPing
    ) async throws -> DockerAPIVersion {
        try await outcome(endpoint: endpoint, logger: logger, ping: ping).version
    }

    /// The cached outcome, negotiating first when there is none.
    func outcome(
        endpoint: String, logger: Logger?, ping: @escaping @Sendable () async throws -> DockerPing
    ) async throws -> Outcome {
        if let fixed { return Outcome(version: fixed, ping: negotiated?.ping) }
        if let negotiated { return negotiated }
        if let inFlight { return try await inFlight.value }
        let task = Task<Outcome, any Error> {
            let answer = try await ping()
            guard let text = answer.apiVersion else {
                // Engines older than API 1.25 send no Api-Version; the Go client assumes 1.24 for them.
                throw HomelabError(
                    .unsupportedVersion,
                    "the engine at \(endpoint) sent no Api-Version header (an engine older than API 1.25), "
                        + "but this SDK needs at least \(DockerAPIVersion.sdkMinimum)",
                    component: "docker")
            }
            guard let server = DockerAPIVersion(text) else {
                throw HomelabError(
                    .decodingFailed, "the engine at \(endpoint) sent a malformed Api-Version header '\(text)'",
                    component: "docker")
            }
            let chosen = try DockerAPIVersion.negotiate(server: server, endpoint: endpoint)
            logger?.debug(
                "negotiated Docker API version",
                metadata: ["component": "docker", "server": "\(server)", "using": "\(chosen)", "endpoint": "\(endpoint)"])
            return Outcome(version: chosen, ping: answer)
        }
        inFlight = task
        do {
            let result = try await task.value
            negotiated = result
            inFlight = nil
            return result
        } catch {
            inFlight = nil
            throw error
        }
    }

    /// Records a fresh ping (its swarm role), keeping the negotiated version.
    func remember(ping: DockerPing) {
        if var outcome = negotiated {
            outcome.ping = ping
            negotiated = outcome
        }
    }

    /// Forgets the negotiated version, so the next request pings again (after an engine upgrade).
    func reset() {
        negotiated = nil
    }
}
