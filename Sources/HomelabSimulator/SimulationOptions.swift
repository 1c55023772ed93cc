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
    /// How each component listens, where it should differ from the component's default (Docker: plain HTTP and
    /// `docker.sock` in the simulation's private directory).
    public var listeners: [ComponentKind: ListenerOptions]
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
        timeScale: Double = 0.05, portBase: Int = 0, listeners: [ComponentKind: ListenerOptions] = [:],
        faults: [ComponentKind: FaultPlan] = [:], timings: TaskTimings = TaskTimings(), seed: UInt64 = 1,
        logger: Logger = Logger(label: "homelab.simulator", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.timeScale = timeScale
        self.portBase = portBase
        self.listeners = listeners
        self.faults = faults
        self.timings = timings
        self.seed = seed
        self.logger = logger
    }
}

/// How one component listens besides its loopback port.
public struct ListenerOptions: Sendable, Hashable {
    /// Serve HTTPS on the loopback port, with a certificate for 127.0.0.1 and localhost signed by a CA made for
    /// this run (``SimulatedEndpoints/caFile``).
    public var tls: Bool
    /// A unix socket to listen on too (`nil`: the component's default, if it has one).
    public var socketPath: String?

    /// Plain HTTP, the component's default socket.
    public init(tls: Bool = false, socketPath: String? = nil) {
        self.tls = tls
        self.socketPath = socketPath
    }

    /// TLS when either asks for it; this socket path, or else `fallback`'s.
    func over(_ fallback: ListenerOptions) -> ListenerOptions {
        ListenerOptions(tls: tls || fallback.tls, socketPath: socketPath ?? fallback.socketPath)
    }
}

/// Where a running simulation answers.
public struct SimulatedEndpoints: Sendable, Hashable {
    /// The admin API (`GET /_sim/endpoints`, `POST /_sim/faults`, ...): `http://127.0.0.1:<port>`.
    public var admin: String
    /// Every simulated component's listeners.
    public var listening: [ComponentKind: ComponentListening]
    /// Inventory components with no simulator yet.
    public var notSimulated: [ComponentKind]
    /// The CA (PEM) of this run's TLS listeners, when any component serves TLS.
    public var caFile: String?

    /// Endpoints of a running simulation.
    public init(
        admin: String, listening: [ComponentKind: ComponentListening], notSimulated: [ComponentKind], caFile: String? = nil
    ) {
        self.admin = admin
        self.listening = listening
        self.notSimulated = notSimulated
        self.caFile = caFile
    }

    /// Every simulated component's loopback base URL.
    public var components: [ComponentKind: String] { listening.mapValues(\.url) }

    /// Every unix socket, per component.
    public var sockets: [ComponentKind: String] { listening.compactMapValues(\.socketPath) }

    /// The endpoints as people read them, one address a line.
    public func rendered() -> String {
        var lines = ["admin        \(admin)/_sim (faults, stats, node power)"]
        for kind in ComponentKind.allCases {
            let name = kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
            if let listening = listening[kind] {
                var addresses = listening.socketPath.map { ["unix://\($0)"] } ?? []
                addresses.append(listening.url + (listening.caFile.map { " (CA \($0))" } ?? ""))
                for (index, address) in addresses.enumerated() {
                    lines.append("\(index == 0 ? name : String(repeating: " ", count: 12)) \(address)")
                }
            } else if notSimulated.contains(kind) {
                lines.append("\(name) not simulated yet")
            }
        }
        return lines.joined(separator: "\n")
    }
}
