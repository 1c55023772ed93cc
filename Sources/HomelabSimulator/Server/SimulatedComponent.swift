import HomelabCore
import Hummingbird

/// One simulated homelab component: its state and the routes that serve it.
///
/// Adding a component is adding a folder under `Components/` with a type conforming to this protocol and one
/// line in ``HomelabSimulation/makeComponents(for:setup:)``. The simulation gives it a router with fault
/// injection already installed, listens on 127.0.0.1 (and ``extraAddresses``), and lists its endpoint.
protocol SimulatedComponent: Sendable {
    /// Which inventory component it stands in for.
    var kind: ComponentKind { get }
    /// Middleware that runs before routing, after fault injection (Docker's API version handling).
    var frontMiddleware: [any RouterMiddleware<SimulatorRequestContext>] { get }
    /// Adds the component's API routes.
    func addRoutes(to router: Router<SimulatorRequestContext>)
    /// Adds operator routes below `/_sim/<kind>/` on the admin port (node power, journals, ...).
    func addAdminRoutes(to router: Router<SimulatorRequestContext>)
    /// Addresses it also listens on besides its loopback port (Docker's unix socket).
    var extraAddresses: [Listener.Address] { get }
    /// How the written inventory reaches it, given its loopback port.
    func inventoryEndpoint(port: Int) -> ComponentEndpoint
    /// Stops its timers and background work.
    func shutdown() async
}

/// What every component is built from.
struct ComponentSetup: Sendable {
    let homelab: Homelab
    let clock: SimulatedClock
    let options: SimulationOptions
    /// A private directory for sockets and files of this simulation.
    let directory: String
}
