import Foundation
import HomelabCore
import HomelabSimulator
import Testing

@Suite("Injected faults reach the SDK's client as the right errors and retries")
struct FaultInjectionTests {
    /// A retrying client over the socket that waits only a few milliseconds between attempts.
    static func retrying(_ sim: SimulatorHarness, attempts: Int) -> HTTPClient {
        let policy = RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
        return HTTPClient(
            transport: sim.transport, endpoint: .unixSocket(sim.simulation.endpoints.dockerSocket), component: "docker",
            middleware: [RetryMiddleware(policy: policy)])
    }

    /// Sets the Docker fault plan through the admin API.
    static func setFaults(_ sim: SimulatorHarness, _ settings: [String: Any]) async throws {
        var body = settings
        body["component"] = "docker"
        let response = try await sim.send(.post, "/_sim/faults", json: body, client: sim.admin)
        #expect(response.status == 200, "\(response.text)")
    }

    static func stats(_ sim: SimulatorHarness) async throws -> FaultBoard.Stats {
        let all = try await sim.get([String: FaultBoard.Stats].self, "/_sim/stats")
        return all["docker"] ?? FaultBoard.Stats()
    }

    @Test("Errors on every request: the client retries idempotent calls, then reports the status")
    func persistentErrors() async throws {
        try await withSimulation { sim in
            try await Self.setFaults(sim, ["error_rate": 1.0, "error_statuses": [503]])
            let before = try await Self.stats(sim)
            let client = Self.retrying(sim, attempts: 3)
            let request = HTTPRequest(path: "/v1.47/services")
            let response = try await client.send(request)
            #expect(response.status == 503)
            let error = try #require(throws: HomelabError.self) { try client.ensureSuccess(response, for: request) }
            #expect(error.code == .unavailable)
            #expect(error.serverMessage == "simulated fault: service unavailable")
            #expect(try await Self.stats(sim).errors - before.errors == 3, "three attempts, three injected errors")
        }
    }

    @Test("The next two requests fail: a retrying client succeeds on its third attempt")
    func transientErrorsAreRetried() async throws {
        try await withSimulation { sim in
            try await Self.setFaults(sim, ["errors": 2, "error_statuses": [502]])
            let before = try await Self.stats(sim)
            let services = try await Self.retrying(sim, attempts: 4).json([Swarm.Service].self, HTTPRequest(path: "/v1.47/services"))
            #expect(services.count == 36)
            let after = try await Self.stats(sim)
            #expect(after.requests - before.requests == 3)
            #expect(after.errors - before.errors == 2)
        }
    }

    @Test("A non-idempotent call is not retried after an injected error")
    func postIsNotRetried() async throws {
        try await withSimulation { sim in
            try await Self.setFaults(sim, ["errors": 1, "error_statuses": [503]])
            let spec = try SimulatorHarness.object(Swarm.ServiceSpec.test("web"))
            let client = Self.retrying(sim, attempts: 4)
            let response = try await sim.send(.post, "/v1.47/services/create", json: spec, client: client)
            #expect(response.status == 503)
            #expect(await sim.world.serviceNames().contains("web") == false)
        }
    }

    @Test("A dropped connection is a connection failure; retried, the next attempt succeeds")
    func connectionResets() async throws {
        try await withSimulation { sim in
            try await Self.setFaults(sim, ["resets": 1])
            let single = try await #require(throws: HomelabError.self) { try await sim.docker.send(HTTPRequest(path: "/_ping")) }
            #expect(single.code == .connectionFailed)
            try await Self.setFaults(sim, ["resets": 1])
            let answer = try await Self.retrying(sim, attempts: 2).send(HTTPRequest(path: "/_ping"))
            #expect(answer.status == 200 && answer.text == "OK")
            #expect(try await Self.stats(sim).resets == 2)
        }
    }

    @Test("A request that never answers times out on the client")
    func hangs() async throws {
        try await withSimulation { sim in
            try await Self.setFaults(sim, ["hangs": 1])
            let error = try await #require(throws: HomelabError.self) {
                try await sim.docker.send(HTTPRequest(path: "/v1.47/info", timeout: .seconds(0.5)))
            }
            #expect(error.code == .timedOut)
            #expect(try await sim.send(.get, "/v1.47/info").status == 200, "only the next request hangs")
        }
    }

    @Test("Rejected credentials: 401, reported as unauthorized")
    func rejectedCredentials() async throws {
        try await withSimulation { sim in
            try await Self.setFaults(sim, ["reject_credentials": true])
            let request = HTTPRequest(path: "/v1.47/nodes")
            let response = try await sim.docker.send(request)
            #expect(response.status == 401)
            let error = try #require(throws: HomelabError.self) { try sim.docker.ensureSuccess(response, for: request) }
            #expect(error.code == .unauthorized)
            #expect(try await sim.send(.delete, "/_sim/faults/docker", client: sim.admin).status == 204)
            #expect(try await sim.send(.get, "/v1.47/nodes").status == 200)
        }
    }

    @Test("Added latency delays every answer")
    func latency() async throws {
        try await withSimulation(faults: [.docker: FaultPlan(latency: .milliseconds(300))]) { sim in
            let start = ContinuousClock.now
            let answer = try await sim.send(.get, "/_ping")
            #expect(answer.status == 200)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
            let stats = try await Self.stats(sim)
            #expect(stats.delayed >= 1)
        }
    }

    @Test(
        "Fault flags parse as component:kind=value",
        arguments: [
            ("docker:latency=250ms", FaultPlan(latency: .milliseconds(250))),
            ("docker:latency=1.5s", FaultPlan(latency: .milliseconds(1500))),
            ("docker:error-rate=0.2", FaultPlan(errorRate: 0.2)),
            ("docker:errors=3", FaultPlan(errorCount: 3)),
            ("docker:status=502,503", FaultPlan(errorStatuses: [502, 503])),
            ("docker:reset-rate=0.1", FaultPlan(resetRate: 0.1)),
            ("docker:resets=1", FaultPlan(resetCount: 1)),
            ("docker:hang-rate=0.05", FaultPlan(hangRate: 0.05)),
            ("docker:hangs=2", FaultPlan(hangCount: 2)),
            ("docker:reject-credentials", FaultPlan(rejectCredentials: true)),
        ])
    func flags(_ text: String, _ expected: FaultPlan) throws {
        let board = FaultBoard()
        try board.apply(text)
        #expect(board.plan(for: .docker) == expected)
    }

    @Test(
        "Malformed fault flags are refused with a message",
        arguments: ["docker", "dockr:latency=1s", "docker:speed=3", "docker:error-rate=2", "docker:errors=-1", "docker:status=200",
            "docker:latency=fast"])
    func badFlags(_ text: String) {
        #expect(throws: HomelabError.self) { try FaultBoard().apply(text) }
    }

    @Test("The admin endpoint refuses an unknown component or a bad plan")
    func badAdminRequests() async throws {
        try await withSimulation { sim in
            #expect(try await sim.send(.post, "/_sim/faults", json: ["component": "dockr"], client: sim.admin).status == 400)
            #expect(try await sim.send(.post, "/_sim/faults", json: ["component": "docker", "error_rate": 7], client: sim.admin).status == 400)
            let plans = try await sim.get([String: FaultPlan].self, "/_sim/faults")
            #expect(plans.isEmpty)
        }
    }
}
