import Foundation
import HomelabCore
import Hummingbird
import Logging

/// The simulated Docker Engine API of the swarm's leader: a ``DockerWorld`` served on 127.0.0.1 and on a
/// unix socket, as `dockerd -H unix://... -H tcp://...` would.
struct DockerComponent: SimulatedComponent {
    let world: DockerWorld
    let socketPath: String

    var kind: ComponentKind { .docker }

    /// Seeds a world from the inventory.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the inventory cannot be simulated (no manager).
    static func make(_ setup: ComponentSetup) async throws -> DockerComponent {
        var logger = setup.options.logger
        logger[metadataKey: "component"] = "docker"
        let world = DockerWorld(clock: setup.clock, timings: setup.options.timings, seed: setup.options.seed, logger: logger)
        try await world.seed(from: setup.homelab)
        let socket = setup.options.dockerSocketPath ?? (setup.directory as NSString).appendingPathComponent("docker.sock")
        return DockerComponent(world: world, socketPath: socket)
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
            try await world.setNodeState(try DockerRoutes.parameter(context, "name"), Swarm.NodeState(rawValue: body.state))
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

    var extraAddresses: [Listener.Address] { [.unixSocket(path: socketPath)] }

    func inventoryEndpoint(port: Int) -> ComponentEndpoint {
        ComponentEndpoint(kind: .docker, endpoint: .unixSocket(socketPath))
    }

    func shutdown() async {
        await world.shutdown()
        try? FileManager.default.removeItem(atPath: socketPath)
    }
}
