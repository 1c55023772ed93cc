import Foundation
import HomelabCore
import Hummingbird

/// The simulated Authentik server (HTTPS, the run's certificate): the `/api/v3` part a homelab uses (admin version
/// and system, core applications, users and groups, providers, outposts with their health, flows, events), its
/// health endpoints and the embedded outpost's ping, backed by an ``AuthentikWorld``.
///
/// Every `/api/v3` request needs `Authorization: Bearer <token>` (scheme case-insensitive); a missing or wrong one
/// is a 403 `{"detail": ...}`, as Authentik answers. The written inventory names `https://127.0.0.1:PORT/api/v3`,
/// the run's CA and the token in a file (an `op://` reference once 1Password Connect is simulated too).
struct AuthentikComponent: SimulatedComponent {
    let world: AuthentikWorld
    let directory: String

    var kind: ComponentKind { .authentik }

    /// Seeds the directory from the homelab's routes and writes the token where the inventory will point.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the token file cannot be written.
    static func make(_ setup: ComponentSetup) async throws -> AuthentikComponent {
        let world = AuthentikWorld(routes: SimulatedRoute.routes(of: setup.homelab))
        let component = AuthentikComponent(world: world, directory: setup.directory)
        try SimulatorFiles.write(world.token, to: component.tokenFile, permissions: 0o600)
        return component
    }

    /// The file holding the API token.
    var tokenFile: String { (directory as NSString).appendingPathComponent("authentik-token") }

    var frontMiddleware: [any RouterMiddleware<SimulatorRequestContext>] { [AuthentikAPI(world: world)] }

    func addRoutes(to router: Router<SimulatorRequestContext>) {}

    func addAdminRoutes(to router: Router<SimulatorRequestContext>) {
        let world = self.world
        router.post("_sim/authentik/outpost-health") { request, _ -> Response in
            struct Body: Decodable { let healthy: Bool }
            let body = try await SimulatorJSON.body(Body.self, request)
            await world.setOutpostHealthy(body.healthy)
            return SimulatorJSON.response(["healthy": body.healthy])
        }
    }

    func defaultListener(in directory: String) -> ListenerOptions { ListenerOptions(tls: true) }

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        SimulatorJSON.response(JSONValue.object(["detail": .string(message)]), status: status)
    }

    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        var endpoint = listening.urlEndpoint
        endpoint.address = .url(listening.url + "/api/v3")
        return ComponentEndpoint(kind: .authentik, endpoint: endpoint, credentials: ["token": .file(tokenFile)])
    }

    func shutdown() async {}
}

/// Authentik's API, dispatched on the path's segments (every path ends with a slash, as Django's routes do).
struct AuthentikAPI: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    let world: AuthentikWorld

    func handle(
        _ request: Request, context: SimulatorRequestContext, next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if path == "/-/health/live/" || path == "/-/health/ready/" { return Response(status: .ok) }
        if path == "/outpost.goauthentik.io/ping" { return Response(status: .noContent) }
        guard path.hasPrefix("/api/v3/") else { return Self.answer(.object(["detail": .string("Not found.")]), status: 404) }
        let header = request.headers[.authorization] ?? ""
        let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return Self.answer(.object(["detail": .string("Authentication credentials were not provided.")]), status: 403)
        }
        guard parts[1] == world.token else { return Self.answer(.object(["detail": .string("Token invalid/expired")]), status: 403) }
        let segments = path.dropFirst("/api/v3/".count).split(separator: "/").map(String.init)
        var query: [String: String] = [:]
        for (key, values) in QueryString(request.uri.query).values { query[key] = values.first }
        do {
            var body: [String: JSONValue] = [:]
            if ["POST", "PATCH", "PUT"].contains(request.method.rawValue) {
                var request = request
                let buffer = try await request.collectBody(upTo: 1 << 20)
                if buffer.readableBytes > 0 {
                    guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
                        return Self.answer(.object(["non_field_errors": .array([.string("Invalid data. Expected a dictionary.")])]), status: 400)
                    }
                    body = object
                }
            }
            return try await route(request.method.rawValue, segments, query: query, body: body)
        } catch let error as AuthentikAPIError {
            return Self.answer(error.body, status: error.code)
        }
    }

    private func route(_ method: String, _ s: [String], query: [String: String], body: [String: JSONValue]) async throws -> Response {
        let now = Date()
        switch (method, s.count, s.first ?? "", s.count > 1 ? s[1] : "") {
        case ("GET", 2, "admin", "version"): return Self.answer(await world.versionJSON())
        case ("GET", 2, "admin", "system"): return Self.answer(await world.systemJSON(now: now))
        case ("GET", 2, "core", "applications"): return Self.answer(try await world.applications(query))
        case ("POST", 2, "core", "applications"): return Self.answer(try await world.createApplication(body), status: 201)
        case ("GET", 3, "core", "applications"): return Self.answer(try await world.application(s[2]))
        case ("DELETE", 3, "core", "applications"):
            try await world.deleteApplication(s[2])
            return Response(status: .noContent)
        case ("GET", 2, "core", "users"): return Self.answer(try await world.users(query))
        case ("POST", 2, "core", "users"): return Self.answer(try await world.createUser(body, now: now), status: 201)
        case ("GET", 3, "core", "users"): return Self.answer(try await world.user(try Self.int(s[2], "User")))
        case ("PATCH", 3, "core", "users"): return Self.answer(try await world.patchUser(try Self.int(s[2], "User"), body))
        case ("GET", 2, "core", "groups"): return Self.answer(try await world.groups(query))
        case ("POST", 2, "core", "groups"): return Self.answer(try await world.createGroup(body), status: 201)
        case ("GET", 3, "core", "groups"): return Self.answer(try await world.group(s[2]))
        case ("POST", 4, "core", "groups") where s[3] == "add_user" || s[3] == "remove_user":
            guard case .integer(let user)? = body["pk"] else { throw AuthentikAPIError.field("pk", "This field is required.") }
            try await world.membership(s[2], user: Int(user), add: s[3] == "add_user")
            return Response(status: .noContent)
        case ("GET", 2, "providers", "all"): return Self.answer(try await world.providers(query))
        case ("GET", 2, "providers", "proxy"): return Self.answer(try await world.proxyProviders(query))
        case ("POST", 2, "providers", "proxy"): return Self.answer(try await world.createProxyProvider(body), status: 201)
        case ("GET", 3, "providers", "proxy"): return Self.answer(try await world.proxyProvider(try Self.int(s[2], "ProxyProvider")))
        case ("GET", 2, "outposts", "instances"): return Self.answer(try await world.outposts(query))
        case ("GET", 3, "outposts", "instances"): return Self.answer(try await world.outpost(s[2]))
        case ("PATCH", 3, "outposts", "instances"): return Self.answer(try await world.patchOutpost(s[2], body))
        case ("GET", 4, "outposts", "instances") where s[3] == "health": return Self.answer(try await world.outpostHealth(s[2], now: now))
        case ("GET", 2, "flows", "instances"): return Self.answer(try await world.flows(query))
        case ("GET", 2, "events", "events"): return Self.answer(try await world.events(query))
        default: return Self.answer(.object(["detail": .string("Not found.")]), status: 404)
        }
    }

    private static func int(_ text: String, _ what: String) throws -> Int {
        guard let value = Int(text) else { throw AuthentikAPIError.notFound(what) }
        return value
    }

    static func answer(_ value: JSONValue, status: Int = 200) -> Response {
        SimulatorJSON.response(value, status: HTTPResponse.Status(code: status))
    }
}

extension HomelabSimulation {
    /// The simulated Authentik directory; `nil` when the simulation has none.
    public var authentikWorld: AuthentikWorld? { component(AuthentikComponent.self)?.world }
}
