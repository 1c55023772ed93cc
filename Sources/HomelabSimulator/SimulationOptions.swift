import Foundation
import HomelabCore
import Logging

/// How a simulation runs: how fast time passes, where it listens, which faults it injects.
public struct SimulationOptions: Sendable {
    /// Real seconds per simulated second (0.05: twenty times faster). See ``SimulatedClock``.
    public var timeScale: Double
    /// First port: the admin API listens on it and each component on `portBase + 1 + its index` in
    /// `ComponentKind.allCases` (Docker on `portBase + 1`); 0 picks ephemeral ports.
    public var portBase: Int
    /// Where Docker's unix socket goes; `nil`: `docker.sock` in the simulation's private temporary directory.
    public var dockerSocketPath: String?
    /// Faults in force from the start, per component (change them at run time on the admin port).
    public var faults: [ComponentKind: FaultPlan]
    /// How long simulated task lifecycle steps take.
    public var timings: TaskTimings
    /// Seed of the identifiers (the same seed and inventory give the same IDs).
    public var seed: UInt64
    /// Where the simulation logs (HTTP servers log at `warning` and above unless this logger says otherwise).
    public var logger: Logger

    /// Options for a demo on this machine: twenty times faster, ephemeral ports, no faults.
    public init(
        timeScale: Double = 0.05, portBase: Int = 0, dockerSocketPath: String? = nil, faults: [ComponentKind: FaultPlan] = [:],
        timings: TaskTimings = TaskTimings(), seed: UInt64 = 1,
        logger: Logger = Logger(label: "homelab.simulator", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.timeScale = timeScale
        self.portBase = portBase
        self.dockerSocketPath = dockerSocketPath
        self.faults = faults
        self.timings = timings
        self.seed = seed
        self.logger = logger
    }
}

/// Where a running simulation answers.
public struct SimulatedEndpoints: Sendable, Hashable {
    /// The admin API (`GET /_sim/endpoints`, `POST /_sim/faults`, ...): `http://127.0.0.1:<port>`.
    public var admin: String
    /// The Docker Engine API on 127.0.0.1: `http://127.0.0.1:<port>` (`DOCKER_HOST=tcp://127.0.0.1:<port>`).
    public var dockerTCP: String
    /// The Docker Engine API's unix socket path (`DOCKER_HOST=unix://<path>`).
    public var dockerSocket: String
    /// Every simulated component's loopback base URL.
    public var components: [ComponentKind: String]
    /// Inventory components with no simulator yet.
    public var notSimulated: [ComponentKind]

    /// The endpoints as people read them, one component a line.
    public func rendered() -> String {
        var lines = ["admin        \(admin)/_sim (faults, stats, node power)"]
        for kind in ComponentKind.allCases {
            if kind == .docker {
                lines.append("docker       unix://\(dockerSocket)")
                lines.append("             \(dockerTCP.replacingOccurrences(of: "http://", with: "tcp://"))")
            } else if let url = components[kind] {
                lines.append("\(kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(url)")
            } else if notSimulated.contains(kind) {
                lines.append("\(kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) not simulated yet")
            }
        }
        return lines.joined(separator: "\n")
    }
}
