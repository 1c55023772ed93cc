import Foundation
import HomelabTestSupport

/// A pseudo-terminal for tests: a private tmux server (its own socket, no configuration file) running one
/// program in a fixed-size window; keys go in with `send-keys`, the screen comes out with `capture-pane`.
final class TmuxTerminal: Sendable {
    static let tmux = RealServer.executable(["tmux"])
    let socket: String

    /// Starts `program` with `arguments` and `environment` in a 160x50 window.
    /// - Throws: when tmux cannot start the session.
    init(_ program: String, _ arguments: [String], environment: [String: String], socket: String) async throws {
        guard let tmux = Self.tmux else { throw ChildProcessError("tmux is not installed") }
        self.socket = socket
        let command = ([program] + arguments).map(Self.quoted).joined(separator: " ")
        // The server inherits this environment; the window's program runs with it.
        try await ChildProcess.check(
            tmux, ["-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "50", "-s", "repl", command],
            environment: environment)
    }

    /// Types `text` literally.
    func type(_ text: String) async throws {
        try await tmuxCommand(["send-keys", "-t", "repl", "-l", "--", text])
    }

    /// Presses keys by tmux's names: `Enter`, `Tab`, `Up`, `C-c`, `C-d`, `C-u`.
    func press(_ keys: String...) async throws {
        try await tmuxCommand(["send-keys", "-t", "repl"] + keys)
    }

    /// The visible screen, trailing blank lines dropped.
    func screen() async throws -> String {
        try await tmuxCommand(["capture-pane", "-p", "-t", "repl"])
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .reversed().drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }.reversed().joined(separator: "\n")
    }

    /// The last non-blank line of the screen (where the prompt and the line being edited are).
    func lastLine() async throws -> String {
        try await screen().split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Waits until `condition` holds for the screen; returns it.
    /// - Throws: after `timeout`, with the screen as it was.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Duration = .seconds(20), _ condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ChildProcessError("timed out waiting for \(what); the screen:\n\(last)")
    }

    /// Whether the window's program still runs.
    func isRunning() async -> Bool {
        guard let tmux = Self.tmux else { return false }
        let result = try? await ChildProcess.run(tmux, ["-S", socket, "has-session", "-t", "repl"])
        return result?.status == 0
    }

    /// Stops the tmux server and the program in it.
    func close() async {
        guard let tmux = Self.tmux else { return }
        _ = try? await ChildProcess.run(tmux, ["-S", socket, "kill-server"])
    }

    @discardableResult
    private func tmuxCommand(_ arguments: [String]) async throws -> String {
        guard let tmux = Self.tmux else { throw ChildProcessError("tmux is not installed") }
        return try await ChildProcess.check(tmux, ["-S", socket] + arguments)
    }

    private static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
