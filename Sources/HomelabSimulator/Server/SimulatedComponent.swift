import HomelabCore
import Hummingbird
import HummingbirdWebSocket

/// One simulated homelab component: its state, the routes that serve it and the JSON shape of its errors.
///
/// Adding a component is adding a folder under `Components/` with a type conforming to this protocol and one
/// line in ``HomelabSimulation/makeComponents(for:setup:)``. The simulation gives it a router with fault
/// injection already installed, listens on 127.0.0.1 (over TLS when its ``ListenerOptions`` ask, and on a unix
/// socket when it has one), upgrades its WebSocket routes, and lists its endpoint.
protocol SimulatedComponent: Sendable {
    /// Which inventory component it stands in for.
    var kind: ComponentKind { get }
    /// Middleware that runs before routing, after fault injection (Docker's API version handling).
    var frontMiddleware: [any RouterMiddleware<SimulatorRequestContext>] { get }
    /// Adds the component's API routes.
    func addRoutes(to router: Router<SimulatorRequestContext>)
    /// WebSocket routes served on the same listeners (Proxmox's termproxy, Home Assistant's `/api/websocket`).
    var webSocketRoutes: [WebSocketRoute] { get }
    /// Adds operator routes below `/_sim/<kind>/` on the admin port (journals, failures, ...).
    func addAdminRoutes(to router: Router<SimulatorRequestContext>)
    /// How it listens unless ``SimulationOptions/listeners`` says otherwise; `directory` is the simulation's
    /// private directory (Docker: a unix socket `docker.sock` in it).
    func defaultListener(in directory: String) -> ListenerOptions
    /// An error answer in the component's own JSON shape (Docker: `{"message": ...}`), for faults and refusals.
    func errorResponse(status: HTTPResponse.Status, message: String) -> Response
    /// How the written inventory reaches it once it listens.
    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint
    /// Stops its timers and background work.
    func shutdown() async
}

extension SimulatedComponent {
    /// No WebSocket routes.
    var webSocketRoutes: [WebSocketRoute] { [] }
    /// No middleware before routing.
    var frontMiddleware: [any RouterMiddleware<SimulatorRequestContext>] { [] }
    /// No admin routes.
    func addAdminRoutes(to router: Router<SimulatorRequestContext>) {}
    /// Plain HTTP on loopback only.
    func defaultListener(in directory: String) -> ListenerOptions { ListenerOptions() }
}

/// One WebSocket route of a component: a path and what talks over the upgraded connection.
struct WebSocketRoute: Sendable {
    /// The path (`api/websocket`, `nodes/:node/termproxy`).
    let path: String
    /// Runs for one upgraded connection; returning closes it.
    let handler: WebSocketDataHandler<WebSocketRouterContext<SimulatorWebSocketContext>>
}

/// Where a component listens once it is up.
public struct ComponentListening: Sendable, Hashable {
    /// The loopback base URL: `http://127.0.0.1:<port>`, or `https://` with TLS.
    public var url: String
    /// Its unix socket, if it has one.
    public var socketPath: String?
    /// The PEM CA file that signed its certificate, when it serves TLS.
    public var caFile: String?

    /// A listening component.
    public init(url: String, socketPath: String? = nil, caFile: String? = nil) {
        self.url = url
        self.socketPath = socketPath
        self.caFile = caFile
    }

    /// The URL's endpoint, trusting the simulation's CA when it serves TLS.
    public var urlEndpoint: Endpoint {
        .url(url, tls: caFile.map { TLSOptions(trust: .caFile($0)) } ?? TLSOptions())
    }
}

/// What every component is built from.
struct ComponentSetup: Sendable {
    let homelab: Homelab
    let clock: SimulatedClock
    let options: SimulationOptions
    /// What every component sees: the nodes and their power.
    let world: SimulatedWorld
    /// A private directory for sockets and files of this simulation.
    let directory: String
}
