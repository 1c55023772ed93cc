import Foundation
import HomelabCore
import Hummingbird

/// The simulated Woodpecker CI server (plain HTTP): `/healthz` and `/version` at the root, the API under `/api`,
/// a ``WoodpeckerWorld`` that built the commits of ``StacksRepositoryHistory``.
///
/// The written inventory reaches it at `http://127.0.0.1:PORT/api` with the user's token in a file in the
/// simulation's private directory (`file:` reference).
struct WoodpeckerComponent: SimulatedComponent {
    let world: WoodpeckerWorld
    let directory: String

    var kind: ComponentKind { .woodpecker }

    /// Builds the CI, starts its running pipeline and writes the token's file.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the token file cannot be written.
    static func make(_ setup: ComponentSetup, history: StacksRepositoryHistory) async throws -> WoodpeckerComponent {
        let world = await WoodpeckerWorld(history: history, clock: setup.clock)
        await world.start()
        let component = WoodpeckerComponent(world: world, directory: setup.directory)
        try SimulatedTokenFile.write(world.token, to: component.tokenFile, component: "Woodpecker")
        return component
    }

    /// The file holding the user's token.
    var tokenFile: String { (directory as NSString).appendingPathComponent("woodpecker-token") }

    var frontMiddleware: [any RouterMiddleware<SimulatorRequestContext>] { [WoodpeckerErrorMiddleware()] }

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        WoodpeckerRoutes(world: world).add(to: router)
    }

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        WoodpeckerText.response(status, message)
    }

    /// `http://127.0.0.1:PORT/api` and a `file:` reference to the token.
    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        var endpoint = listening.urlEndpoint
        endpoint.address = .url(listening.url + "/api")
        return ComponentEndpoint(kind: .woodpecker, endpoint: endpoint, credentials: ["token": .file(tokenFile)])
    }

    func shutdown() async { await world.stop() }
}

/// Gin's answer to a path it does not serve: `404 page not found` as plain text.
struct WoodpeckerErrorMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    func handle(
        _ request: Request, context: SimulatorRequestContext, next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return WoodpeckerText.response(.notFound, "404 page not found")
        }
    }
}

extension HomelabSimulation {
    /// The simulated Woodpecker's state (repositories, pipelines, logs, agents); `nil` when the simulation has none.
    public var woodpeckerWorld: WoodpeckerWorld? { component(WoodpeckerComponent.self)?.world }
}
