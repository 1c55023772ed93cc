import Foundation
import HomelabTestSupport
import Testing

/// Real Python clients the simulator is checked against (the docker SDK, the `websockets` package), run as
/// child processes. Installed by scripts/install-deps.sh; required under CI=true, skipped visibly elsewhere.
enum PythonClient {
    /// Whether `python3` can import `module`.
    static func has(_ module: String) -> Bool {
        (try? ChildProcess.runBlocking("/usr/bin/env", ["python3", "-c", "import \(module)"]).status) == 0
    }

    /// True when `module` is importable; otherwise records a failure under CI (false) or cancels the test,
    /// skipped visibly with the reason.
    static func require(_ module: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        try RealServer.require(
            "python3 with the \(module) package", available: has(module), hint: "scripts/install-deps.sh test installs it",
            sourceLocation: sourceLocation)
    }

    /// Runs `script` with `arguments` (`sys.argv[1...]`); returns exit status and output (stderr merged). The default
    /// timeout is generous: a schema validation that takes 10 s alone takes minutes while the whole suite loads both cores.
    static func run(_ script: String, _ arguments: [String], timeout: Duration = .seconds(300)) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script] + arguments, timeout: timeout)
    }
}
