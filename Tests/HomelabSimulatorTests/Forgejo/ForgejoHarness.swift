import Foundation
import HomelabCore
import HomelabSimulator
import Testing

/// The example homelab simulated, with its Forgejo and Woodpecker: their worlds, clients with chosen tokens, and
/// connections opened from the written inventory.
struct ForgeHarness: Sendable {
    let sim: SimulatorHarness

    var forge: ForgejoWorld { sim.simulation.forgejoWorld! }
    var ci: WoodpeckerWorld { sim.simulation.woodpeckerWorld! }
    var forgejoEndpoint: Endpoint { sim.simulation.homelab.components[.forgejo]!.endpoint! }
    var woodpeckerEndpoint: Endpoint { sim.simulation.homelab.components[.woodpecker]!.endpoint! }

    /// A Forgejo client with `token` (the admin's by default), without retries.
    func forgejo(token: String? = nil) -> ForgejoClient {
        ForgejoClient(http: HTTPClient(
            transport: sim.transport, endpoint: forgejoEndpoint, component: "forgejo",
            middleware: [ForgejoClient.tokenAuth(Secret(token ?? forge.adminToken))]))
    }

    /// A Woodpecker client with `token` (the user's by default), without retries.
    func woodpecker(token: String? = nil) -> WoodpeckerClient {
        WoodpeckerClient(http: HTTPClient(
            transport: sim.transport, endpoint: woodpeckerEndpoint, component: "woodpecker",
            middleware: [HeaderAuthMiddleware.bearer(Secret(token ?? ci.token))]))
    }

    /// Connections opened from the simulation's written inventory (tokens from its files).
    func connections() -> HomelabConnections {
        HomelabConnections(
            homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
    }

    /// The stack history the simulation was seeded with (rebuilt from the forge's answers).
    var stacks: [Homelab.Stack] { sim.simulation.homelab.stacks }
}

/// Runs `body` against a fresh simulation of the example homelab (Forgejo and Woodpecker included).
func withForge(timeScale: Double = 0.005, _ body: (ForgeHarness) async throws -> Void) async throws {
    try await withSimulation(timeScale: timeScale) { sim in
        try await body(ForgeHarness(sim: sim))
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func waitUntil(_ timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return false
}
