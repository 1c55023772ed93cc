import Foundation
import Testing

/// Runs a program to completion without blocking Swift concurrency's threads: output goes to a temporary
/// file (a pipe read would hold a cooperative thread, and the simulator serving the program needs them).
enum ChildProcess {
    /// Runs `executable` with `arguments`; returns its exit status and combined output. Killed after `timeout`.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Duration = .seconds(60)
    ) async throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(25)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
            while process.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output.replacingOccurrences(of: "\r", with: "\n"))
    }
}
