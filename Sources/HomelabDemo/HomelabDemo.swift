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
    func shutdown() async { await running.shutdown() }
}
