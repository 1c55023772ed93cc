import Foundation
import Logging

extension Swarm {
    /// A Docker Engine API version such as `1.41`, ordered numerically (`1.9 < 1.41`).
    public struct APIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
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
            var text = Substring(trimmedBlanks(text))
            if text.first == "v" || text.first == "V" { text = text.dropFirst() }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0 else {
                return nil
            }
            self.init(major, minor)
        }

        /// The lowest API version this SDK speaks: the Cluster endpoints and `ServiceStatus` it uses exist from here on.
        public static let sdkMinimum = APIVersion(1, 41)
        /// The highest API version this SDK was written against.
        public static let sdkMaximum = APIVersion(1, 51)

        /// `1.41`.
        public var description: String { "\(major).\(minor)" }

        /// The URL path prefix, `/v1.41`.
        public var pathPrefix: String { "/v\(description)" }

        /// Orders by major, then minor.
        public static func < (a: APIVersion, b: APIVersion) -> Bool {
            (a.major, a.minor) < (b.major, b.minor)
        }

        /// Parses a configured version (`DOCKER_API_VERSION`) and checks it is one this SDK speaks.
        /// - Throws: ``HomelabError/Code/invalidConfiguration`` when it is malformed or outside
        ///   ``sdkMinimum``...``sdkMaximum``.
        public static func parseSetting(_ text: String, source: String) throws -> APIVersion {
            guard let version = APIVersion(text) else {
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
        public static func negotiate(server: APIVersion, endpoint: String) throws -> APIVersion {
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
}
