import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// Every test against the real dockerd, one at a time: they share one single-node swarm.
@Suite("Docker Swarm against a real dockerd", .serialized)
struct DockerSwarm {}

extension DockerSwarm {
    @Suite("connection, negotiation and errors")
    struct Engine {
        @Test("negotiation picks the engine's API version when it is below the SDK's maximum (1.41 on Debian's docker.io)")
        func negotiatesEngineVersion() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            let ping = try await client.system.ping()
            let server = try #require(ping.apiVersion.flatMap(Swarm.APIVersion.init))
            let negotiated = try await client.apiVersion()
            #expect(negotiated == min(server, Swarm.APIVersion.sdkMaximum))
            #expect(negotiated >= Swarm.APIVersion.sdkMinimum)
            let version = try await client.system.version()
            #expect(version.apiVersion == ping.apiVersion)
            #expect(version.os == "linux")
        }

        @Test("a fixed API version newer than the engine's is refused with an unsupported-version error")
        func fixedVersionTooNew() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            let server = try #require(try await client.system.ping().apiVersion.flatMap(Swarm.APIVersion.init))
            guard server < Swarm.APIVersion.sdkMaximum else { return }  // nothing newer to ask for
            let host = try #require(ProcessInfo.processInfo.environment[DockerTestEngine.hostVariable])
            let connection = try DockerConnection.fromEnvironment(["DOCKER_HOST": host, "DOCKER_API_VERSION": "1.51"])
            let pinned = try SwarmClient(transport: try CurlTransport(), connection: connection)
            let error = await #expect(throws: HomelabError.self) { _ = try await pinned.system.info() }
            #expect(error?.code == .unsupportedVersion)
            #expect(error?.status == 400)
        }

        @Test("the engine is a swarm manager: info, swarm inspect and join tokens")
        func managerRole() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            #expect(try await client.system.swarmRole() == .activeManager)
            try await client.system.requireManager()
            let info = try await client.system.info()
            #expect(info.swarm?.localNodeState == .active)
            #expect(info.swarm?.controlAvailable == true)
            let swarm = try await client.swarm.inspect()
            #expect(swarm.id?.isEmpty == false)
            let tokens = try await client.swarm.joinTokens()
            #expect(tokens.worker?.reveal().hasPrefix("SWMTKN-1-") == true)
            #expect(tokens.manager?.reveal().hasPrefix("SWMTKN-1-") == true)
            #expect("\(tokens.worker!)".contains("SWMTKN") == false)
        }

        @Test("a missing service is notFound, a duplicate name is a conflict, a stale version is out of sequence")
        func errorMapping() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            let missing = await #expect(throws: HomelabError.self) {
                _ = try await client.services.inspect("hl-it-does-not-exist")
            }
            #expect(missing?.code == .notFound)
            #expect(missing?.component == "docker")
            #expect(missing?.serverMessage?.contains("hl-it-does-not-exist") == true)

            try await DockerScratch.with(client) { scratch in
                let name = DockerTestEngine.uniqueName("errors")
                let spec = DockerTestEngine.serviceSpec(
                    name: name, replicas: 0, container: DockerTestEngine.container(healthCheck: false))
                let id = try await scratch.createService(spec)
                let duplicate = await #expect(throws: HomelabError.self) { _ = try await client.services.create(spec) }
                #expect(duplicate?.code == .conflict)

                let stale = try await client.services.inspect(id)
                try await client.services.modify(id) { $0.labels?["first"] = "1" }
                let conflict = await #expect(throws: HomelabError.self) {
                    try await client.services.update(id, version: try #require(stale.version), spec: try #require(stale.spec))
                }
                #expect(conflict?.code == .outOfSequence)
                #expect(conflict?.status == 500)
            }
        }

        @Test("the models keep every field a real engine sends for services, tasks, nodes, the swarm, networks, secrets, configs")
        func modelsCoverTheEngine() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            try await DockerScratch.with(client) { scratch in
                let name = DockerTestEngine.uniqueName("fields")
                let network = try #require(
                    try await client.networks.create(Swarm.NetworkCreateRequest(name: name, driver: "overlay", attachable: true)).id)
                scratch.remember(network: network)
                let secret = try await client.secrets.create(Swarm.SecretSpec(name: name, content: Secret("field-check-\(name)")))
                scratch.remember(secret: secret)
                let config = try await client.configs.create(Swarm.ConfigSpec(name: name, content: Array("x=1".utf8)))
                scratch.remember(config: config)

                var container = DockerTestEngine.container(env: ["A=1"])
                container.labels = ["container.label": "x"]
                container.hostname = "{{.Task.Slot}}-host"
                container.dir = "/tmp"
                container.user = "0:0"
                container.groups = ["0"]
                container.readOnly = false
                container.stopSignal = "SIGTERM"
                container.hosts = ["127.0.0.1 example.invalid"]
                container.dnsConfig = Swarm.DNSConfig(nameservers: ["127.0.0.1"], search: ["example.invalid"], options: ["ndots:1"])
                container.mounts = [Swarm.Mount(target: "/scratch", type: .tmpfs, tmpfsOptions: Swarm.TmpfsOptions(sizeBytes: 1 << 20, mode: 0o755))]
                container.secrets = [Swarm.SecretReference(file: Swarm.FileTarget(name: "s", uid: "0", gid: "0", mode: 0o400), secretID: secret, secretName: name)]
                container.configs = [Swarm.ConfigReference(file: Swarm.FileTarget(name: "/c", uid: "0", gid: "0", mode: 0o444), configID: config, configName: name)]
                container.useInit = true
                container.sysctls = ["net.ipv4.ip_forward": "0"]
                container.capabilityAdd = ["CAP_NET_ADMIN"]
                container.capabilityDrop = ["CAP_MKNOD"]
                container.ulimits = [Swarm.Ulimit(name: "nofile", soft: 1024, hard: 2048)]
                var spec = DockerTestEngine.serviceSpec(name: name, replicas: 1, container: container)
                spec.taskTemplate?.placement = Swarm.Placement(
                    constraints: ["node.role==manager"],
                    preferences: [Swarm.PlacementPreference(spread: Swarm.SpreadOver(spreadDescriptor: "node.labels.rack"))], maxReplicas: 2)
                spec.taskTemplate?.resources = Swarm.ResourceRequirements(
                    limits: Swarm.Limit(nanoCPUs: 500_000_000, memoryBytes: 64 << 20), reservations: Swarm.ResourceObject(memoryBytes: 8 << 20))
                spec.taskTemplate?.restartPolicy?.window = .seconds(10)
                spec.taskTemplate?.networks = [Swarm.NetworkAttachmentConfig(target: network, aliases: ["fields"])]
                spec.taskTemplate?.logDriver = Swarm.DriverConfig(name: "json-file", options: ["max-size": "1m"])
                spec.taskTemplate?.forceUpdate = 1
                spec.endpointSpec = Swarm.EndpointSpec(mode: .dnsrr)
                let id = try await scratch.createService(spec)
                #expect(try await client.waitForConvergence(service: id, timeout: .seconds(90)) == .completed)

                func check<T: Codable>(_ type: T.Type, _ path: String) async throws {
                    let raw = try await SwarmRawJSON.get(client, path)
                    let decoded = try JSONDecoder().decode(T.self, from: raw)
                    let lost = try SwarmRawJSON.keysLost(raw: raw, roundTrip: JSONEncoder().encode(decoded))
                    #expect(lost.isEmpty, "\(path): fields dropped by \(T.self): \(lost)")
                }
                try await check(Swarm.Service.self, "/services/\(id)?insertDefaults=true")
                try await check([Swarm.Service].self, "/services?status=true")
                try await check([Swarm.Task].self, "/tasks")
                try await check([Swarm.Node].self, "/nodes")
                try await check(Swarm.Cluster.self, "/swarm")
                try await check([Swarm.Network].self, "/networks")
                try await check(Swarm.Network.self, "/networks/\(network)")
                try await check([Swarm.Secret].self, "/secrets")
                try await check([Swarm.Config].self, "/configs")
            }
        }
    }
}
