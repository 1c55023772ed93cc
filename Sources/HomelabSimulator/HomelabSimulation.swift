import Foundation
import HomelabCore
import Hummingbird
import Logging
import Synchronization

/// A whole homelab simulated on loopback: every simulated component's API on 127.0.0.1 (Docker also on a unix
/// socket), one consistent world seeded from the inventory, and an admin API for faults.
///
/// ```swift
/// let sim = try await HomelabSimulation.start(inventory: homelab, options: SimulationOptions(timeScale: 0.01))
/// defer { Task { await sim.shutdown() } }
/// print(sim.endpoints.rendered())
/// ```
public final class HomelabSimulation: Sendable {
    /// The homelab being simulated: the inventory given, with node addresses moved to loopback (127.10.0.x)
    /// so nothing reaches the real LAN.
    public let homelab: Homelab
    /// Where each API answers.
    public let endpoints: SimulatedEndpoints
    /// The simulated swarm (for in-process inspection: update journals, counts).
    public let docker: DockerWorld
    /// Faults per component, changeable while running.
    public let faults: FaultBoard
    /// The clock simulated time runs on.
    public let clock: SimulatedClock

    private let components: [any SimulatedComponent]
    private let listeners: [Listener]
    private let directory: String
    private let stopped = Mutex(false)

    private init(
        homelab: Homelab, endpoints: SimulatedEndpoints, docker: DockerWorld, faults: FaultBoard, clock: SimulatedClock,
        components: [any SimulatedComponent], listeners: [Listener], directory: String
    ) {
        self.homelab = homelab
        self.endpoints = endpoints
        self.docker = docker
        self.faults = faults
        self.clock = clock
        self.components = components
        self.listeners = listeners
        self.directory = directory
    }

    /// Seeds the world from `inventory` and starts every API; returns once all of them are listening.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for bad options (time scale, fault plans),
    ///   ``HomelabError/Code/invalidConfiguration`` when the inventory cannot be simulated or a port or socket
    ///   cannot be bound.
    public static func start(inventory: Homelab, options: SimulationOptions = SimulationOptions()) async throws -> HomelabSimulation {
        let clock = try SimulatedClock(timeScale: options.timeScale)
        for plan in options.faults.values { try plan.validate() }
        guard options.portBase == 0 || (1024...65_000).contains(options.portBase) else {
            throw HomelabError(
                .invalidArgument, "port base \(options.portBase) is out of range: 0 (ephemeral) or 1024-65000", component: "simulator")
        }
        let homelab = Self.onLoopback(inventory)
        let directory = try Self.makeDirectory()
        let setup = ComponentSetup(homelab: homelab, clock: clock, options: options, directory: directory)
        let components: [any SimulatedComponent]
        do {
            components = try await makeComponents(for: homelab, setup: setup)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        let faults = FaultBoard(plans: options.faults)
        // Hummingbird reports the cancellation of open connections at shutdown as errors; only debugging
        // (a logger at debug level) shows its logs.
        var serverLogger = options.logger
        if serverLogger.logLevel > .debug { serverLogger.logLevel = .critical }
        let published = PublishedEndpoints()
        var listeners: [Listener] = []
        var urls: [ComponentKind: String] = [:]
        var inventoryEndpoints: [ComponentKind: ComponentEndpoint] = [:]
        do {
            for component in components {
                let router = Router(context: SimulatorRequestContext.self)
                component.addRoutes(to: router)
                let responder = FrontedResponder(
                    middleware: [FaultMiddleware(component: component.kind, board: faults)] + component.frontMiddleware,
                    inner: router.buildResponder())
                let index = ComponentKind.allCases.firstIndex(of: component.kind) ?? 0
                let port = options.portBase == 0 ? 0 : options.portBase + 1 + index
                let listener = try await Listener.start(responder, at: .loopback(port: port), name: "\(component.kind)", logger: serverLogger)
                listeners.append(listener)
                for address in component.extraAddresses {
                    listeners.append(try await Listener.start(responder, at: address, name: "\(component.kind)", logger: serverLogger))
                }
                let actualPort = listener.port ?? port
                urls[component.kind] = "http://127.0.0.1:\(actualPort)"
                inventoryEndpoints[component.kind] = component.inventoryEndpoint(port: actualPort)
            }
            let adminRouter = Router(context: SimulatorRequestContext.self)
            AdminRoutes(faults: faults, components: components, endpoints: published).add(to: adminRouter)
            let adminListener = try await Listener.start(
                adminRouter.buildResponder(), at: .loopback(port: options.portBase), name: "admin", logger: serverLogger)
            listeners.append(adminListener)
            guard let docker = components.compactMap({ $0 as? DockerComponent }).first else {
                throw HomelabError(.internalFailure, "the Docker component is missing", component: "simulator")
            }
            let simulated = Set(components.map(\.kind))
            let endpoints = SimulatedEndpoints(
                admin: "http://127.0.0.1:\(adminListener.port ?? options.portBase)", dockerTCP: urls[.docker] ?? "",
                dockerSocket: docker.socketPath, components: urls,
                notSimulated: ComponentKind.allCases.filter { homelab.components[$0] != nil && !simulated.contains($0) })
            let simulation = HomelabSimulation(
                homelab: Self.pointed(homelab, at: inventoryEndpoints), endpoints: endpoints, docker: docker.world, faults: faults,
                clock: clock, components: components, listeners: listeners, directory: directory)
            published.set(endpoints)
            return simulation
        } catch {
            for listener in listeners { await listener.stop() }
            for component in components { await component.shutdown() }
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Every component this simulator can serve, built for `homelab`. Later components add their line here.
    static func makeComponents(for homelab: Homelab, setup: ComponentSetup) async throws -> [any SimulatedComponent] {
        [try await DockerComponent.make(setup)]
    }

    /// Stops every API and timer and removes the sockets. Idempotent.
    public func shutdown() async {
        let already = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !already else { return }
        for component in components { await component.shutdown() }
        for listener in listeners { await listener.stop() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes a homelab.yaml whose components point at this simulation (see ``InventoryWriter``).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the file cannot be written.
    public func writeConfig(to path: String) throws {
        try InventoryWriter.write(homelab, to: path, notes: InventoryWriter.notes(for: endpoints))
    }

    // MARK: - Helpers

    /// The inventory with node addresses on loopback (127.10.0.1, 127.10.0.2, ...).
    static func onLoopback(_ homelab: Homelab) -> Homelab {
        var copy = homelab
        for index in copy.nodes.indices {
            copy.nodes[index].address = "127.\(10 + index / 62_500).\(index / 250 % 250).\(index % 250 + 1)"
        }
        return copy
    }

    /// The inventory with its components replaced by the simulated ones.
    static func pointed(_ homelab: Homelab, at endpoints: [ComponentKind: ComponentEndpoint]) -> Homelab {
        var copy = homelab
        copy.components = endpoints
        return copy
    }

    private static func makeDirectory() throws -> String {
        let base = FileManager.default.temporaryDirectory.path
        let path = (base as NSString).appendingPathComponent("homelab-sim-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw HomelabError(
                .invalidConfiguration, "cannot create the simulation's directory \(Redaction.redactText(path))", component: "simulator")
        }
        return path
    }
}
