import Foundation
import Logging
import Synchronization
import HomelabTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a local tool (ssh-keygen, useradd, ssh-add) and returns its exit status and combined output.
enum SSHTestProcess {
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, allowFailure: Bool = false
    ) throws -> (status: Int32, output: String) {
        let (status, output) = try ChildProcess.runBlocking(executable, arguments, environment: environment)
        if status != 0, !allowFailure {
            throw ChildProcessError("\(executable) \(arguments.joined(separator: " ")) exited \(status): \(output)")
        }
        return (status, output)
    }
}

/// Loopback TCP helpers: free ports, a listener that never answers, and a readiness probe.
enum SSHLoopback {
    /// A TCP socket bound to 127.0.0.1 on a kernel-chosen port; `listen` makes it accept (and never answer).
    static func boundSocket(listen shouldListen: Bool) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ChildProcessError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw ChildProcessError("bind() failed: errno \(errno)")
        }
        if shouldListen, listen(fd, 8) != 0 {
            close(fd)
            throw ChildProcessError("listen() failed: errno \(errno)")
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

/// A long-running server process (sshd, ssh-agent), stopped by its own pid (see ``ChildProcess``).
final class SSHTestDaemon: Sendable {
    private let child: ChildProcess
    var pid: pid_t { child.pid }

    /// Starts `executable` (an absolute path) with stdin, stdout and stderr on /dev/null.
    init(_ executable: String, _ arguments: [String]) throws {
        child = try ChildProcess(executable, arguments)
    }

    /// Whether the process still runs (reaps it when it has ended).
    var isRunning: Bool { child.isRunning }

    /// Sends SIGTERM to the pid, waits up to 3 s, then SIGKILL; always reaps the process.
    func stop() { child.stop(grace: .seconds(3)) }
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
            throw ChildProcessError("ssh-agent did not create \(socketPath)")
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
