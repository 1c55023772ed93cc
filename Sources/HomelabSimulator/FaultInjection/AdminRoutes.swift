import Foundation
import HomelabCore
import Hummingbird
import Synchronization

/// The endpoints of a running simulation, published once every listener is up (the admin routes are built
/// before the ports are known).
final class PublishedEndpoints: Sendable {
    private let value = Mutex<SimulatedEndpoints?>(nil)

    func set(_ endpoints: SimulatedEndpoints) { value.withLock { $0 = endpoints } }
    func get() -> SimulatedEndpoints? { value.withLock { $0 } }
}

/// The simulation's own API on the admin port:
///
/// - `GET /_sim/endpoints`: where each component answers;
/// - `GET /_sim/faults`, `POST /_sim/faults` (`{"component": "docker", "error_rate": 0.5, ...}`, replacing that
///   component's plan), `DELETE /_sim/faults[/<component>]`;
/// - `GET /_sim/stats`: requests and injected faults per component;
/// - each component's own routes below `/_sim/<component>/`.
struct AdminRoutes: Sendable {
    let faults: FaultBoard
    let components: [any SimulatedComponent]
    let endpoints: PublishedEndpoints

    func add(to router: Router<SimulatorRequestContext>) {
        router.add(middleware: AdminErrors())
        router.get("_sim/endpoints") { _, _ -> Response in
            guard let endpoints = endpoints.get() else { throw DockerAPIError.unavailable("the simulation is starting") }
            var body: [String: String] = ["admin": endpoints.admin, "docker_socket": endpoints.dockerSocket]
            for (kind, url) in endpoints.components { body[kind.rawValue] = url }
            for kind in endpoints.notSimulated { body[kind.rawValue] = "not simulated yet" }
            return DockerJSON.response(body)
        }
        router.get("_sim/faults") { _, _ in
            DockerJSON.response(Dictionary(uniqueKeysWithValues: faults.plans.map { ($0.key.rawValue, $0.value) }))
        }
        router.post("_sim/faults") { request, _ -> Response in
            struct Body: Decodable { let component: String }
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let data = Data(buffer.readableBytesView)
            guard let body = try? JSONDecoder().decode(Body.self, from: data) else {
                throw DockerAPIError.badRequest("expected {\"component\": \"docker\", ...fault settings}")
            }
            guard let kind = ComponentKind(rawValue: body.component) else {
                throw DockerAPIError.badRequest("unknown component '\(body.component)'")
            }
            let plan: FaultPlan
            do {
                plan = try JSONDecoder().decode(FaultPlan.self, from: data)
            } catch let error as HomelabError {
                throw DockerAPIError.badRequest(error.message)
            } catch {
                throw DockerAPIError.badRequest("malformed fault settings: \(error)")
            }
            faults.set(plan, for: kind)
            return DockerJSON.response(plan)
        }
        router.delete("_sim/faults") { _, _ -> Response in
            faults.clear()
            return Response(status: .noContent)
        }
        router.delete("_sim/faults/:component") { _, context -> Response in
            let name = try DockerRoutes.parameter(context, "component")
            guard let kind = ComponentKind(rawValue: name) else { throw DockerAPIError.badRequest("unknown component '\(name)'") }
            faults.set(FaultPlan(), for: kind)
            return Response(status: .noContent)
        }
        router.get("_sim/stats") { _, _ in
            DockerJSON.response(Dictionary(uniqueKeysWithValues: faults.stats.map { ($0.key.rawValue, $0.value) }))
        }
        for component in components { component.addAdminRoutes(to: router) }
    }
}

/// Turns route errors into `{"message": ...}` answers on the admin port.
private struct AdminErrors: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    func handle(
        _ request: Request, context: SimulatorRequestContext,
        next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as DockerAPIError {
            return DockerJSON.error(error.status, error.message)
        } catch let error as HomelabError {
            return DockerJSON.error(.badRequest, error.message)
        } catch let error as HTTPError {
            return DockerJSON.error(error.status, error.body ?? "\(error.status.reasonPhrase)")
        }
    }
}
