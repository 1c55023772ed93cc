import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@testable import HomelabSimulator

@Suite("Query strings read as Go's net/url reads them")
struct QueryStringTests {
    @Test("+ is a space, %XX a byte, keys repeat, a malformed pair is skipped")
    func decodesLikeParseQuery() {
        let query = QueryString(#"filters=%7B%22service%22:+%5B%22abc%22%5D%7D&a=1&a=2&flag&bad=%zz&semi=x;y&&empty="#)
        #expect(query["filters"] == #"{"service": ["abc"]}"#)
        #expect(query.all("a") == ["1", "2"])
        #expect(query["flag"] == "")
        #expect(query["bad"] == nil)
        #expect(query["semi"] == nil)
        #expect(query["empty"] == "")
        #expect(query["missing"] == nil)
        #expect(QueryString("a%2Bb=c%2bd+e")["a+b"] == "c+d e")
        #expect(QueryString(nil).values.isEmpty)
    }

    @Test("The docker SDK's filters (spaces as +) reach the filters: a listing filtered by service")
    func pythonSpacesInFilters() async throws {
        try await withSimulation(timeScale: 0.05) { sim in
            let services = try await sim.get([Swarm.Service].self, "/v1.47/services?filters=%7B%22name%22:+%5B%22monitoring_grafana%22%5D%7D")
            #expect(services.map(\.spec?.name) == ["monitoring_grafana"])
            let legacy = try await sim.get([Swarm.Service].self, "/v1.47/services?filters=%7B%22name%22:+%7B%22monitoring_grafana%22:+true%7D%7D")
            #expect(legacy.map(\.spec?.name) == ["monitoring_grafana"])
        }
    }

    @Test("The Python docker SDK lists a service's tasks (service.tasks()) and services by name")
    func pythonDockerSDK() async throws {
        guard try PythonClient.require("docker") else { return }
        try await withSimulation(timeScale: 0.05) { sim in
            let grafana = try await sim.get(Swarm.Service.self, "/v1.47/services/monitoring_grafana")
            let id = try #require(grafana.id)
            let script = """
                import docker, sys
                client = docker.DockerClient(base_url="unix://" + sys.argv[1], version="1.44")
                service = client.services.get(sys.argv[2])
                tasks = service.tasks()
                print("tasks", len(tasks), ",".join(sorted({t["ServiceID"] for t in tasks})))
                named = client.services.list(filters={"name": "monitoring_grafana"})
                print("named", ",".join(s.name for s in named))
                print("managers", len(client.nodes.list(filters={"role": "manager"})))
                """
            let (status, output) = try await PythonClient.run(script, [sim.simulation.endpoints.dockerSocket, id])
            #expect(status == 0, "\(output)")
            let expected = try await sim.tasks(of: id)
            #expect(!expected.isEmpty)
            #expect(output.contains("tasks \(expected.count) \(id)"), "\(output)")
            #expect(output.contains("named monitoring_grafana"), "\(output)")
            let managers = try await sim.get([Swarm.Node].self, "/v1.47/nodes").filter { $0.spec?.role == .manager }.count
            #expect(output.contains("managers \(managers)"), "\(output)")
        }
    }
}

@Suite("The swarm routes docker swarm update and join-token rotation use")
struct SwarmUpdateRouteTests {
    @Test("POST /swarm/update replaces the spec, moves the version, refuses a stale one; /swarm/unlock answers 409")
    func updateAndUnlock() async throws {
        try await withSimulation(timeScale: 0.05) { sim in
            let before = try await sim.get(Swarm.Cluster.self, "/v1.47/swarm")
            let version = try #require(before.version?.index)
            var spec = try #require(before.spec)
            spec.orchestration = Swarm.OrchestrationConfig(taskHistoryRetentionLimit: 3)
            spec.encryptionConfig = Swarm.EncryptionConfig(autoLockManagers: true)
            let updated = try await sim.send(
                .post, "/v1.47/swarm/update?version=\(version)&rotateWorkerToken=true&rotateManagerToken=false",
                json: SimulatorHarness.object(spec))
            #expect(updated.status == 200, "\(updated.text)")
            let after = try await sim.get(Swarm.Cluster.self, "/v1.47/swarm")
            #expect(after.spec?.orchestration?.taskHistoryRetentionLimit == 3)
            #expect((after.version?.index ?? 0) > version)
            #expect(after.joinTokens?.worker?.reveal() != before.joinTokens?.worker?.reveal())
            #expect(after.joinTokens?.manager?.reveal() == before.joinTokens?.manager?.reveal())
            // The token keeps its CA digest part; only the secret changes.
            let oldParts = before.joinTokens?.worker?.reveal().split(separator: "-") ?? []
            let newParts = after.joinTokens?.worker?.reveal().split(separator: "-") ?? []
            #expect(oldParts.count == 4 && newParts.count == 4 && oldParts[2] == newParts[2])
            let key = try await sim.send(.get, "/v1.47/swarm/unlockkey")
            #expect(key.text.contains("SWMKEY-1-"), "\(key.text)")

            let stale = try await sim.send(.post, "/v1.47/swarm/update?version=\(version)", json: SimulatorHarness.object(spec))
            #expect(stale.status == 500)
            #expect(stale.text.contains("update out of sequence"))
            let badFlag = try await sim.send(
                .post, "/v1.47/swarm/update?version=\(after.version?.index ?? 0)&rotateWorkerToken=maybe", json: SimulatorHarness.object(spec))
            #expect(badFlag.status == 400 && badFlag.text.contains("invalid value for rotateWorkerToken: maybe"), "\(badFlag.text)")

            let unlock = try await sim.send(.post, "/v1.47/swarm/unlock", json: ["UnlockKey": "SWMKEY-1-x"])
            #expect(unlock.status == 409 && unlock.text.contains("swarm is not locked"), "\(unlock.status) \(unlock.text)")
        }
    }

    @Test(
        "docker swarm update --task-history-limit 3 / --autolock, join-token --rotate and unlock-key --rotate work against the simulator",
        .enabled(if: !DockerCLI.available.isEmpty), arguments: DockerCLI.available)
    func dockerCLI(_ docker: String) async throws {
        try await withSimulation(timeScale: 0.05) { sim in
            let socket = sim.simulation.endpoints.dockerSocket
            let update = try await DockerCLI.run(docker, socket: socket, ["swarm", "update", "--task-history-limit", "3"])
            #expect(update.status == 0, "\(update.output)")
            #expect(update.output.contains("Swarm updated."), "\(update.output)")
            let info = try await DockerCLI.run(
                docker, socket: socket, ["info", "--format", "{{.Swarm.Cluster.Spec.Orchestration.TaskHistoryRetentionLimit}}"])
            #expect(info.output.trimmingCharacters(in: .whitespacesAndNewlines) == "3", "\(info.output)")

            let old = try await DockerCLI.run(docker, socket: socket, ["swarm", "join-token", "-q", "worker"])
            #expect(old.status == 0 && old.output.hasPrefix("SWMTKN-1-"), "\(old.output)")
            let rotated = try await DockerCLI.run(docker, socket: socket, ["swarm", "join-token", "--rotate", "-q", "worker"])
            #expect(rotated.status == 0, "\(rotated.output)")
            let now = try await DockerCLI.run(docker, socket: socket, ["swarm", "join-token", "-q", "worker"])
            #expect(now.output.hasPrefix("SWMTKN-1-") && now.output != old.output, "\(old.output) → \(now.output)")
            #expect(rotated.output.contains(now.output.trimmingCharacters(in: .whitespacesAndNewlines)))

            let locked = try await DockerCLI.run(docker, socket: socket, ["swarm", "update", "--autolock=true"])
            #expect(locked.status == 0 && locked.output.contains("SWMKEY-1-"), "\(locked.output)")
            let key = try await DockerCLI.run(docker, socket: socket, ["swarm", "unlock-key", "-q"])
            let rotatedKey = try await DockerCLI.run(docker, socket: socket, ["swarm", "unlock-key", "--rotate", "-q"])
            #expect(rotatedKey.status == 0 && rotatedKey.output.hasPrefix("SWMKEY-1-") && rotatedKey.output != key.output, "\(rotatedKey.output)")
            _ = try await DockerCLI.run(docker, socket: socket, ["swarm", "update", "--autolock=false"])
            let none = try await DockerCLI.run(docker, socket: socket, ["swarm", "unlock-key"])
            #expect(none.status != 0 && none.output.contains("no unlock key is set"), "\(none.output)")
        }
    }
}
