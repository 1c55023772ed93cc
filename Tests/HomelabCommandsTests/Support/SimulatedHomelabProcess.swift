import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The built `homelab` and `homelab-sim` binaries, and a `homelab-sim` process serving the example homelab for a test.
enum SimulatedHomelabProcess {
    /// The repository's root (this file is Tests/HomelabCommandsTests/Support/...).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let homelab = root.appendingPathComponent(".build/debug/homelab").path
    static let simulator = root.appendingPathComponent(".build/debug/homelab-sim").path
    static let exampleInventory = root.appendingPathComponent("Examples/homelab.yaml").path

    /// Whether both binaries are built; under CI a missing one fails the test, elsewhere it is skipped.
    static func requireBinaries(sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let built = FileManager.default.isExecutableFile(atPath: homelab) && FileManager.default.isExecutableFile(atPath: simulator)
        return try RealServer.require(
            "the homelab and homelab-sim binaries", available: built, hint: "swift build --build-tests",
            sourceLocation: sourceLocation)
    }

    /// Runs `homelab-sim` on the example inventory (time runs `1/timeScale` times faster) until `body` returns;
    /// `body` gets the inventory it wrote and a private folder (use it for `XDG_STATE_HOME`).
    static func with(timeScale: Double = 0.05, _ body: (_ config: String, _ folder: String) async throws -> Void) async throws {
        let folder = try TemporaryFolder()
        let config = folder.file("homelab.yaml")
        let log = folder.file("homelab-sim.log")
        let arguments = [
            "--inventory", exampleInventory, "--write-config", config, "--docker-socket", folder.file("docker.sock"),
            "--time-scale", "\(timeScale)",
        ]
        // exec keeps the pid: the signal that stops it reaches homelab-sim itself.
        let process = try ChildProcess("/bin/sh", ["-c", "exec \"$0\" \"$@\" > '\(log)' 2>&1", simulator] + arguments)
        defer { process.stop() }
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: config), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        guard FileManager.default.fileExists(atPath: config) else {
            Issue.record("homelab-sim wrote no config: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            return
        }
        try await body(config, folder.path)
    }
}
