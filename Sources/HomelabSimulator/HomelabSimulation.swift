import Foundation
import HomelabCore
import Hummingbird
import Logging

/// A whole homelab simulated on loopback: every simulated component's API on 127.0.0.1 (and on the unix
/// sockets and over the TLS its ``ListenerOptions`` ask for), one shared ``SimulatedWorld`` seeded from the
/// inventory, and an admin API for faults and node power.
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
    /// What every component shares: the nodes and their power.
    public let world: SimulatedWorld
    /// Faults per component, changeable while running.
    public let faults: FaultBoard
    /// The clock simulated time runs on.
    public let clock: SimulatedClock

    private let components: [any SimulatedComponent]
    private let listeners: [Listener]
    private let sockets: [String]
    private let directory: String
    private let stopped = Locked(false)

    private init(
        homelab: Homelab, endpoints: SimulatedEndpoints, world: SimulatedWorld, faults: FaultBoard, clock: SimulatedClock,
        components: [any SimulatedComponent], listeners: [Listener], sockets: [String], directory: String
    ) {
        self.homelab = homelab
        self.endpoints = endpoints
        self.world = world
        self.faults = faults
        self.clock = clock
        self.components = components
        self.listeners = listeners
        self.sockets = sockets
        self.directory = directory
    }

    /// The running component of type `type`, if the simulation has one.
    func component<Component: SimulatedComponent>(_ type: Component.Type) -> Component? {
        components.lazy.compactMap { $0 as? Component }.first
    }

    /// Seeds the world from `inventory` and starts every API; returns once all of them are listening.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for bad options (time scale, fault plans),
    ///   ``HomelabError/Code/invalidConfiguration`` when the inventory cannot be simulated or a port or socket
    ///   cannot be bound.
    public static func start(inventory: Homelab, options: SimulationOptions = SimulationOptions()) async throws -> HomelabSimulation {
        try await start(inventory: inventory, options: options, makeComponents: makeComponents(for:setup:))
    }

    /// ``start(inventory:options:)`` with the components `makeComponents` builds (tests add their own).
    static func start(
        inventory: Homelab, options: SimulationOptions,
        makeComponents: (Homelab, ComponentSetup) async throws -> [any SimulatedComponent]
    ) async throws -> HomelabSimulation {
        let clock = try SimulatedClock(timeScale: options.timeScale)
        for plan in options.faults.values { try plan.validate() }
        guard options.portBase == 0 || (1024...65_000).contains(options.portBase) else {
            throw HomelabError(
                .invalidArgument, "port base \(options.portBase) is out of range: 0 (ephemeral) or 1024-65000", component: "simulator")
        }
        let homelab = Self.onLoopback(inventory)
        let directory = try Self.makeDirectory()
        let world = SimulatedWorld(homelab: homelab)
        let setup = ComponentSetup(homelab: homelab, clock: clock, options: options, world: world, directory: directory)
        let components: [any SimulatedComponent]
        do {
            components = try await makeComponents(homelab, setup)
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
        var serving = Serving()
        do {
            for component in components {
                try await serving.serve(component, options: options, faults: faults, directory: directory, logger: serverLogger)
            }
            let adminRouter = Router(context: SimulatorRequestContext.self)
            AdminRoutes(faults: faults, components: components, endpoints: published, world: world).add(to: adminRouter)
            let adminListener = try await Listener.start(
                adminRouter.buildResponder(), at: .loopback(port: options.portBase), name: "admin", logger: serverLogger)
            serving.listeners.append(adminListener)
            let simulated = Set(components.map(\.kind))
            let endpoints = SimulatedEndpoints(
                admin: "http://127.0.0.1:\(adminListener.port ?? options.portBase)", listening: serving.listening,
                notSimulated: ComponentKind.allCases.filter { homelab.components[$0] != nil && !simulated.contains($0) },
                caFile: serving.certificates?.caFile)
            // With 1Password Connect simulated, every other credential is written as an op:// reference.
            let inventoryEndpoints = try await OnePasswordComponent.vaulting(serving.inventoryEndpoints, in: components)
            let simulation = HomelabSimulation(
                homelab: Self.pointed(homelab, at: inventoryEndpoints), endpoints: endpoints, world: world, faults: faults,
                clock: clock, components: components, listeners: serving.listeners, sockets: serving.sockets, directory: directory)
            published.set(endpoints)
            return simulation
        } catch {
            for listener in serving.listeners { await listener.stop() }
            for component in components { await component.shutdown() }
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Every component this simulator can serve, built for `homelab`. Later components add their line here.
    static func makeComponents(for homelab: Homelab, setup: ComponentSetup) async throws -> [any SimulatedComponent] {
        var components: [any SimulatedComponent] = [try await DockerComponent.make(setup)]
        if homelab.components[.truenas] != nil { components.append(try await TrueNASComponent.make(setup)) }
        if ProxmoxComponent.isWanted(by: homelab) { components.append(try await ProxmoxComponent.make(setup)) }
        let stacksHistory = StacksRepositoryHistory(homelab: homelab)
        if homelab.components[.komodo] != nil { components.append(try await KomodoComponent.make(setup, history: stacksHistory)) }
        if homelab.components[.caddy] != nil {
            components.append(try await CaddyComponent.make(setup, swarm: (components.first as? DockerComponent)?.world))
        }
        if MatchboxComponent.isWanted(by: homelab) { components.append(try await MatchboxComponent.make(setup)) }
        if homelab.components[.authentik] != nil { components.append(try await AuthentikComponent.make(setup)) }
        if homelab.components[.onepassword] != nil { components.append(try await OnePasswordComponent.make(setup)) }
        if homelab.components[.forgejo] != nil { components.append(try await ForgejoComponent.make(setup, history: stacksHistory)) }
        if homelab.components[.woodpecker] != nil { components.append(try await WoodpeckerComponent.make(setup, history: stacksHistory)) }
        if homelab.components[.prometheus] != nil {
            components.append(try await PrometheusComponent.make(setup, swarm: (components.first as? DockerComponent)?.world))
        }
        return components
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
        for socket in sockets { try? FileManager.default.removeItem(atPath: socket) }
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
