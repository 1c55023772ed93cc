/// One command to run: what, with which input, and until when.
struct SSHCommandRequest: Sendable {
    /// The command line, sent as is.
    var command: String
    /// Bytes for the command's standard input (its input is closed right away when empty).
    var stdin: [UInt8]
    /// The limit the caller asked for, for the error message.
    var timeout: Duration
    /// When the command must have ended.
    var deadline: ContinuousClock.Instant
    /// The request as errors show it: `ssh exec <redacted command>`.
    var errorRequest: HomelabError.Request
}

/// Running a command on a fresh channel with a deadline and an abort flag (queue-only, like all of LibSSHHandle).
extension LibSSHHandle {
    /// How long one wait for output may block before the deadline and abort flag are checked again.
    static let pollSlice: Duration = .milliseconds(25)

    /// Runs the command to its end and collects its output and exit status.
    /// - Throws: ``HomelabError/Code/timedOut`` at the deadline and ``HomelabError/Code/cancelled`` when `abort`
    ///   is raised (in both cases the server is asked to send TERM and the channel is closed);
    ///   ``HomelabError/Code/connectionFailed`` when the connection fails.
    func execute(_ request: SSHCommandRequest, abort: SSHAbortFlag) throws -> SSHCommandResult {
        try checkpoint(request, abort: abort, channel: nil)
        let started = ContinuousClock.now
        let r = request.errorRequest
        return try withChannel(timeout: request.deadline - started) { channel in
            try channel.exec(request.command, request: r)
            var written = 0
            if request.stdin.isEmpty { try channel.sendEOF(request: r) }
            var stdout: [UInt8] = []
            var stderr: [UInt8] = []
            var outputEnded = false
            while !outputEnded {
                try checkpoint(request, abort: abort, channel: channel)
                if written < request.stdin.count {
                    try channel.write(request.stdin, offset: &written, request: r)
                    if written == request.stdin.count { try channel.sendEOF(request: r) }
                }
                outputEnded = try channel.waitForOutput(milliseconds: sliceMilliseconds(request), request: r)
                try channel.drain(stderr: false, into: &stdout, request: r)
                try channel.drain(stderr: true, into: &stderr, request: r)
            }
            defer { setSessionTimeout(configuration.connectTimeout) }
            while !channel.events.isSettled {
                try checkpoint(request, abort: abort, channel: channel)
                setSessionTimeout(.milliseconds(sliceMilliseconds(request)))
                try channel.waitForEnd(request: r)
            }
            return SSHCommandResult(
                command: r.path, stdout: stdout, stderr: stderr, exitStatus: channel.events.exitStatus,
                exitSignal: channel.events.exitSignal, duration: ContinuousClock.now - started)
        }
    }

    /// The next wait: one poll slice, or less when the deadline is nearer.
    private func sliceMilliseconds(_ request: SSHCommandRequest) -> Int {
        let remaining = Self.milliseconds(request.deadline - ContinuousClock.now)
        return max(1, min(Self.milliseconds(Self.pollSlice), remaining))
    }

    /// Throws when the command must stop: cancelled, session closed, or past its deadline.
    private func checkpoint(_ request: SSHCommandRequest, abort: SSHAbortFlag, channel: SSHChannel?) throws {
        if closing.isRaised {
            channel?.signal("TERM")
            throw closedError(request: request.errorRequest)
        }
        if abort.isRaised {
            channel?.signal("TERM")
            throw HomelabError(
                .cancelled, "the command was cancelled on \(configuration.target); its channel was closed",
                component: "ssh", request: request.errorRequest)
        }
        if ContinuousClock.now >= request.deadline {
            channel?.signal("TERM")
            throw HomelabError(
                .timedOut,
                "the command did not finish within \(request.timeout.spoken) on \(configuration.target); "
                    + "its channel was closed",
                component: "ssh", request: request.errorRequest)
        }
    }
}
