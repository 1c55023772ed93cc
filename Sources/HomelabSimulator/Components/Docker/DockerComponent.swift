import Foundation
import HomelabCore
import Hummingbird
import Logging

/// The simulated Docker Engine API of the swarm's leader: a ``DockerWorld`` served on 127.0.0.1 and on a
/// unix socket, as `dockerd -H unix://... -H tcp://...` would.
struct DockerComponent: SimulatedComponent {
    let world: DockerWorld
    let nodes: SimulatedNodes

    var kind: ComponentKind { .docker }

    /// Seeds a world from the inventory and makes it follow the shared node table's power.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the inventory cannot be simulated (no manager).
    static func make(_ setup: ComponentSetup) async throws -> DockerComponent {
        var logger = setup.options.logger
        logger[metadataKey: "component"] = "docker"
        let world = DockerWorld(clock: setup.clock, timings: setup.options.timings, seed: setup.options.seed, logger: logger)
        try await world.seed(from: setup.homelab)
        await setup.world.nodes.observe { name, power in
            // A node the swarm does not have (removed with `docker node rm`) has nothing to follow.
            try? await world.setNodeState(name, power == .on ? .ready : .down)
        }
        return DockerComponent(world: world, nodes: setup.world.nodes)
    }

    var frontMiddleware: [any RouterMiddleware<SimulatorRequestContext>] {
        [DockerVersionMiddleware(engineVersion: world.engineVersion)]
    }

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        DockerRoutes(world: world).add(to: router)
    }

    func addAdminRoutes(to router: Router<SimulatorRequestContext>) {
        router.post("_sim/docker/nodes/:name/state") { request, context -> Response in
            struct Body: Decodable { let state: String }
            let body = try await DockerRoutes.body(Body.self, request)
            let state = Swarm.NodeState(rawValue: body.state)
            guard state == .ready || state == .down else {
                throw DockerAPIError.badRequest("a simulated node can be made ready or down, not \(state)")
            }
            let hostname = try await world.hostname(of: try DockerRoutes.parameter(context, "name"))
            try await nodes.setPower(hostname, state == .ready ? .on : .off)
            return DockerRoutes.empty()
        }
        router.post("_sim/docker/tasks/:id/fail") { _, context -> Response in
            try await world.failTask(try DockerRoutes.parameter(context, "id"))
            return DockerRoutes.empty()
        }
        router.get("_sim/docker/updates/:service") { _, context -> Response in
            let events = await world.updateEvents(service: try DockerRoutes.parameter(context, "service"))
            return DockerJSON.response(events.map(\.description))
        }
    }

    func defaultListener(in directory: String) -> ListenerOptions {
        ListenerOptions(socketPath: (directory as NSString).appendingPathComponent("docker.sock"))
    }

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        DockerJSON.error(status, message)
    }

    /// The unix socket, as on a manager; over TLS the https URL and the run's CA (`DOCKER_TLS_VERIFY`).
    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        if listening.caFile == nil, let socket = listening.socketPath {
            return ComponentEndpoint(kind: .docker, endpoint: .unixSocket(socket))
        }
        return ComponentEndpoint(kind: .docker, endpoint: listening.urlEndpoint)
    }

    func shutdown() async {
        await world.shutdown()
    }
}
