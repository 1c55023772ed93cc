import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The example homelab simulated, with its Authentik and 1Password Connect: the worlds, clients built by hand
/// (token given) and through the written inventory (`HomelabConnections`, credentials through Connect).
struct PlatformHarness: Sendable {
    let sim: SimulatorHarness

    var authentikWorld: AuthentikWorld { sim.simulation.authentikWorld! }
    var vaults: ConnectVaults { sim.simulation.connectVaults! }
    var authentikEndpoint: Endpoint { sim.simulation.homelab.components[.authentik]!.endpoint! }
    var connectEndpoint: Endpoint { sim.simulation.homelab.components[.onepassword]!.endpoint! }

    /// Authentik's client with `token` (the simulated one by default), `pageSize` items per page.
    func authentik(token: String? = nil, pageSize: Int = 100) -> AuthentikClient {
        AuthentikClient(
            http: HTTPClient(
                transport: sim.transport, endpoint: authentikEndpoint, component: "authentik",
                middleware: [HeaderAuthMiddleware.bearer(Secret(token ?? authentikWorld.token)), LoggingMiddleware()]),
            pageSize: pageSize)
    }

    /// Connect's client with `token` (the simulated one by default).
    func connect(token: String? = nil) -> OnePasswordClient {
        OnePasswordClient(
            http: HTTPClient(
                transport: sim.transport, endpoint: connectEndpoint, component: "onepassword",
                middleware: [HeaderAuthMiddleware.bearer(Secret(token ?? vaults.token))]))
    }

    /// Connections opened from the simulation's written inventory, as every frontend opens them.
    func connections(log: LogCapture? = nil) -> HomelabConnections {
        HomelabConnections(
            homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil,
            logger: log?.logger())
    }

    /// The homelab's routes (as its labels declare them).
    var simulatedRoutes: [SimulatedRoute] { SimulatedRoute.routes(of: sim.simulation.homelab) }

    /// The homelab's routes as the forward-auth check takes them.
    var routes: [ForwardAuthRoute] {
        simulatedRoutes.map { ForwardAuthRoute(host: $0.host, isProtected: $0.isProtected) }
    }
}

/// Runs `body` against a fresh simulation of the example homelab (Authentik and Connect included).
func withPlatform(_ body: (PlatformHarness) async throws -> Void) async throws {
    try await withSimulation { sim in
        try await body(PlatformHarness(sim: sim))
    }
}
