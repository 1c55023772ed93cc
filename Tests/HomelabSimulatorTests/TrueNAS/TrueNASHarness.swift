import Foundation
import HomelabCore
import HomelabSimulator
import Testing

/// The example homelab simulated, with its TrueNAS: the world, the HTTP client for its `/api` base (Bearer key for
/// REST), and connecting the SDK's client with chosen credentials and release.
struct TrueNASHarness: Sendable {
    let sim: SimulatorHarness

    var world: TrueNASWorld { sim.simulation.trueNASWorld! }
    var component: ComponentEndpoint { sim.simulation.homelab.components[.truenas]! }
    var endpoint: Endpoint { component.endpoint! }

    /// A client for `https://127.0.0.1:PORT/api` trusting the run's CA, with `middleware` (none by default).
    func http(_ middleware: [any HTTPMiddleware] = []) -> HTTPClient {
        HTTPClient(transport: sim.transport, endpoint: endpoint, component: "truenas", middleware: middleware)
    }

    /// The simulated key with the simulated user, presented as `mechanism`.
    func apiKey(_ mechanism: TrueNASCredentials.Mechanism = .automatic) -> TrueNASCredentials {
        .apiKey(Secret(world.apiKey), username: world.apiUser, mechanism: mechanism)
    }

    /// Connects the SDK's client (REST requests carry the Bearer key).
    func connect(_ credentials: TrueNASCredentials? = nil, options: TrueNASClient.Options = .init()) async throws -> TrueNASClient {
        try await TrueNASClient.connect(
            http: http([HeaderAuthMiddleware.bearer(Secret(world.apiKey))]), credentials: credentials ?? apiKey(), options: options)
    }

    /// Makes the simulated box pretend to be `release`.
    func release(_ release: String) async {
        await world.setRelease(release)
    }

    /// Connections opened from the simulation's written inventory (credentials from its key file).
    func connections() -> HomelabConnections {
        HomelabConnections(
            homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
    }
}

/// Runs `body` against a fresh simulation of the example homelab, TrueNAS included.
func withTrueNAS(_ body: (TrueNASHarness) async throws -> Void) async throws {
    try await withSimulation { sim in
        try await body(TrueNASHarness(sim: sim))
    }
}

/// Retries `body` a few times while a reconnect is under way (a call sent on the dropped link fails once).
func eventually<T: Sendable>(_ attempts: Int = 20, _ body: () async throws -> T) async throws -> T {
    var last: (any Error)?
    for _ in 0..<attempts {
        do {
            return try await body()
        } catch {
            last = error
            try await Task.sleep(for: .milliseconds(200))
        }
    }
    throw last ?? HomelabError(.internalFailure, "no attempt ran")
}
