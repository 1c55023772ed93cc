import Foundation
import HomelabCore
import HomelabSimulator
import Testing

@Suite("The simulator's Engine answers decode the same through the tape decoder and JSONDecoder")
struct SimulatorTapeDecodingTests {
    /// GETs `path` and decodes the same bytes both ways.
    static func same<T: Decodable & Equatable>(_ type: T.Type, _ path: String, _ sim: SimulatorHarness) async throws -> T {
        let response = try await sim.send(.get, path)
        #expect(response.isSuccess, "GET \(path) answered \(response.status)")
        let foundation = try JSONDecoder().decode(T.self, from: Data(response.body))
        let tape = try TapeJSONDecoder().decode(T.self, from: response.body)
        #expect(tape == foundation, "GET \(path) as \(T.self)")
        return tape
    }

    static func everyListing(_ sim: SimulatorHarness) async throws -> [Swarm.Service] {
        let services = try await same([Swarm.Service].self, "/v1.47/services?status=true", sim)
        _ = try await same([Swarm.Node].self, "/v1.47/nodes", sim)
        _ = try await same([Swarm.Task].self, "/v1.47/tasks", sim)
        _ = try await same(Swarm.SystemInfo.self, "/v1.47/info", sim)
        _ = try await same(Swarm.SystemVersion.self, "/v1.47/version", sim)
        _ = try await same(Swarm.Cluster.self, "/v1.47/swarm", sim)
        _ = try await same([Swarm.Network].self, "/v1.47/networks", sim)
        _ = try await same([Swarm.Config].self, "/v1.47/configs", sim)
        _ = try await same([Swarm.Secret].self, "/v1.47/secrets", sim)
        if let first = services.first?.id { _ = try await same(Swarm.Service.self, "/v1.47/services/\(first)", sim) }
        return services
    }

    @Test("the example homelab: services, nodes, tasks, info, version, swarm, networks, configs, secrets")
    func exampleHomelab() async throws {
        try await withSimulation { sim in
            let services = try await Self.everyListing(sim)
            #expect(!services.isEmpty)
        }
    }

    @Test("a generated homelab of 200 services")
    func generated() async throws {
        let homelab = ScaleGenerator.homelab(ScaleGenerator.Size(nodes: 10, services: 200))
        try await withSimulation(homelab: homelab) { sim in
            let services = try await Self.everyListing(sim)
            #expect(services.count == 200)
        }
    }
}
