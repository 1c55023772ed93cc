import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The example homelab simulated, with a collector over it.
struct SimulatedCollection {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let exampleInventory = repositoryRoot.appendingPathComponent("Examples/homelab.yaml").path

    let simulation: HomelabSimulation
    let transport: CurlTransport
    let collector: HomelabCollector

    static func start(
        faults: [ComponentKind: FaultPlan] = [:], extra: [ComponentKind: ComponentEndpoint] = [:], journal: RolloutJournal? = nil
    ) async throws -> SimulatedCollection {
        let inventory = try InventoryLoader.load(path: exampleInventory)
        let simulation = try await HomelabSimulation.start(
            inventory: inventory, options: SimulationOptions(timeScale: 0.005, faults: faults))
        var homelab = simulation.homelab
        for (kind, endpoint) in extra { homelab.components[kind] = endpoint }
        let transport = try CurlTransport()
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        let source = ConnectionsMetricsSource(connections: connections, journal: journal)
        return SimulatedCollection(simulation: simulation, transport: transport, collector: HomelabCollector(source: source))
    }

    func stop() async {
        await simulation.shutdown()
        transport.shutdown()
    }
}

extension [MetricFamily] {
    func value(_ name: String, _ labels: [String: String]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            labels.allSatisfy { key, value in sample.labels.contains(MetricFamily.Label(key, value)) }
        }?.value
    }
}

@Suite("Collecting the homelab's metrics")
struct CollectionTests {
    @Test("one collection gives up, duration, replicas with stack and tier, nodes and tasks")
    func collectsTheSwarm() async throws {
        let sim = try await SimulatedCollection.start()
        let families = await sim.collector.collectAll(deadline: .now + .seconds(10))
        await sim.stop()
        #expect(families.value("homelab_up", ["component": "docker"]) == 1)
        #expect((families.value("homelab_collection_duration_seconds", ["component": "docker"]) ?? -1) >= 0)
        let agent = ["service": "woodpecker_woodpecker-agent", "stack": "woodpecker", "tier": "platform"]
        #expect(families.value("homelab_swarm_service_replicas_desired", agent) == 2)
        #expect(families.value("homelab_swarm_service_replicas_running", agent) != nil)
        #expect(families.value("homelab_swarm_node_role", ["node": "barbary", "role": "manager"]) == 1)
        #expect(families.value("homelab_swarm_node_role", ["node": "barbary", "role": "worker"]) == 0)
        #expect(families.value("homelab_swarm_node_leader", ["node": "barbary"]) == 1)
        #expect(families.value("homelab_swarm_node_manager_reachability", ["node": "ching", "reachability": "reachable"]) == 1)
        #expect(families.value("homelab_swarm_tasks", ["state": "running"]) ?? 0 > 0)
        let update = families.first { $0.name == "homelab_swarm_service_update_state" }?.samples
            .filter { $0.labels.contains(.init("service", "woodpecker_woodpecker-agent")) }
        #expect(update?.reduce(0) { $0 + $1.value } == 1, "one-hot: exactly one state is 1")
        #expect(families.value("homelab_collection_errors_total", ["component": "docker", "reason": "timeout"]) == 0)
        let names = families.map(\.name)
        #expect(Set(names).count == names.count, "each family once")
    }

    @Test("a hanging component gives up 0 with its time and reason within the deadline; others stay up")
    func hangingComponent() async throws {
        let sim = try await SimulatedCollection.start(
            faults: [.docker: FaultPlan(hangRate: 1)],
            extra: [.caddy: ComponentEndpoint(kind: .caddy, endpoint: .url("http://127.0.0.1:1"))])
        let started = ContinuousClock.now
        let families = await sim.collector.collectAll(deadline: .now + .seconds(1))
        let elapsed = ContinuousClock.now - started
        let again = await sim.collector.collectAll(deadline: .now + .milliseconds(300))
        await sim.stop()
        // The hang lasts until the transport's own timeout (60 s); a loaded machine (the whole suite) delays the timer.
        #expect(elapsed < .seconds(15), "collection ended at the deadline, took \(elapsed)")
        #expect(families.value("homelab_up", ["component": "docker"]) == 0)
        #expect((families.value("homelab_collection_duration_seconds", ["component": "docker"]) ?? 0) >= 0.9)
        #expect(families.value("homelab_collection_errors_total", ["component": "docker", "reason": "timeout"]) == 1)
        #expect(again.value("homelab_collection_errors_total", ["component": "docker", "reason": "timeout"]) == 2)
        #expect(families.value("homelab_up", ["component": "caddy"]) == 0)
        let caddyErrors = families.first { $0.name == "homelab_collection_errors_total" }?.samples
            .filter { $0.labels.contains(.init("component", "caddy")) && $0.value == 1 }.map { $0.labels.last?.value }
        // Refused connections are retried with backoff (RetryMiddleware) until the deadline: unreachable or timeout.
        #expect(caddyErrors == ["unreachable"] || caddyErrors == ["timeout"], "\(String(describing: caddyErrors))")
        #expect(families.first { $0.name == "homelab_swarm_service_replicas_desired" } == nil, "no stale swarm values")
    }

    @Test("rejected credentials are counted as unauthorized")
    func unauthorised() async throws {
        let sim = try await SimulatedCollection.start(faults: [.docker: FaultPlan(rejectCredentials: true)])
        let families = await sim.collector.collectAll(deadline: .now + .seconds(60))
        await sim.stop()
        #expect(families.value("homelab_up", ["component": "docker"]) == 0)
        #expect(families.value("homelab_collection_errors_total", ["component": "docker", "reason": "unauthorized"]) == 1)
    }

    @Test("a probe collects one target; an unknown target is nil")
    func probeOne() async throws {
        let sim = try await SimulatedCollection.start()
        let one = await sim.collector.collectOne(target: "docker", deadline: .now + .seconds(10))
        let none = await sim.collector.collectOne(target: "nonexistent", deadline: .now + .seconds(10))
        await sim.stop()
        #expect(one?.value("homelab_up", ["component": "docker"]) == 1)
        #expect(none == nil)
    }

    @Test("concurrent callers share one collection in flight")
    func singleFlight() async throws {
        let flights = SingleFlight<Int>()
        let counter = Counter()
        let results = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await flights.run("all") {
                        try? await Task.sleep(for: .milliseconds(200))
                        return await counter.next()
                    }
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(Set(results) == [1], "every caller got the one result")
        #expect(await flights.started == 1)
        #expect(await flights.run("all") { await counter.next() } == 2, "a later call collects afresh")
    }

    actor Counter {
        var value = 0
        func next() -> Int {
            value += 1
            return value
        }
    }
}

@Suite("Error classes of a failed collection")
struct CollectionFailureTests {
    @Test("a probe's error code maps to its error class", arguments: [
        (HomelabError.Code.timedOut, CollectionFailure.timeout), (.connectionFailed, .unreachable),
        (.tlsFailure, .unreachable), (.secretUnavailable, .unauthorized),
        (.invalidConfiguration, .configuration), (.httpStatus, .error), (.decodingFailed, .error),
    ])
    func probeCodes(_ code: HomelabError.Code, _ failure: CollectionFailure) {
        #expect(CollectionFailure(HomelabError(code, "down")) == failure)
    }

    @Test("401 and 403 are unauthorized, cancellation a timeout")
    func statuses() {
        #expect(CollectionFailure(HomelabError(.httpStatus, "x", status: 403)) == .unauthorized)
        #expect(CollectionFailure(HomelabError(.unauthorized, "x", status: 401)) == .unauthorized)
        #expect(CollectionFailure(CancellationError()) == .timeout)
    }

    @Test("components without an API are not targets; the journal is one when configured")
    func targets() async throws {
        var homelab = try InventoryLoader.load(path: SimulatedCollection.exampleInventory)
        homelab.components = [
            .docker: ComponentEndpoint(kind: .docker, endpoint: .unixSocket("/nonexistent.sock")),
            .dnsmasq: ComponentEndpoint(kind: .dnsmasq, endpoint: nil, node: "barbary", configPath: "/etc/dnsmasq.conf"),
            .caddy: ComponentEndpoint(kind: .caddy, endpoint: .url("http://127.0.0.1:1")),
        ]
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        let folder = try TemporaryFolder()
        let journal = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
        #expect(HomelabCollector(source: ConnectionsMetricsSource(connections: connections)).targets == ["docker", "caddy"])
        #expect(HomelabCollector(source: ConnectionsMetricsSource(connections: connections, journal: journal)).targets == ["docker", "caddy", "rollouts"])
    }
}
