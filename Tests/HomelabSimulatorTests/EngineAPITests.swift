import Foundation
import HomelabCore
import HomelabSimulator
import Testing

@Suite("The simulated Engine API answers as the daemon does")
struct EngineAPITests {
    @Test("_ping answers OK with the negotiation headers, by GET and HEAD, with or without a version prefix",
          arguments: ["/_ping", "/v1.41/_ping", "/v1.47/_ping"])
    func ping(_ path: String) async throws {
        try await withSimulation { sim in
            for method in [HTTPMethod.get, .head] {
                let response = try await sim.send(method, path)
                #expect(response.status == 200)
                #expect(response.text == (method == .get ? "OK" : ""))
                let ping = Swarm.Ping(headers: response.headers)
                #expect(ping.apiVersion == "1.47")
                #expect(ping.swarm == .activeManager)
                #expect(ping.osType == "linux")
                #expect(ping.builderVersion == "2")
                #expect(response.headers["Server"] == "Docker/27.5.1 (linux)")
            }
        }
    }

    @Test(
        "A version outside 1.41...1.47 is refused with the daemon's message",
        arguments: [
            ("1.40", "client version 1.40 is too old. Minimum supported API version is 1.41, please upgrade your client to a newer version"),
            ("1.48", "client version 1.48 is too new. Maximum supported API version is 1.47"),
            ("2.0", "client version 2.0 is too new. Maximum supported API version is 1.47"),
        ])
    func versionWindow(_ version: String, _ message: String) async throws {
        try await withSimulation { sim in
            let response = try await sim.send(.get, "/v\(version)/info")
            #expect(response.status == 400)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(response.body)) == ["message": message])
            #expect(response.headers["Api-Version"] == "1.47", "the headers come even with an error")
        }
    }

    @Test("Versions 1.41 to 1.47 and unversioned paths all answer", arguments: ["/v1.41", "/v1.44", "/v1.47", ""])
    func versionsInWindow(_ prefix: String) async throws {
        try await withSimulation { sim in
            let nodes = try await sim.get([Swarm.Node].self, "\(prefix)/nodes")
            #expect(nodes.count == 5)
            let info = try await sim.get(Swarm.SystemInfo.self, "\(prefix)/info")
            #expect(info.swarm?.localNodeState == .active && info.swarm?.controlAvailable == true)
            #expect(info.swarm?.nodeID == nodes.first { $0.description?.hostname == "barbary" }?.id)
            let version = try await sim.get(Swarm.SystemVersion.self, "\(prefix)/version")
            #expect(version.apiVersion == "1.47" && version.minAPIVersion == "1.41")
        }
    }

    @Test("Unknown paths and objects are 404s with Docker's messages")
    func notFound() async throws {
        try await withSimulation { sim in
            for (path, message) in [
                ("/v1.47/containers/json", "page not found"), ("/v1.47/services/nope", "service nope not found"),
                ("/v1.47/nodes/nope", "node nope not found"), ("/v1.47/tasks/nope", "task nope not found"),
                ("/v1.47/secrets/nope", "secret nope not found"), ("/v1.47/networks/nope", "network nope not found"),
            ] {
                let response = try await sim.send(.get, path)
                #expect(response.status == 404, "\(path)")
                #expect(try JSONDecoder().decode([String: String].self, from: Data(response.body)) == ["message": message])
            }
        }
    }

    @Test("The world follows the inventory: stateful services on barbary, one periphery per node, stack networks")
    func worldFollowsInventory() async throws {
        try await withSimulation { sim in
            let nodes = try await sim.get([Swarm.Node].self, "/v1.47/nodes")
            let hostname = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id ?? "", $0.description?.hostname ?? "") })
            let services = try await sim.get([Swarm.Service].self, "/v1.47/services?status=true")
            #expect(services.count == sim.simulation.homelab.services.count)
            for service in services {
                #expect(service.serviceStatus?.runningTasks == service.serviceStatus?.desiredTasks, "\(service.spec?.name ?? "")")
            }
            for inventory in sim.simulation.homelab.services where inventory.isStateful {
                let tasks = try await sim.tasks(of: "\(inventory.stack)_\(inventory.name)")
                #expect(!tasks.isEmpty && tasks.allSatisfy { hostname[$0.nodeID ?? ""] == "barbary" }, "\(inventory.name)")
            }
            let periphery = try await sim.tasks(of: "komodo_komodo-periphery")
            #expect(Set(periphery.compactMap { hostname[$0.nodeID ?? ""] }) == ["barbary", "ching", "angre", "lorcha", "dhow"])
            let networks = try await sim.get([Swarm.Network].self, "/v1.47/networks")
            #expect(networks.contains { $0.name == "ingress" && $0.ingress == true })
            #expect(networks.contains { $0.name == "media-core_default" && $0.driver == "overlay" })
            let secrets = try await sim.get([Swarm.Secret].self, "/v1.47/secrets")
            #expect(secrets.contains { $0.spec?.name == "postgres_password" })
            #expect(secrets.allSatisfy { $0.spec?.data == nil }, "secret data is never returned")
            let configs = try await sim.get([Swarm.Config].self, "/v1.47/configs")
            #expect(configs.first { $0.spec?.name == "prometheus_yml" }?.spec?.content.map { String(decoding: $0, as: UTF8.self) }?.contains("scrape_interval") == true)
        }
    }

    @Test("Filters: by name prefix, label, mode; tasks by service name, desired state and _up-to-date")
    func filters() async throws {
        try await withSimulation { sim in
            func query(_ filters: [String: [String]]) throws -> String {
                String(decoding: try JSONEncoder().encode(filters), as: UTF8.self).percentEncodedQueryComponent
            }
            let media = try await sim.get([Swarm.Service].self, "/v1.47/services?filters=\(try query(["name": ["media-core_"]]))")
            #expect(media.count == 6)
            let global = try await sim.get([Swarm.Service].self, "/v1.47/services?filters=\(try query(["mode": ["global"]]))")
            #expect(global.map { $0.spec?.name } == ["komodo_komodo-periphery"])
            let stack = try await sim.get(
                [Swarm.Service].self, "/v1.47/services?filters=\(try query(["label": ["com.docker.stack.namespace=uptime"]]))")
            #expect(Set(stack.compactMap { $0.spec?.name }) == ["uptime_uptime-kuma", "uptime_autokuma"])
            // The docker CLI's legacy form {"name": {"value": true}}.
            let legacy = #"{"name":{"media-core_plex":true}}"#.percentEncodedQueryComponent
            #expect(try await sim.get([Swarm.Service].self, "/v1.47/services?filters=\(legacy)").count == 1)
            let running = try await sim.get(
                [Swarm.Task].self, "/v1.47/tasks?filters=\(try query(["service": ["media-core_plex"], "desired-state": ["running"]]))")
            #expect(running.count == 1)
            #expect(try await sim.send(.get, "/v1.47/services?filters=\(try query(["colour": ["red"]]))").status == 400)
            #expect(try await sim.send(.get, "/v1.47/tasks?filters=\(try query(["service": ["nope"]]))").status == 404)

            let id = try await sim.createService(.test("web", replicas: 2, update: Swarm.UpdateConfig(parallelism: 1, delay: .seconds(600))))
            try await sim.waitForRunning(id, image: "registry.home.arpa/web:1", count: 2)
            try await sim.update(id) { $0.taskTemplate?.containerSpec?.image = "registry.home.arpa/web:2" }
            try await sim.waitForRunning(id, image: "registry.home.arpa/web:2", count: 1)
            let upToDate = try await sim.tasks(of: id, upToDate: true)
            #expect(upToDate.map(\.image) == ["registry.home.arpa/web:2"], "the slot still on web:1 is not up to date")
        }
    }

    @Test("Services: create conflicts, spec checks, renames and mode changes refused, removal")
    func serviceLifecycle() async throws {
        try await withSimulation { sim in
            let id = try await sim.createService(.test("web", replicas: 1))
            let again = try await sim.send(.post, "/v1.47/services/create", json: SimulatorHarness.object(Swarm.ServiceSpec.test("web")))
            #expect(again.status == 409)
            var noImage = Swarm.ServiceSpec.test("blank")
            noImage.taskTemplate?.containerSpec?.image = nil
            let invalid = try await sim.send(.post, "/v1.47/services/create", json: SimulatorHarness.object(noImage))
            #expect(invalid.status == 400 && invalid.text.contains("image reference must be provided"))
            var badConstraint = Swarm.ServiceSpec.test("pinned")
            badConstraint.taskTemplate?.placement = Swarm.Placement(constraints: ["node.hostname = barbary"])
            #expect(try await sim.send(.post, "/v1.47/services/create", json: SimulatorHarness.object(badConstraint)).status == 400)
            #expect(try await sim.update(id) { $0.name = "other" }.status == 501)
            #expect(try await sim.update(id) { $0.mode = .global }.status == 501)
            #expect(try await sim.send(.post, "/v1.47/services/\(id)/update?version=x", json: [:]).status == 400)
            let inspected = try await sim.get(Swarm.Service.self, "/v1.47/services/\(id)?insertDefaults=true")
            #expect(inspected.spec?.updateConfig?.parallelism == 1 && inspected.spec?.updateConfig?.monitor == .seconds(5))
            #expect(try await sim.send(.delete, "/v1.47/services/web").status == 200)
            #expect(try await sim.send(.get, "/v1.47/services/\(id)").status == 404)
            #expect(try await sim.tasks(of: "media-core_plex").count == 1)
        }
    }

    @Test("Draining a node moves its tasks; pinned services wait pending; activating brings them back")
    func drainAndActivate() async throws {
        try await withSimulation { sim in
            let barbary = try await sim.get(Swarm.Node.self, "/v1.47/nodes/barbary")
            var spec = try #require(barbary.spec)
            spec.availability = .drain
            let path = "/v1.47/nodes/\(barbary.id ?? "")/update?version=\(barbary.version?.index ?? 0)"
            #expect(try await sim.send(.post, path, json: SimulatorHarness.object(spec)).status == 200)
            #expect(try await sim.send(.post, path, json: SimulatorHarness.object(spec)).status == 500, "the version moved")
            let plex = try await sim.tasks(of: "media-core_plex")
            let pending = try #require(plex.first { $0.isWanted })
            #expect(pending.nodeID == nil)
            #expect(pending.status?.err?.hasPrefix("no suitable node") == true)
            let drained = try await sim.get(Swarm.Node.self, "/v1.47/nodes/barbary")
            spec.availability = .active
            let activate = "/v1.47/nodes/\(barbary.id ?? "")/update?version=\(drained.version?.index ?? 0)"
            #expect(try await sim.send(.post, activate, json: SimulatorHarness.object(spec)).status == 200)
            try await sim.waitForRunning("media-core_plex", image: "plexinc/pms-docker:latest", count: 1)
            #expect(try await sim.tasks(of: "media-core_plex").first { $0.isWanted }?.nodeID == barbary.id)
        }
    }
}
