import HomelabCommands
import HomelabCore
import HomelabSimulator

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `homelab-demo`: what `homelab demo` runs. The tour lives in HomelabCommands; this executable only adds the
/// simulator (Hummingbird, SwiftNIO), which `homelab` does not link so that its other commands start faster.
@main
struct HomelabDemo {
    static func main() async {
        HomelabCommand.bootstrapLogging()
        exit(await HomelabCommand.runDemo(arguments: Array(CommandLine.arguments.dropFirst()), simulator: Simulator()))
    }
}

/// HomelabSimulator's homelab, as the tour uses it.
struct Simulator: DemoSimulator {
    func start(inventory: Homelab, timeScale: Double) async throws -> any DemoSimulation {
        Simulation(running: try await HomelabSimulation.start(inventory: inventory, options: SimulationOptions(timeScale: timeScale)))
    }
}

struct Simulation: DemoSimulation {
    let running: HomelabSimulation
    var homelab: Homelab { running.homelab }
    var endpointsDescription: String { running.endpoints.rendered() }
    var dockerSocket: String { running.endpoints.dockerSocket }
    var swarmJoiner: (any SwarmJoining)? { running.dockerWorld.map(SimulatedSwarmJoin.init) }
    func shutdown() async { await running.shutdown() }
}

/// The simulated machine's engine joining the simulated swarm with the token the pipeline read from the manager.
struct SimulatedSwarmJoin: SwarmJoining {
    let world: DockerWorld

    func join(_ node: Homelab.Node, _ request: Swarm.SwarmJoinRequest, timeout: Duration) async throws {
        try await world.join(node, token: request.joinToken.reveal())
    }
}
