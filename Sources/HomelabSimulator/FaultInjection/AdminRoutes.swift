import Foundation
import HomelabCore
import Hummingbird

/// The endpoints of a running simulation, published once every listener is up (the admin routes are built
/// before the ports are known).
final class PublishedEndpoints: Sendable {
    private let value = Locked<SimulatedEndpoints?>(nil)

    func set(_ endpoints: SimulatedEndpoints) { value.withLock { $0 = endpoints } }
    func get() -> SimulatedEndpoints? { value.withLock { $0 } }
}

/// The simulation's own API on the admin port:
///
/// - `GET /_sim/endpoints`: where each component answers;
/// - `GET /_sim/faults`, `POST /_sim/faults` (`{"component": "docker", "error_rate": 0.5, ...}`, replacing that
///   component's plan), `DELETE /_sim/faults[/<component>]`;
/// - `GET /_sim/stats`: requests and injected faults per component;
/// - `GET /_sim/nodes`, `POST /_sim/nodes/<name>/power` (`{"power": "off"}`): the shared node table;
/// - each component's own routes below `/_sim/<component>/`.
///
/// Errors are the admin API's own `{"message": ...}`, whichever component's route threw them.
struct AdminRoutes: Sendable {
    let faults: FaultBoard
    let components: [any SimulatedComponent]
    let endpoints: PublishedEndpoints
    let world: SimulatedWorld

    func add(to router: Router<SimulatorRequestContext>) {
        router.add(middleware: AdminErrors())
        router.get("_sim/endpoints") { _, _ -> Response in
            guard let endpoints = endpoints.get() else { throw SimulatorError.unavailable("the simulation is starting") }
            var body: [String: String] = ["admin": endpoints.admin]
            for (kind, listening) in endpoints.listening {
                body[kind.rawValue] = listening.url
                if let socket = listening.socketPath { body["\(kind.rawValue)_socket"] = socket }
            }
            for kind in endpoints.notSimulated { body[kind.rawValue] = "not simulated yet" }
            if let caFile = endpoints.caFile { body["ca_file"] = caFile }
            return SimulatorJSON.response(body)
        }
        router.get("_sim/faults") { _, _ in
            SimulatorJSON.response(Dictionary(uniqueKeysWithValues: faults.plans.map { ($0.key.rawValue, $0.value) }))
        }
        router.post("_sim/faults") { request, _ -> Response in
            struct Body: Decodable { let component: String }
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let data = Data(buffer.readableBytesView)
            guard let body = try? JSONDecoder().decode(Body.self, from: data) else {
                throw SimulatorError.badRequest("expected {\"component\": \"docker\", ...fault settings}")
            }
            guard let kind = ComponentKind(rawValue: body.component) else {
                throw SimulatorError.badRequest("unknown component '\(body.component)'")
            }
            let plan: FaultPlan
            do {
                plan = try JSONDecoder().decode(FaultPlan.self, from: data)
            } catch let error as HomelabError {
                throw SimulatorError.badRequest(error.message)
            } catch {
                throw SimulatorError.badRequest("malformed fault settings: \(error)")
            }
            faults.set(plan, for: kind)
            return SimulatorJSON.response(plan)
        }
        router.delete("_sim/faults") { _, _ -> Response in
            faults.clear()
            return Response(status: .noContent)
        }
        router.delete("_sim/faults/:component") { _, context -> Response in
            let name = try Self.parameter(context, "component")
            guard let kind = ComponentKind(rawValue: name) else { throw SimulatorError.badRequest("unknown component '\(name)'") }
            faults.set(FaultPlan(), for: kind)
            return Response(status: .noContent)
        }
        router.get("_sim/stats") { _, _ in
            SimulatorJSON.response(Dictionary(uniqueKeysWithValues: faults.stats.map { ($0.key.rawValue, $0.value) }))
        }
        addNodeRoutes(to: router)
        for component in components { component.addAdminRoutes(to: router) }
    }

    private func addNodeRoutes(to router: Router<SimulatorRequestContext>) {
        let nodes = world.nodes
        router.get("_sim/nodes") { _, _ in SimulatorJSON.response(await nodes.all) }
        router.post("_sim/nodes/:name/power") { request, context -> Response in
            struct Body: Decodable { let power: SimulatedNodes.Power }
            let body = try await SimulatorJSON.body(Body.self, request)
            let name = try Self.parameter(context, "name")
            guard await nodes.node(name) != nil else { throw SimulatorError.notFound("the homelab has no node '\(name)'") }
            try await nodes.setPower(name, body.power)
            return SimulatorJSON.response(await nodes.node(name))
        }
    }

    /// A path parameter, percent-decoded.
    /// - Throws: ``SimulatorError`` 404 when missing.
    static func parameter(_ context: SimulatorRequestContext, _ name: String) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else { throw SimulatorError.notFound("page not found") }
        return value.removingPercentEncoding ?? value
    }
}

/// Turns route errors, whoever threw them, into the admin API's `{"message": ...}` answers.
private struct AdminErrors: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    func handle(
        _ request: Request, context: SimulatorRequestContext,
        next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any SimulatedAPIError {
            return SimulatorJSON.error(error.status, error.message)
        } catch let error as HomelabError {
            return SimulatorJSON.error(error.code == .notFound ? .notFound : .badRequest, error.message)
        } catch let error as HTTPError {
            return SimulatorJSON.error(error.status, error.body ?? "\(error.status.reasonPhrase)")
        }
    }
}
