import Foundation
import HomelabCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A simulated homelab for `homelab demo`, started by the `homelab-demo` executable (HomelabSimulator's), so that
/// `homelab` itself does not link the simulator.
public protocol DemoSimulator: Sendable {
    /// Starts every simulated component of `inventory` on loopback; simulated time runs `1 / timeScale` times faster.
    /// - Throws: the simulator's errors (a port or socket that cannot be bound).
    func start(inventory: Homelab, timeScale: Double) async throws -> any DemoSimulation
}

/// A running simulated homelab, as the demo's tour uses it.
public protocol DemoSimulation: Sendable {
    /// The simulated inventory (node addresses on loopback).
    var homelab: Homelab { get }
    /// Where each API answers, one address a line.
    var endpointsDescription: String { get }
    /// The simulated Docker Engine's unix socket.
    var dockerSocket: String { get }
    /// Joins a simulated machine's engine to the simulated swarm (the provisioning part's `join` step).
    var swarmJoiner: (any SwarmJoining)? { get }
    /// Stops every listener.
    func shutdown() async
}

extension HomelabCommand {
    /// Runs `homelab demo ARGUMENTS` in this process, the simulated homelab started by `simulator`, and returns the
    /// exit status: the `homelab-demo` executable's main.
    public static func runDemo(arguments: [String], simulator: any DemoSimulator) async -> Int32 {
        await DemoCommand.$simulator.withValue(simulator) { await run(arguments: ["demo"] + arguments) }
    }
}

/// Finds and runs `homelab-demo`: next to the running executable (symbolic links resolved), else on `PATH`.
enum DemoExecutable {
    static let name = "homelab-demo"

    /// Runs `homelab-demo ARGUMENTS`. From the CLI the process becomes it (it never returns then); inside a
    /// ``HomelabSession`` (the REPL) it runs as a child and its exit status is returned.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when `homelab-demo` cannot be found or started.
    static func run(_ arguments: [String]) async throws -> Int32 {
        let path = try locate()
        let argv = [name] + arguments
        if HomelabSession.current == nil {
            fflush(nil)
            try withCArguments(argv) { pointers in
                execv(path, pointers)
                throw startFailure(path, errno)
            }
        }
        var pid = pid_t()
        let spawned = withCArguments(argv) { pointers in posix_spawn(&pid, path, nil, nil, pointers, environ) }
        guard spawned == 0 else { throw startFailure(path, spawned) }
        let child = pid
        return await withCheckedContinuation { continuation in
            // waitpid blocks: on its own thread, not the cooperative pool's.
            let waiter = Thread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                let exited = status & 0x7f == 0
                continuation.resume(returning: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
            }
            waiter.start()
        }
    }

    /// The executable: `homelab-demo` beside this process's own executable, else the first one on `PATH`.
    static func locate(
        executable: String? = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
        path: String? = ProcessInfo.processInfo.environment["PATH"]
    ) throws -> String {
        let ownDirectory = (executable ?? Bundle.main.executablePath).map { ($0 as NSString).deletingLastPathComponent }
        let candidates = [ownDirectory].compactMap { $0 } + (path ?? "").split(separator: ":").map(String.init)
        for directory in candidates where !directory.isEmpty {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw HomelabError(
            .invalidConfiguration,
            "homelab demo runs the \(name) executable, found neither next to homelab (\(ownDirectory ?? "?")) nor on PATH; "
                + "build it with `swift build --product \(name)` (scripts/demo.sh does) and keep it next to homelab",
            component: "demo")
    }

    private static func startFailure(_ path: String, _ code: Int32) -> HomelabError {
        HomelabError(.invalidConfiguration, "cannot start \(path): \(String(cString: strerror(code)))", component: "demo")
    }

    private static func withCArguments<T>(
        _ arguments: [String], _ body: ([UnsafeMutablePointer<CChar>?]) throws -> T
    ) rethrows -> T {
        let pointers = arguments.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return try body(pointers)
    }
}
