import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

extension DockerSwarm {
    @Suite("secrets, configs, networks, nodes and events")
    struct Objects {
        @Test("secrets and configs round-trip: create, list by name, inspect, use in a service, remove")
        func secretsAndConfigs() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            try await DockerScratch.with(client) { scratch in
                let secretName = DockerTestEngine.uniqueName("secret")
                let secretID = try await client.secrets.create(
                    Swarm.SecretSpec(name: secretName, labels: ["homelab.test": "yes"], content: Secret("s3cret-value-\(secretName)")))
                scratch.remember(secret: secretID)
                let configName = DockerTestEngine.uniqueName("config")
                let content = Array("listen: 8080\nname: \(configName)\n".utf8)
                let configID = try await client.configs.create(Swarm.ConfigSpec(name: configName, labels: ["homelab.test": "yes"], content: content))
                scratch.remember(config: configID)

                let secrets = try await client.secrets.list(filters: .name(secretName))
                #expect(secrets.map(\.id) == [secretID])
                let secret = try await client.secrets.inspect(secretID)
                #expect(secret.spec?.name == secretName)
                #expect(secret.spec?.labels == ["homelab.test": "yes"])
                #expect(secret.spec?.data == nil)  // the engine never returns secret data

                let configs = try await client.configs.list(filters: .name(configName))
                #expect(configs.map(\.id) == [configID])
                let config = try await client.configs.inspect(configName)
                #expect(config.id == configID)
                #expect(config.spec?.content == content)

                // A service reads both; its log shows the config and the secret's length.
                var container = DockerTestEngine.container(healthCheck: false)
                container.command = [
                    "/bin/sh", "-c",
                    "trap 'exit 0' TERM; cat /etc/app.yaml; wc -c < /run/secrets/app; while :; do sleep 1; done",
                ]
                container.secrets = [
                    Swarm.SecretReference(
                        file: Swarm.FileTarget(name: "app", uid: "0", gid: "0", mode: 0o400), secretID: secretID, secretName: secretName)
                ]
                container.configs = [
                    Swarm.ConfigReference(
                        file: Swarm.FileTarget(name: "/etc/app.yaml", uid: "0", gid: "0", mode: 0o444), configID: configID,
                        configName: configName)
                ]
                let serviceID = try await scratch.createService(
                    DockerTestEngine.serviceSpec(name: DockerTestEngine.uniqueName("uses"), replicas: 1, container: container))
                #expect(try await client.waitForConvergence(service: serviceID, timeout: .seconds(90)) == .completed)
                var lines: [String] = []
                for _ in 0..<25 where lines.count < 3 {
                    lines = []
                    for try await entry in try await client.services.logs(serviceID) { lines.append(entry.text) }
                    if lines.count < 3 { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(lines.prefix(2) == ["listen: 8080", "name: \(configName)"])
                #expect(lines.last?.trimmingCharacters(in: .whitespaces) == String("s3cret-value-\(secretName)".utf8.count))

                // In use: removal is refused; after the service is gone it works.
                await #expect(throws: HomelabError.self) { try await client.secrets.remove(secretID) }
                try await client.services.remove(serviceID)
                try await eventually { try await client.secrets.remove(secretID) }
                try await eventually { try await client.configs.remove(configID) }
                let gone = await #expect(throws: HomelabError.self) { _ = try await client.secrets.inspect(secretID) }
                #expect(gone?.code == .notFound)
            }
        }

        @Test("an overlay network is created, listed and removed")
        func overlayNetwork() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            try await DockerScratch.with(client) { scratch in
                let name = DockerTestEngine.uniqueName("net")
                let created = try await client.networks.create(
                    Swarm.NetworkCreateRequest(name: name, driver: "overlay", attachable: true, labels: ["homelab.test": "yes"]))
                let id = try #require(created.id)
                scratch.remember(network: id)
                // dockerd 20.10 may list a just-created swarm network a moment later.
                var listed: [Swarm.Network] = []
                try await eventually(timeout: .seconds(10)) {
                    listed = try await client.networks.list(filters: Swarm.Filters.name(name).merging(.driver("overlay")))
                    guard !listed.isEmpty else { throw HomelabError(.notFound, "not listed yet") }
                }
                #expect(listed.map(\.id) == [id])
                #expect(listed.first?.scope == "swarm")
                #expect(listed.first?.attachable == true)
                try await client.networks.remove(id)
                #expect(try await client.networks.list(filters: .name(name)).isEmpty)
            }
        }

        @Test("the node is drained (its tasks stop), labelled, and activated again (its tasks return)")
        func drainAndActivate() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            let nodes = try await client.nodes.list()
            #expect(nodes.count == 1)
            let nodeID = try #require(nodes.first?.id)
            #expect(nodes.first?.spec?.role == .manager)
            #expect(nodes.first?.managerStatus?.leader == true)
            try await DockerScratch.with(client) { scratch in
                let serviceID = try await scratch.createService(
                    DockerTestEngine.serviceSpec(
                        name: DockerTestEngine.uniqueName("drain"), replicas: 1,
                        container: DockerTestEngine.container(healthCheck: false)))
                #expect(try await client.waitForConvergence(service: serviceID, timeout: .seconds(90)) == .completed)
                do {
                    try await client.nodes.setAvailability(nodeID, .drain)
                    #expect(try await client.nodes.inspect(nodeID).spec?.availability == .drain)
                    try await eventually {
                        let status = try await client.services.list(filters: .id(serviceID)).first?.serviceStatus
                        guard status?.runningTasks == 0 else { throw HomelabError(.timedOut, "still running") }
                    }
                    try await client.nodes.setLabels(nodeID, ["homelab.test.rack": "a"])
                    #expect(try await client.nodes.inspect(nodeID).spec?.labels?["homelab.test.rack"] == "a")
                    try await client.nodes.setLabels(nodeID, ["homelab.test.rack": nil])
                    #expect(try await client.nodes.inspect(nodeID).spec?.labels?["homelab.test.rack"] == nil)
                } catch {
                    try? await client.nodes.setAvailability(nodeID, .active)
                    throw error
                }
                try await client.nodes.setAvailability(nodeID, .active)
                #expect(try await client.nodes.inspect(nodeID).spec?.availability == .active)
                #expect(try await client.waitForConvergence(service: serviceID, timeout: .seconds(90)) == .completed)
                // The last manager cannot be demoted: the engine refuses, and nothing changes.
                let refused = await #expect(throws: HomelabError.self) { try await client.nodes.demote(nodeID) }
                #expect(refused?.serverMessage?.isEmpty == false)
                #expect(try await client.nodes.inspect(nodeID).spec?.role == .manager)
            }
        }

        @Test("service events arrive through the filtered event stream")
        func serviceEvents() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            try await DockerScratch.with(client) { scratch in
                let name = DockerTestEngine.uniqueName("events")
                let since = Date()
                let events = try await client.events(
                    filters: Swarm.Filters.type(.service).merging(.event("create")), since: since.addingTimeInterval(-1))
                let id = try await scratch.createService(
                    DockerTestEngine.serviceSpec(
                        name: name, replicas: 0, container: DockerTestEngine.container(healthCheck: false)))
                var seen: Swarm.SystemEvent?
                for try await event in events where event.actor?.id == id {
                    seen = event
                    break
                }
                #expect(seen?.type == .service)
                #expect(seen?.action == "create")
                #expect(seen?.actor?.attributes?["name"] == name)
                #expect(seen?.scope == .swarm)
            }
        }
    }
}

/// Retries `body` for up to `timeout` until it stops throwing.
func eventually(timeout: Duration = .seconds(30), _ body: () async throws -> Void) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while true {
        do {
            return try await body()
        } catch {
            if ContinuousClock.now >= deadline { throw error }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
