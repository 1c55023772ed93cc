import Foundation
import HomelabCore
import HomelabSimulator
import Testing

/// A running simulation of the example homelab plus an SDK HTTP client pointed at its Docker socket.
final class SimulatorHarness: Sendable {
    let simulation: HomelabSimulation
    let transport: CurlTransport
    /// Docker over the unix socket, no retries (tests see every answer).
    let docker: HTTPClient
    /// The admin API.
    let admin: HTTPClient
    /// The simulated swarm (the example homelab always has Docker).
    var world: DockerWorld { simulation.dockerWorld! }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let exampleInventory = repositoryRoot.appendingPathComponent("Examples/homelab.yaml").path

    private init(simulation: HomelabSimulation, transport: CurlTransport) {
        self.simulation = simulation
        self.transport = transport
        docker = HTTPClient(
            transport: transport, endpoint: .unixSocket(simulation.endpoints.dockerSocket), component: "docker", middleware: [])
        admin = HTTPClient(transport: transport, endpoint: .url(simulation.endpoints.admin), component: "admin", middleware: [])
    }

    /// Starts the example homelab (or `homelab`) with simulated time running `1/timeScale` times faster.
    static func start(
        timeScale: Double = 0.005, homelab: Homelab? = nil, faults: [ComponentKind: FaultPlan] = [:]
    ) async throws -> SimulatorHarness {
        let inventory = try homelab ?? InventoryLoader.load(path: exampleInventory)
        let simulation = try await HomelabSimulation.start(
            inventory: inventory, options: SimulationOptions(timeScale: timeScale, faults: faults))
        return SimulatorHarness(simulation: simulation, transport: try CurlTransport())
    }

    /// Stops the simulation and the transport.
    func stop() async {
        await simulation.shutdown()
        transport.shutdown()
    }

    // MARK: - Requests

    /// Sends a request to the simulated Docker API and returns the whole answer.
    func send(_ method: HTTPMethod = .get, _ path: String, json: Any? = nil, client: HTTPClient? = nil) async throws -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        var body: [UInt8]?
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json))
            headers.add(name: "Content-Type", value: "application/json")
        }
        return try await (client ?? docker).send(HTTPRequest(method: method, path: path, headers: headers, body: body))
    }

    /// `GET path` decoded as `T` (HomelabCore's Swarm models), requiring a 2xx answer.
    func get<T: Decodable>(_ type: T.Type, _ path: String) async throws -> T {
        let response = try await send(.get, path, client: path.hasPrefix("/_sim") ? admin : docker)
        #expect(response.isSuccess, "GET \(path) answered \(response.status): \(response.text)")
        return try JSONDecoder().decode(T.self, from: Data(response.body))
    }

    /// Encodes a model as a JSON object for ``send(_:_:json:client:)``.
    static func object<T: Encodable>(_ value: T) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value))
    }

    /// Creates a service from a spec and returns its ID.
    func createService(_ spec: Swarm.ServiceSpec) async throws -> String {
        let response = try await send(.post, "/v1.47/services/create", json: Self.object(spec))
        #expect(response.status == 201, "create answered \(response.status): \(response.text)")
        return try JSONDecoder().decode(Swarm.ServiceCreateResponse.self, from: Data(response.body)).id ?? ""
    }

    /// The service as `GET /services/{id}` returns it.
    func service(_ id: String) async throws -> Swarm.Service { try await get(Swarm.Service.self, "/v1.47/services/\(id)") }

    /// The service's tasks.
    func tasks(of id: String, upToDate: Bool = false) async throws -> [Swarm.Task] {
        var filters = ["service": [id]]
        if upToDate { filters["_up-to-date"] = ["true"] }
        let query = String(decoding: try JSONEncoder().encode(filters), as: UTF8.self).percentEncodedQueryComponent
        return try await get([Swarm.Task].self, "/v1.47/tasks?filters=\(query)")
    }

    /// Replaces the service's spec (`change` edits the current one) and returns the answer.
    @discardableResult
    func update(_ id: String, rollback: Bool = false, version: UInt64? = nil, _ change: (inout Swarm.ServiceSpec) -> Void = { _ in }) async throws
        -> HTTPResponse
    {
        let current = try await service(id)
        var spec = current.spec ?? Swarm.ServiceSpec()
        change(&spec)
        let index = version ?? current.version?.index ?? 0
        let path = "/v1.47/services/\(id)/update?version=\(index)" + (rollback ? "&rollback=previous" : "")
        return try await send(.post, path, json: Self.object(spec))
    }

    /// Polls until `condition` holds for the service, failing the test after `timeout` (real time).
    @discardableResult
    func waitForService(
        _ id: String, timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
        until condition: (Swarm.Service) -> Bool
    ) async throws -> Swarm.Service {
        let deadline = ContinuousClock.now + timeout
        while true {
            let service = try await service(id)
            if condition(service) { return service }
            if ContinuousClock.now > deadline {
                Issue.record("service \(id) did not reach the expected state; UpdateStatus: \(String(describing: service.updateStatus))", sourceLocation: sourceLocation)
                return service
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for the service's update to reach one of `states`.
    @discardableResult
    func waitForUpdate(_ id: String, _ states: Set<String>, timeout: Duration = .seconds(30)) async throws -> Swarm.Service {
        try await waitForService(id, timeout: timeout) { states.contains($0.updateStatus?.state?.rawValue ?? "") }
    }
}

extension Swarm.ServiceSpec {
    /// A replicated test service of `replicas` tasks of `image` with the given update and rollback configs.
    static func test(
        _ name: String, image: String = "registry.home.arpa/web:1", replicas: UInt64 = 4, update: Swarm.UpdateConfig? = nil,
        rollback: Swarm.UpdateConfig? = nil
    ) -> Swarm.ServiceSpec {
        Swarm.ServiceSpec(
            name: name, labels: ["test": "true"],
            taskTemplate: Swarm.TaskSpec(
                containerSpec: Swarm.ContainerSpec(image: image),
                restartPolicy: Swarm.RestartPolicy(condition: .any, delay: .seconds(5), maxAttempts: 0)),
            mode: .replicated(replicas: replicas), updateConfig: update, rollbackConfig: rollback)
    }
}

/// Runs `body` against a fresh simulation and stops it afterwards, whatever happens.
func withSimulation(
    timeScale: Double = 0.005, homelab: Homelab? = nil, faults: [ComponentKind: FaultPlan] = [:],
    _ body: (SimulatorHarness) async throws -> Void
) async throws {
    let harness = try await SimulatorHarness.start(timeScale: timeScale, homelab: homelab, faults: faults)
    do {
        try await body(harness)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}

extension Swarm.Task {
    /// The task's image.
    var image: String { spec?.containerSpec?.image ?? "" }
    /// Whether the orchestrator still wants it (desired state running or earlier).
    var isWanted: Bool {
        guard let desired = desiredState else { return false }
        return Swarm.TaskState.knownCases.firstIndex(of: desired) ?? 99 <= Swarm.TaskState.knownCases.firstIndex(of: .running) ?? 0
    }
    /// When the task last changed state.
    var statusDate: Date { status?.timestamp.flatMap(Swarm.Timestamp.date(from:)) ?? .distantPast }
}

extension Array where Element == UpdateEvent {
    /// The events of the last run (the last update or rollback).
    var lastRun: [UpdateEvent] {
        guard let run = last?.run else { return [] }
        return filter { $0.run == run }
    }

    /// The events of run `run`.
    func run(_ run: Int) -> [UpdateEvent] { filter { $0.run == run } }

    /// How many slots were handed to workers.
    var slotsStarted: Int { filter { if case .slotStarted = $0.kind { return true } else { return false } }.count }

    /// How many failures were counted.
    var failuresCounted: Int { filter { if case .failureCounted = $0.kind { return true } else { return false } }.count }

    /// The largest number of slots in flight at once.
    var maxInFlight: Int {
        compactMap { if case .slotStarted(_, _, let inFlight) = $0.kind { return inFlight } else { return nil } }.max() ?? 0
    }
}
