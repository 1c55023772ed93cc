import Foundation
import HomelabCore
import Hummingbird
import Logging

/// The simulated Caddy admin API (caddy-docker-proxy in server mode on barbary): plain HTTP on loopback and on a
/// unix socket (`caddy-admin.sock`, where only an empty `Host` is accepted, as on a real admin socket).
///
/// Its configuration is what caddy-docker-proxy would load for the simulated swarm: the services' `caddy*`
/// labels rendered by HomelabCore's ``CaddyDockerProxy`` (task addresses on Caddy's network) and adapted by
/// ``SimulatedCaddyfileAdapter``, with two deliberate differences for the checks to find (see
/// ``deliberateDifferences``).
struct CaddyComponent: SimulatedComponent {
    let admin: CaddyAdmin

    var kind: ComponentKind { .caddy }

    /// The deliberate differences between the labels and the live configuration: `tautulli.home.arpa` loses its
    /// forward auth (a `caddy unprotected` finding) and `bazarr.home.arpa` proxies to port 6768 where its label
    /// says 6767 (a `caddy diff` finding; the wrong port's upstreams count failures). Hosts the inventory does
    /// not route are left alone.
    static let deliberateDifferences = (unprotected: "tautulli.home.arpa", wrongPort: (host: "bazarr.home.arpa", from: "6767", to: "6768"))

    /// Renders the swarm's labels into the starting configuration.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the generated Caddyfile is outside the simulated
    ///   adapter's subset.
    static func make(_ setup: ComponentSetup, swarm: DockerWorld?) async throws -> CaddyComponent {
        var services: [Swarm.ServiceSummary] = []
        var tasks: [Swarm.Task] = []
        if let swarm {
            let serviceBytes = (try? await swarm.listServices(filters: nil, status: false)) ?? []
            let taskBytes = (try? await swarm.listTasks(filters: nil)) ?? []
            services = (try? JSONDecoder().decode([Swarm.ServiceSummary].self, from: Data(serviceBytes))) ?? []
            tasks = (try? JSONDecoder().decode([Swarm.Task].self, from: Data(taskBytes))) ?? []
        }
        let generator = CaddyDockerProxy()
        let rendering = generator.render(generator.labelledServices(services: services, tasks: tasks))
        var config: JSONValue
        do {
            config = try SimulatedCaddyfileAdapter.adapt(rendering.text)
        } catch let error as CaddyAPIError {
            throw HomelabError(.invalidConfiguration, "the swarm's caddy labels cannot be simulated: \(error.message)", component: "simulator")
        }
        var failing: [String: Int] = [:]
        config = Self.withDeliberateDifferences(config, failing: &failing)
        return CaddyComponent(admin: CaddyAdmin(config: config, failing: failing, generatedCaddyfile: rendering.text))
    }

    /// `config` with the forward auth of the unprotected host removed and the wrong port's upstreams moved.
    static func withDeliberateDifferences(_ config: JSONValue, failing: inout [String: Int]) -> JSONValue {
        guard var typed = try? JSONDecoder().decode(Caddy.Config.self, from: Data(SimulatorJSON.encode(config))),
            var servers = typed.apps?.http?.servers
        else { return config }
        let differences = deliberateDifferences
        for (name, var server) in servers {
            guard var routes = server.routes else { continue }
            for index in routes.indices {
                let hosts = routes[index].hosts
                if hosts.contains(differences.unprotected) {
                    routes[index].handle = routes[index].handle?.map { handler in
                        var handler = handler
                        handler.routes = handler.routes?.map { inner in
                            var inner = inner
                            inner.handle = inner.handle?.filter { !($0.handler == .reverseProxy && $0.rewrite?.uri != nil) }
                            return inner
                        }
                        return handler
                    }
                }
                if hosts.contains(differences.wrongPort.host) {
                    routes[index].handle = routes[index].handle?.map { handler in
                        var handler = handler
                        handler.routes = handler.routes?.map { inner in
                            var inner = inner
                            inner.handle = inner.handle?.map { step in
                                var step = step
                                guard step.handler == .reverseProxy, step.rewrite == nil else { return step }
                                step.upstreams = step.upstreams?.map { upstream in
                                    var upstream = upstream
                                    if let dial = upstream.dial, dial.hasSuffix(":" + differences.wrongPort.from) {
                                        upstream.dial = String(dial.dropLast(differences.wrongPort.from.count)) + differences.wrongPort.to
                                        failing[upstream.dial ?? ""] = 3
                                    }
                                    return upstream
                                }
                                return step
                            }
                            return inner
                        }
                        return handler
                    }
                }
            }
            server.routes = routes
            servers[name] = server
        }
        typed.apps?.http?.servers = servers
        return (try? JSONDecoder().decode(JSONValue.self, from: Data(SimulatorJSON.encode(typed)))) ?? config
    }

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        CaddyRoutes(admin: admin).add(to: router)
    }

    func addAdminRoutes(to router: Router<SimulatorRequestContext>) {
        let admin = self.admin
        router.get("_sim/caddy/caddyfile") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/caddyfile"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: admin.generatedCaddyfile)))
        }
    }

    func defaultListener(in directory: String) -> ListenerOptions {
        ListenerOptions(socketPath: (directory as NSString).appendingPathComponent("caddy-admin.sock"))
    }

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        SimulatorJSON.response(SimulatorJSON.encode(["error": message]), status: status)
    }

    /// The loopback URL (Caddy's admin API has no credentials on its local endpoint).
    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        ComponentEndpoint(kind: .caddy, endpoint: .url(listening.url))
    }

    func shutdown() async {}
}

extension HomelabSimulation {
    /// The simulated Caddy admin API's state, found through the component registry; `nil` without one.
    public var caddyAdmin: CaddyAdmin? { component(CaddyComponent.self)?.admin }
}
