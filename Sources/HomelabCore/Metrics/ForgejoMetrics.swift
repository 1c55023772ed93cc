import Foundation
import Logging

/// Forgejo's state as metric families: its version (an info gauge; whether it is up is `homelab_up`, which a
/// refused token also brings to 0, as the token's user is read too).
///
/// ``families(_:)`` is a pure function of what Forgejo answered.
public enum ForgejoMetrics {
    /// What one collection read.
    public struct Reading: Sendable {
        /// `GET /version`.
        public var version: ForgejoVersion
        /// The token's user (`GET /user`).
        public var user: Forgejo.User

        /// A reading.
        public init(version: ForgejoVersion, user: Forgejo.User) {
            self.version = version
            self.user = user
        }
    }

    /// Reads the version and the token's user concurrently.
    /// - Throws: the first failed call's error (`.unauthorized` for a refused token).
    public static func read(_ forgejo: ForgejoClient, logger: Logger? = nil) async throws -> Reading {
        async let version = forgejo.version(logger: logger)
        async let user = forgejo.currentUser(logger: logger)
        return Reading(version: try await version, user: try await user)
    }

    /// The families for one reading.
    public static func families(_ reading: Reading) -> [MetricFamily] {
        var info = MetricFamily(
            "forgejo_version_info", help: "Forgejo's version: the string it reports, its release and the Gitea version it is compatible with.")
        info.add(1, [
            "version": reading.version.raw, "release": reading.version.release,
            "gitea_compatible": reading.version.giteaCompatibility ?? "", "prerelease": reading.version.isPrerelease ? "true" : "false",
        ])
        return [info]
    }
}
