/// What a remote command printed and how it ended.
///
/// A non-zero exit status is not an error by itself; call ``requireSuccess()`` when it should be.
public struct SSHCommandResult: Sendable, Hashable {
    /// The command as run, with registered secrets redacted.
    public var command: String
    /// Everything the command wrote to standard output.
    public var stdout: [UInt8]
    /// Everything the command wrote to standard error.
    public var stderr: [UInt8]
    /// The exit status the server reported, or `nil` when it sent none (the command was killed by a signal).
    public var exitStatus: Int32?
    /// The signal that ended the command (`TERM`, `KILL`, ...), when the server reported one.
    public var exitSignal: String?
    /// Time from sending the command to its end.
    public var duration: Duration

    /// A result; `command` should already be redacted.
    public init(
        command: String, stdout: [UInt8], stderr: [UInt8], exitStatus: Int32?, exitSignal: String? = nil,
        duration: Duration
    ) {
        self.command = command
        self.stdout = stdout
        self.stderr = stderr
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
        self.duration = duration
    }

    /// Standard output decoded as UTF-8 (invalid bytes become U+FFFD).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error decoded as UTF-8 (invalid bytes become U+FFFD).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    /// Whether the command exited with status 0.
    public var succeeded: Bool { exitStatus == 0 }

    /// Returns `self` when the command exited with status 0.
    /// - Throws: ``HomelabError/Code/commandFailed`` with the exit status and the end of stderr (redacted).
    @discardableResult
    public func requireSuccess() throws -> SSHCommandResult {
        guard !succeeded else { return self }
        let status: String
        if let exitStatus {
            status = "exited with status \(exitStatus)"
        } else if let exitSignal {
            status = "was killed by signal \(exitSignal)"
        } else {
            status = "ended without an exit status"
        }
        let tail = String(stderrText.suffix(500)).trimmingSSHWhitespace()
        throw HomelabError(
            .commandFailed, "remote command \(status)", component: "ssh",
            request: HomelabError.Request(method: "ssh exec", redactedPath: command),
            serverMessage: tail.isEmpty ? nil : tail)
    }
}

extension String {
    /// The text without leading and trailing spaces and newlines (no Foundation needed).
    func trimmingSSHWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
