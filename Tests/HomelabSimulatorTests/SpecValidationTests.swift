import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

@Suite("Simulated answers validate against Docker's Engine API specs")
struct SpecValidationTests {
    /// The v1.44 spec the answers must fit, and the current one (v1.56), whose keys are a superset: a key
    /// neither declares is a misspelling.
    static let specs = ["docker-engine-api-v1.44.yaml", "docker-engine-api-v1.56.swagger.yaml"].map {
        SimulatorHarness.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/specs/\($0)").path
    }
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Support/validate_docker_answers.py").path

    /// Whether python3 with jsonschema and PyYAML is here (required under CI).
    static let validatorAvailable: Bool = {
        (try? HomelabTestSupport.ChildProcess.runBlocking("python3", ["-c", "import jsonschema, yaml"]).status) == 0
    }()

    /// Whether ../shared/specs holds both specs (required under CI).
    static var specsAvailable: Bool { specs.allSatisfy { FileManager.default.fileExists(atPath: $0) } }

    @Test("Every main endpoint's answer, successes and errors, fits the v1.44 (and v1.56) response schemas")
    func answersFitTheSpecs() async throws {
        guard
            try RealServer.require(
                "python3 with jsonschema and PyYAML", available: Self.validatorAvailable,
                hint: "scripts/install-deps.sh test, or pip install jsonschema pyyaml"),
            try RealServer.require(
                "the Docker Engine API specs in ../shared/specs", available: Self.specsAvailable,
                hint: "check out the project beside its shared/ folder")
        else { return }
        try await withSimulation { sim in
            var cases: [[String: Any]] = []
            func record(_ method: HTTPMethod, _ path: String, json: Any? = nil) async throws -> HTTPResponse {
                let response = try await sim.send(method, path, json: json)
                let body: Any =
                    (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])) ?? response.text
                cases.append(["method": method.rawValue, "path": path, "status": response.status, "body": body])
                return response
            }
            // A service with a finished update, one paused on a broken image, one in a failed restart loop.
            let web = try await sim.createService(.test("web", replicas: 2, update: Swarm.UpdateConfig(parallelism: 1, delay: .seconds(1))))
            try await sim.waitForRunning(web, image: "registry.home.arpa/web:1", count: 2)
            try await sim.update(web) { $0.taskTemplate?.containerSpec?.image = "registry.home.arpa/web:2" }
            try await sim.waitForUpdate(web, ["completed"])
            let broken = try await sim.createService(.test("flaky", replicas: 1, update: Swarm.UpdateConfig(parallelism: 1, failureAction: .pause)))
            try await sim.update(broken) { $0.taskTemplate?.containerSpec?.image = "registry.home.arpa/web:broken" }
            try await sim.waitForUpdate(broken, ["paused"])

            for path in ["/_ping", "/v1.47/version", "/v1.47/info", "/v1.47/swarm", "/v1.47/nodes", "/v1.47/nodes/barbary"] {
                _ = try await record(.get, path)
            }
            _ = try await record(.get, "/v1.47/services?status=true")
            _ = try await record(.get, "/v1.47/services")
            for id in [web, broken, "media-core_plex", "komodo_komodo-periphery"] {
                _ = try await record(.get, "/v1.47/services/\(id)")
                _ = try await record(.get, "/v1.47/services/\(id)?insertDefaults=true")
            }
            let filters = #"{"service":["\#(broken)"]}"#.percentEncodedQueryComponent
            _ = try await record(.get, "/v1.47/tasks?filters=\(filters)")
            _ = try await record(.get, "/v1.47/tasks")
            let someTask = try #require(try await sim.tasks(of: web).first?.id)
            _ = try await record(.get, "/v1.47/tasks/\(someTask)")
            for kind in ["secrets", "configs", "networks"] {
                let listed = try await record(.get, "/v1.47/\(kind)")
                let first = try #require((try JSONSerialization.jsonObject(with: Data(listed.body)) as? [[String: Any]])?.first)
                let id = (first["ID"] ?? first["Id"]) as? String ?? ""
                _ = try await record(.get, "/v1.47/\(kind)/\(id)")
            }
            _ = try await record(.get, "/v1.47/distribution/grafana/grafana:12.1.0/json")
            _ = try await record(.post, "/v1.47/services/create", json: SimulatorHarness.object(Swarm.ServiceSpec.test("fresh")))
            let version = try await sim.service(web).version?.index ?? 0
            _ = try await record(.post, "/v1.47/services/\(web)/update?version=\(version)", json: SimulatorHarness.object(try #require(try await sim.service(web).spec)))
            _ = try await record(.post, "/v1.47/secrets/create", json: ["Name": "api_token", "Data": "c2VjcmV0"])
            _ = try await record(.post, "/v1.47/networks/create", json: ["Name": "extra", "Driver": "overlay"])
            // Errors: Docker's ErrorResponse.
            _ = try await record(.get, "/v1.47/services/nope")
            _ = try await record(.post, "/v1.47/services/\(web)/update?version=1", json: SimulatorHarness.object(Swarm.ServiceSpec.test("web")))
            _ = try await record(.post, "/v1.47/services/create", json: SimulatorHarness.object(Swarm.ServiceSpec.test("web")))
            _ = try await record(.delete, "/v1.47/services/fresh")

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("docker-answers-\(UUID().uuidString).json")
            try JSONSerialization.data(withJSONObject: cases, options: [.prettyPrinted]).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let (status, text) = try await ChildProcess.run("/usr/bin/env", ["python3", Self.script, file.path] + Self.specs)
            #expect(status == 0, "\(text)")
            let validated = cases.filter { ($0["path"] as? String)?.hasPrefix("/v1.47/services/fresh") == false }.count
            #expect(text.contains("checked \(validated * 2) answers"), "\(text)")
        }
    }
}
