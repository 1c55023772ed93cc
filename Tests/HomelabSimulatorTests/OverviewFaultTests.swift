import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// `HomelabOverview` against the simulator with Docker faults: each finishes within its deadline, reports docker
/// down (or its credentials rejected) with the reason, and keeps every other row.
@Suite("The overview never throws: a faulty Docker is a down row, the rest intact")
struct OverviewFaultTests {
    /// The deadline where the answer is expected in time: generous, since the whole suite loads both cores (a
    /// listing of the simulated swarm took over 1 s then). The timeout cases use 1 s.
    static let deadline: Duration = .seconds(15)
    /// Time beyond the deadline the whole overview may take: scheduling on a 2-core machine running the whole suite
    /// (seen: 3.5 s). The bug this guards against is an overview that never returns (over 120 s before).
    static let slack: Duration = .seconds(10)

    /// The simulation's inventory plus a Forgejo served by a loopback test server (its `/echo` answers 200).
    static func overview(
        _ sim: SimulatorHarness, _ server: TestHTTPServer, deadline: Duration = deadline
    ) async -> (HomelabOverview, Duration) {
        var homelab = sim.simulation.homelab
        homelab.components[.forgejo] = ComponentEndpoint(kind: .forgejo, endpoint: .url(server.url() + "/echo"))
        let connections = HomelabConnections(
            homelab: homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        let started = ContinuousClock.now
        let overview = await HomelabOverview.collect(homelab: homelab, connections: connections, deadline: deadline)
        let elapsed = ContinuousClock.now - started
        await connections.close()
        return (overview, elapsed)
    }

    static func row(_ overview: HomelabOverview, _ kind: ComponentKind) throws -> HomelabOverview.ComponentRow {
        try #require(overview.components.first { $0.kind == kind })
    }

    @Test("without faults every row is up and services have their live state")
    func allUp() async throws {
        try await TestHTTPServer.with { server in
            try await withSimulation { sim in
                let (overview, _) = await Self.overview(sim, server)
                #expect(overview.isAllUp)
                let docker = try Self.row(overview, .docker)
                let forgejo = try Self.row(overview, .forgejo)
                #expect(docker.detail.hasPrefix("API "))
                #expect(forgejo.reachable)
                #expect(overview.nodes.count == 5)
                #expect(!overview.services.contains { $0.health == .unknown })
            }
        }
    }

    /// Resets are retried (4 attempts, backoff from 200 ms): their deadline leaves room for the retries to end, so
    /// the row says why the connection failed rather than that time ran out.
    @Test("faults on docker", arguments: [
        // 8 s, not less: the other rows (the echo server standing in for Forgejo) must answer within it on a loaded
        // 2-core machine (the whole suite), and once took 3.3 s there.
        ("hang", FaultPlan(hangRate: 1), "timed out", Duration.seconds(8)),
        ("latency", FaultPlan(latency: .seconds(30)), "timed out", Duration.seconds(8)),
        ("reset", FaultPlan(resetRate: 1), "connection failed", Duration.seconds(15)),
    ])
    func dockerDown(name: String, plan: FaultPlan, reason: String, deadline: Duration) async throws {
        try await TestHTTPServer.with { server in
            try await withSimulation(faults: [.docker: plan]) { sim in
                let (overview, elapsed) = await Self.overview(sim, server, deadline: deadline)
                #expect(elapsed < deadline + Self.slack, "\(name): took \(elapsed)")
                let docker = try Self.row(overview, .docker)
                guard case .down(let why) = docker.state else {
                    Issue.record("\(name): docker is \(docker.state)")
                    return
                }
                #expect(why.contains(reason), "\(name): \(why)")
                #expect(overview.swarmFailure != nil)
                #expect(overview.nodes.isEmpty)
                #expect(!overview.services.isEmpty && overview.services.allSatisfy { $0.health == .unknown })
                let forgejo = try Self.row(overview, .forgejo)
                #expect(forgejo.reachable, "\(name): the other rows are intact")
                #expect(!overview.isAllUp)
            }
        }
    }

    @Test("rejected credentials on docker are 'credentials rejected', not up and not down")
    func dockerUnauthorized() async throws {
        try await TestHTTPServer.with { server in
            try await withSimulation(faults: [.docker: FaultPlan(rejectCredentials: true)]) { sim in
                let (overview, elapsed) = await Self.overview(sim, server)
                #expect(elapsed < Self.deadline + Self.slack)
                let docker = try Self.row(overview, .docker)
                let forgejo = try Self.row(overview, .forgejo)
                #expect(docker.state == .credentialsRejected(status: 401))
                #expect(overview.swarmFailure?.contains("unauthorized") == true)
                #expect(forgejo.reachable)
            }
        }
    }
}
