import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension REPLShell {
    /// `watch [-n SECONDS] COMMAND`: clears the screen and runs COMMAND every SECONDS (default 2) until a key is
    /// pressed or Ctrl-C; the key is consumed. Only on a terminal.
    func watch(_ arguments: [String], location: String) async -> Int32 {
        var words = arguments[...]
        var interval = 2.0
        if words.first == "-n" || words.first == "--interval" {
            guard words.count >= 2, let seconds = Double(words[words.startIndex + 1]), seconds >= 0.1, seconds <= 3600 else {
                return Self.fail("\(location)watch: -n takes seconds between 0.1 and 3600", status: 64)
            }
            interval = seconds
            words = words.dropFirst(2)
        }
        guard !words.isEmpty else { return Self.fail("\(location)watch: which command? watch [-n SECONDS] COMMAND", status: 64) }
        guard interactive else { return Self.fail("\(location)watch needs a terminal (in a script, repeat the command)", status: 64) }
        let command = withOutput(path + words)
        let seconds = interval
        let title = "Every \(interval.formatted())s: \(words.joined(separator: " "))    (any key stops)"
        let (status, _) = await interrupts.run {
            await TerminalKeys.whileNoKey {
                var last: Int32 = 0
                while !Task.isCancelled {
                    FileHandle.standardOutput.write(Data("\u{1B}[H\u{1B}[2J\(title)    \(Date().formatted(.iso8601))\n\n".utf8))
                    last = await REPLShell.invoke(command, location: "")
                    flushStandardOutput()
                    guard await TerminalKeys.waitForKey(upTo: seconds) == false else { break }
                }
                return last
            }
        }
        return status == 130 ? 0 : status
    }
}

/// Key presses while a command redraws: the terminal without line buffering or echo, polled between runs.
enum TerminalKeys {
    /// Runs `body` with standard input in non-canonical, no-echo mode, then puts the terminal back.
    static func whileNoKey(_ body: () async -> Int32) async -> Int32 {
        var saved = termios()
        guard tcgetattr(0, &saved) == 0 else { return await body() }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        _ = tcsetattr(0, TCSANOW, &raw)
        let status = await body()
        _ = tcsetattr(0, TCSANOW, &saved)
        return status
    }

    /// Waits up to `seconds` for a key (consuming what was typed); `true` when one came, `false` after the wait
    /// or when cancelled.
    static func waitForKey(upTo seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline, !Task.isCancelled {
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 0) > 0 {
                var buffer = [UInt8](repeating: 0, count: 64)
                _ = read(0, &buffer, buffer.count)
                return true
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
