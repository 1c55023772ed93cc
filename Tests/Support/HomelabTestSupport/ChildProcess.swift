import HomelabCore
import CTestSpawn
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process for tests: tools (openssl, ssh-keygen, docker) and servers (python, sshd, dockerd).
///
/// Not Foundation's `Process`: it learns that a child ended when the child closes an inherited
/// socket, so a daemon spawned elsewhere that inherits those sockets makes every later
/// `waitUntilExit()` hang, and that wait blocks one of the (two, here) cooperative threads.
/// This one spawns with every descriptor above 2 closed, resets the signal mask, and waits
/// asynchronously (`waitpid(WNOHANG)` between short sleeps).
public final class ChildProcess: Sendable {
    /// The child's pid.
    public let pid: pid_t
    /// Our end of the child's stdin (write), when requested; nil once closed.
    public var stdinFD: Int32? { fds.withLock { $0.stdin } }
    /// Our end of the child's stdout (read), when requested; nil once closed.
    public var stdoutFD: Int32? { fds.withLock { $0.stdout } }
    private let fds: Locked<(stdin: Int32?, stdout: Int32?)>
    private let status = Locked<Int32?>(nil)

    /// What to connect the child's stdin/stdout/stderr to.
    public enum Stream: Sendable {
        case null
        case pipe
        case inherit
    }

    /// Spawns `executable` (absolute path, or a name looked up in PATH).
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null, mergeStderr: Bool = false
    ) throws {
        let path = executable.hasPrefix("/") ? executable : (RealServer.executable([executable]) ?? executable)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var close: [Int32] = []
        func wire(_ stream: Stream, fd: Int32, childReads: Bool) throws -> Int32? {
            switch stream {
            case .inherit: return nil
            case .null:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", childReads ? O_RDONLY : O_WRONLY, 0)
                return nil
            case .pipe:
                var fds: [Int32] = [0, 0]
                guard ctestspawn_pipe_cloexec(&fds) == 0 else { throw ChildProcessError("pipe failed: \(errno)") }
                let (childEnd, ourEnd) = childReads ? (fds[0], fds[1]) : (fds[1], fds[0])
                posix_spawn_file_actions_adddup2(&actions, childEnd, fd)
                close.append(childEnd)
                return ourEnd
            }
        }
        let inFD = try wire(stdin, fd: 0, childReads: true)
        let outFD = try wire(stdout, fd: 1, childReads: false)
        if mergeStderr, stdout == .pipe {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            _ = try wire(stderr == .pipe ? .null : stderr, fd: 2, childReads: false)
        }
        _ = ctestspawn_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let env = environment ?? ProcessInfo.processInfo.environment
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        for fd in close { Glibc.close(fd) }
        guard rc == 0 else {
            [inFD, outFD].compactMap { $0 }.forEach { Glibc.close($0) }
            throw ChildProcessError("cannot start \(path): \(String(cString: strerror(rc)))")
        }
        pid = child
        fds = Locked((inFD, outFD))
    }

    deinit {
        closeStdin()
        closeStdout()
    }

    /// The exit status once the child ended (reaping it), else nil.
    public var exitStatus: Int32? {
        status.withLock { status in
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                }
            }
            return status
        }
    }

    /// Whether the child still runs.
    public var isRunning: Bool { exitStatus == nil }

    /// Waits for the child to end, without blocking a thread.
    @discardableResult
    public func wait(timeout: Duration = .seconds(600)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let s = exitStatus { return s }
            if ContinuousClock.now > deadline { throw ChildProcessError("pid \(pid) did not exit within \(timeout)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Closes our end of the child's stdin (the child sees EOF). Closes once: a descriptor number
    /// closed twice may already belong to someone else (a socket, a database file).
    public func closeStdin() {
        if let fd = fds.withLock({ f -> Int32? in defer { f.stdin = nil }; return f.stdin }) { Glibc.close(fd) }
    }

    /// Closes our end of the child's stdout.
    public func closeStdout() {
        if let fd = fds.withLock({ f -> Int32? in defer { f.stdout = nil }; return f.stdout }) { Glibc.close(fd) }
    }

    /// SIGTERM, up to `grace` to exit, then SIGKILL; always reaps. Synchronous, for cleanup paths.
    public func stop(grace: Duration = .seconds(5)) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        guard isRunning else { return }
        kill(pid, SIGKILL)
        while isRunning { usleep(5_000) }
    }

    /// Reads one line from stdout (waiting up to `timeout`), for "READY ..." handshakes. Waits by sleeping the
    /// task, never by blocking a thread: the cooperative pool has as many threads as cores, and a test that
    /// blocks one while a slow child starts stalls every other test of the run.
    public func readLine(timeout: Duration) async throws -> String? {
        guard let fd = stdoutFD else { return nil }
        var line: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 0) > 0 else {
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            var byte: UInt8 = 0
            let n = read(fd, &byte, 1)
            if n <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return nil
    }

    /// Runs a tool to completion and returns its status and output (stderr merged into stdout).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: [UInt8]? = nil,
        timeout: Duration = .seconds(300)
    ) async throws -> (status: Int32, output: String) {
        let child = try ChildProcess(
            executable, arguments, environment: environment, stdin: input == nil ? .null : .pipe, stdout: .pipe,
            mergeStderr: true)
        if let input, let fd = child.stdinFD {
            var offset = 0
            while offset < input.count {
                let n = input[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                offset += n
            }
            child.closeStdin()
        }
        var output: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        if let fd = child.stdoutFD {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n > 0 {
                    output.append(contentsOf: buffer[0..<n])
                    continue
                }
                if n == 0 { break }
                if ContinuousClock.now > deadline {
                    child.stop()
                    throw ChildProcessError("\(executable) did not finish within \(timeout)")
                }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        let status = try await child.wait(timeout: max(.seconds(1), deadline - ContinuousClock.now))
        return (status, String(decoding: output, as: UTF8.self))
    }

    /// Runs a short tool to completion, blocking the calling thread (for synchronous fixture set-up).
    /// Safe where Foundation's `Process.waitUntilExit` is not: it waits on this child's pid only.
    @discardableResult
    public static func runBlocking(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) throws -> (status: Int32, output: String) {
        let child = try ChildProcess(executable, arguments, environment: environment, stdout: .pipe, mergeStderr: true)
        var output: [UInt8] = []
        if let fd = child.stdoutFD {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                output.append(contentsOf: buffer[0..<n])
            }
        }
        var raw: Int32 = 0
        while waitpid(child.pid, &raw, 0) == -1, errno == EINTR {}
        child.status.withLock { $0 = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f) }
        return (child.exitStatus ?? -1, String(decoding: output, as: UTF8.self))
    }

    /// Like ``run(_:_:environment:input:timeout:)`` but throws unless the tool exits 0.
    @discardableResult
    public static func check(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: [UInt8]? = nil
    ) async throws -> String {
        let (status, output) = try await run(executable, arguments, environment: environment, input: input)
        guard status == 0 else {
            throw ChildProcessError("\(executable) \(arguments.joined(separator: " ")) exited \(status): \(output.suffix(800))")
        }
        return output
    }
}

/// A child process failed to start, finish or succeed.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
