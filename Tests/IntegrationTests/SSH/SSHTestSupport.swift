import Foundation
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a local tool (ssh-keygen, useradd, ssh-add) and returns its exit status and combined output.
enum SSHTestProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, allowFailure: Bool = false
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0, !allowFailure {
            throw Failure(
                description: "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(output)")
        }
        return (process.terminationStatus, output)
    }
}

/// Collects every log line a session writes, metadata included, for "never logs a secret" checks.
final class SSHLogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    /// A logger at trace level that records into this recorder.
    var logger: Logger {
        var logger = Logger(label: "homelab.test.ssh") { _ in SSHRecordingLogHandler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var all: [String] { lines.withLock { $0 } }
}

struct SSHRecordingLogHandler: LogHandler {
    let recorder: SSHLogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let error = event.error.map { " error=\($0)" } ?? ""
        recorder.append("\(event.level) \(event.message) \(all)\(error)")
    }
}

/// Loopback TCP helpers: free ports, a listener that never answers, and a readiness probe.
enum SSHLoopback {
    /// A TCP socket bound to 127.0.0.1 on a kernel-chosen port; `listen` makes it accept (and never answer).
    static func boundSocket(listen shouldListen: Bool) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SSHTestProcess.Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw SSHTestProcess.Failure(description: "bind() failed: errno \(errno)")
        }
        if shouldListen, listen(fd, 8) != 0 {
            close(fd)
            throw SSHTestProcess.Failure(description: "listen() failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port on 127.0.0.1 that nothing listens on right now.
    static func freePort() throws -> Int {
        let (fd, port) = try boundSocket(listen: false)
        close(fd)
        return port
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return rc == 0
    }
}

/// A long-running server process (sshd, ssh-agent) started with posix_spawn and stopped by its own pid.
///
/// Not Foundation's `Process`: on Linux it learns that a child ended when the child closes an inherited
/// socket, and daemons such as sshd close every descriptor at start. Foundation then blocks its only
/// monitor thread in `waitpid` on the still-running daemon, and no other `Process` ever finishes.
final class SSHTestDaemon: Sendable {
    let pid: pid_t
    private let exited = Mutex<Bool>(false)

    /// Starts `executable` (an absolute path) with stdin, stdout and stderr on /dev/null.
    init(_ executable: String, _ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // Swift's and Dispatch's threads block signals and a spawned child inherits that mask:
        // without resetting it, the daemon would ignore the SIGTERM that stops it.
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
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw SSHTestProcess.Failure(description: "posix_spawn \(executable) failed: \(rc)") }
        pid = child
    }

    /// Whether the process still runs (reaps it when it has ended).
    var isRunning: Bool {
        exited.withLock { exited in
            if exited { return false }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { exited = true }
            return !exited
        }
    }

    /// Sends SIGTERM to the pid, waits up to 3 s, then SIGKILL; always reaps the process.
    func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        var waited = 0
        while isRunning, waited < 150 {
            usleep(20_000)
            waited += 1
        }
        guard isRunning else { return }
        kill(pid, SIGKILL)
        exited.withLock { exited in
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            exited = true
        }
    }
}

/// An ssh-agent on a unix socket in a temp dir, holding one key; stopped by its own pid.
final class SSHTestAgent: Sendable {
    let socketPath: String
    private let daemon: SSHTestDaemon

    /// Starts `ssh-agent -D -a socket` and, when given, adds `key` to it.
    init(directory: String, adding key: String?) throws {
        socketPath = directory + "/agent-\(UUID().uuidString.prefix(8)).sock"
        daemon = try SSHTestDaemon(
            RealServer.executable(["ssh-agent"]) ?? "/usr/bin/ssh-agent", ["-D", "-a", socketPath])
        var waited = 0
        while !FileManager.default.fileExists(atPath: socketPath), daemon.isRunning, waited < 250 {
            usleep(20_000)
            waited += 1
        }
        guard FileManager.default.fileExists(atPath: socketPath) else {
            daemon.stop()
            throw SSHTestProcess.Failure(description: "ssh-agent did not create \(socketPath)")
        }
        if let key {
            var environment = ProcessInfo.processInfo.environment
            environment["SSH_AUTH_SOCK"] = socketPath
            do {
                try SSHTestProcess.run(
                    RealServer.executable(["ssh-add"]) ?? "/usr/bin/ssh-add", ["-q", key], environment: environment)
            } catch {
                daemon.stop()
                throw error
            }
        }
    }

    /// Stops the agent by its pid.
    func stop() { daemon.stop() }

    deinit { daemon.stop() }
}
