import Foundation
import HomelabCore
import Hummingbird

/// The simulated Forgejo (`/api/v1` on plain HTTP): a ``ForgejoWorld`` holding the homelab's forge, with the stack
/// repository whose history ``StacksRepositoryHistory`` describes.
///
/// The written inventory reaches it at `http://127.0.0.1:PORT/api/v1` with the admin's token in a file in the
/// simulation's private directory (`file:` reference).
struct ForgejoComponent: SimulatedComponent {
    let world: ForgejoWorld
    let directory: String

    var kind: ComponentKind { .forgejo }

    /// Builds the forge and writes the admin token's file.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the token file cannot be written.
    static func make(_ setup: ComponentSetup, history: StacksRepositoryHistory) async throws -> ForgejoComponent {
        let world = ForgejoWorld(homelab: setup.homelab, history: history)
        let component = ForgejoComponent(world: world, directory: setup.directory)
        try SimulatedTokenFile.write(world.adminToken, to: component.tokenFile, component: "Forgejo")
        return component
    }

    /// The file holding the admin's token.
    var tokenFile: String { (directory as NSString).appendingPathComponent("forgejo-token") }

    var frontMiddleware: [any RouterMiddleware<SimulatorRequestContext>] { [ForgejoErrorMiddleware()] }

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        ForgejoRoutes(world: world).add(to: router)
    }

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        ForgejoJSON.error(status, message)
    }

    /// `http://127.0.0.1:PORT/api/v1` and a `file:` reference to the admin's token.
    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        var endpoint = listening.urlEndpoint
        endpoint.address = .url(listening.url + "/api/v1")
        return ComponentEndpoint(kind: .forgejo, endpoint: endpoint, credentials: ["token": .file(tokenFile)])
    }

    func shutdown() async {}
}

/// Forgejo's answer to a path it does not serve: `404 {"message": "404 page not found"}` in its error shape.
struct ForgejoErrorMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    func handle(
        _ request: Request, context: SimulatorRequestContext, next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return ForgejoJSON.error(.notFound, "404 page not found")
        }
    }
}

/// Writes a simulated credential to a private file, for the inventory's `file:` references.
enum SimulatedTokenFile {
    /// Writes `token` to `path` with mode 0600.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when it cannot.
    static func write(_ token: String, to path: String, component: String) throws {
        do {
            try Data(token.utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw HomelabError(.invalidConfiguration, "cannot write the simulated \(component) token file", component: "simulator")
        }
    }
}

extension HomelabSimulation {
    /// The simulated Forgejo's state (users, repositories, history); `nil` when the simulation has none.
    public var forgejoWorld: ForgejoWorld? { component(ForgejoComponent.self)?.world }
}
