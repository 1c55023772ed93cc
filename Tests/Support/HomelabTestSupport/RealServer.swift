import Foundation
import Testing

/// The rule for tests that need a real server (dockerd, sshd, caddy, prometheus, dnsmasq):
/// under `CI=true` a missing server is a failure; elsewhere the test is skipped with a visible note.
public enum RealServer {
    /// Whether we run in CI (`CI=true`), where nothing may be skipped silently.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Returns the path of the first executable found, or nil.
    public static func executable(_ names: [String], extraDirectories: [String] = ["/usr/sbin", "/sbin"]) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for dir in path + extraDirectories {
            for name in names {
                let candidate = dir + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Returns `true` when the server can be used. When it cannot: under CI records a test failure and returns
    /// `false` (the test then stops, failed); elsewhere cancels the test, which the runner reports as skipped with
    /// the reason. A test never passes without its server.
    /// - Throws: the test's cancellation, outside CI.
    public static func require(
        _ what: String, available: Bool, hint: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Bool {
        if available { return true }
        if isCI {
            Issue.record("\(what) is required under CI=true but is missing: \(hint)", sourceLocation: sourceLocation)
            return false
        }
        try Test.cancel(Comment(rawValue: "skipped: \(what) is not available here (\(hint))"), sourceLocation: sourceLocation)
    }
}
