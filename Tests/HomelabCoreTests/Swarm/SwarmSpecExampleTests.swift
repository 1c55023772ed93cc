import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// Every model decodes the `example:` objects of the Docker Engine API specs (v1.44 and v1.56).
@Suite("Swarm models decode the spec's examples")
struct SwarmSpecExampleTests {
    @Test("a service example decodes with its spec, endpoint and versions", arguments: ["service", "service-v1.56"])
    func service(fixture: String) throws {
        let service = try SwarmFixture.decode(Swarm.Service.self, fixture)
        #expect(service.id == "9mnpnzenvg8p8tdbtq4wvbkcz")
        #expect(service.version == Swarm.ObjectVersion(index: 19))
        #expect(service.createdAt == "2016-06-07T21:05:51.880065305Z")
        let spec = try #require(service.spec)
        #expect(spec.name == "hopeful_cori")
        #expect(spec.taskTemplate?.containerSpec?.image == "redis")
        #expect(spec.taskTemplate?.restartPolicy?.condition == .any)
        #expect(spec.taskTemplate?.forceUpdate == 0)
        #expect(spec.mode == .replicated(replicas: 1))
        #expect(spec.updateConfig?.parallelism == 1)
        #expect(spec.updateConfig?.delay == .seconds(1))
        #expect(spec.updateConfig?.failureAction == .pause)
        #expect(spec.updateConfig?.monitor?.duration == .seconds(15))
        #expect(spec.updateConfig?.maxFailureRatio == 0.15)
        #expect(spec.rollbackConfig?.failureAction == .pause)
        #expect(spec.endpointSpec?.mode == .vip)
        let port = try #require(spec.endpointSpec?.ports?.first)
        #expect(port.portProtocol == .tcp && port.targetPort == 6379 && port.publishedPort == 30001)
        #expect(service.endpoint?.virtualIPs?.map(\.addr) == ["10.255.0.2/16", "10.255.0.3/16"])
        #expect(service.updateStatus == nil)
    }

    @Test("a create request example decodes with mounts, secrets, log driver and health-free container spec",
        arguments: ["service-create-request", "service-create-request-v1.56"])
    func createRequest(fixture: String) throws {
        let spec = try SwarmFixture.decode(Swarm.ServiceSpec.self, fixture)
        #expect(spec.name == "web")
        let container = try #require(spec.taskTemplate?.containerSpec)
        #expect(container.image == "nginx:alpine")
        #expect(container.user == "33")
        let mount = try #require(container.mounts?.first)
        #expect(mount.type == .volume && mount.readOnly == true && mount.source == "web-data")
        #expect(mount.volumeOptions?.labels == ["com.example.something": "something-value"])
        #expect(container.hosts?.count == 2)
        #expect(container.dnsConfig?.nameservers == ["8.8.8.8"])
        let secret = try #require(container.secrets?.first)
        #expect(secret.secretName == "example_org_domain_key")
        #expect(secret.file?.mode == 0o600)
        #expect(spec.taskTemplate?.logDriver?.name == "json-file")
        #expect(spec.taskTemplate?.logDriver?.options?["max-size"] == "10M")
        #expect(spec.taskTemplate?.resources?.limits?.memoryBytes == 104_857_600)
        #expect(spec.taskTemplate?.restartPolicy?.condition == .onFailure)
        #expect(spec.taskTemplate?.restartPolicy?.delay == .seconds(10))
        #expect(spec.taskTemplate?.restartPolicy?.maxAttempts == 10)
        #expect(spec.mode?.replicas == 4)
        #expect(spec.updateConfig?.order == .stopFirst || spec.updateConfig?.order == nil)
        #expect(spec.endpointSpec?.ports?.first?.publishedPort == 8080)
    }

    @Test("the update request example decodes")
    func updateRequest() throws {
        let spec = try SwarmFixture.decode(Swarm.ServiceSpec.self, "service-update-request")
        #expect(spec.name == "top")
        #expect(spec.taskTemplate?.containerSpec?.image == "busybox")
        #expect(spec.taskTemplate?.containerSpec?.args == ["top"])
        #expect(spec.taskTemplate?.forceUpdate == 0)
        #expect(spec.mode == .replicated(replicas: 1))
    }

    @Test("create and update responses decode")
    func responses() throws {
        let created = try SwarmFixture.decode(Swarm.ServiceCreateResponse.self, "service-create-response")
        #expect(created.id == "ak7w3gjqoa3kuz8xcpnyy0pvl")
        #expect(created.warnings?.count == 1)
        let updated = try SwarmFixture.decode(Swarm.ServiceUpdateResponse.self, "service-update-response")
        #expect(updated.warnings?.first?.contains("unable to pin image") == true)
    }

    @Test("task examples decode, including SwarmKit's network shape inside attachments",
        arguments: ["task", "task-v1.56"])
    func task(fixture: String) throws {
        let task = try SwarmFixture.decode(Swarm.Task.self, fixture)
        #expect(task.id == "0kzzo1i0y4jz6027t0k7aezc7")
        #expect(task.serviceID == "9mnpnzenvg8p8tdbtq4wvbkcz")
        #expect(task.slot == 1)
        #expect(task.status?.state == .running)
        #expect(task.desiredState == .running)
        #expect(task.status?.containerStatus?.pid == 677)
        let attachment = try #require(task.networksAttachments?.first)
        #expect(attachment.network?.id == "4qvuz4ko70xaltuqbt8956gd1")
        #expect(attachment.network?.spec?.name == "ingress")
        #expect(attachment.network?.driverState?.name == "overlay")
        #expect(attachment.network?.ipamOptions?.configs?.first?.subnet == "10.255.0.0/16")
        #expect(attachment.addresses == ["10.255.0.10/16"])
        #expect(task.assignedGenericResources?.count == 3)
        #expect(task.assignedGenericResources?.first?.discreteResourceSpec?.value == 3)
    }

    @Test("the task list example decodes", arguments: ["tasks", "tasks-v1.56"])
    func tasks(fixture: String) throws {
        let tasks = try SwarmFixture.decode([Swarm.Task].self, fixture)
        #expect(tasks.count == 2)
        #expect(tasks.map(\.desiredState) == [.running, .shutdown])
        #expect(tasks[1].status?.state == .shutdown)
        #expect(tasks[1].status?.containerStatus?.containerID?.hasPrefix("1cf8d63d18e7") == true)
        #expect(tasks.allSatisfy { $0.status?.state?.isKnown == true })
    }

    @Test("a node decodes with spec, description, status and manager status", arguments: ["node", "node-v1.56"])
    func node(fixture: String) throws {
        let node = try SwarmFixture.decode(Swarm.Node.self, fixture)
        #expect(node.id == "24ifsmvkjbyhk")
        #expect(node.version?.index == 373_531)
        #expect(node.spec?.availability == .active)
        #expect(node.spec?.role == .manager)
        #expect(node.spec?.labels == ["foo": "bar"])
        #expect(node.description?.hostname == "bf3067039e47")
        #expect(node.description?.platform == Swarm.Platform(architecture: "x86_64", os: "linux"))
        #expect(node.description?.resources?.nanoCPUs == 4_000_000_000)
        #expect(node.description?.resources?.genericResources?.last?.namedResourceSpec?.value == "UUID2")
        #expect(node.description?.engine?.plugins?.contains(Swarm.EnginePlugin(type: "Network", name: "overlay")) == true)
        #expect(node.description?.tlsInfo?.trustRoot?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
        #expect(node.status?.state == .ready)
        #expect(node.managerStatus?.leader == true)
        #expect(node.managerStatus?.reachability == .reachable)
        #expect(node.managerStatus?.addr == "10.0.0.46:2377")
    }

    @Test("a node spec example decodes and re-encodes to the same JSON")
    func nodeSpec() throws {
        let data = try SwarmFixture.data("node-spec")
        let spec = try JSONDecoder().decode(Swarm.NodeSpec.self, from: data)
        #expect(spec == Swarm.NodeSpec(name: "node-name", labels: ["foo": "bar"], role: .manager, availability: .active))
        let original = try JSONSerialization.jsonObject(with: data) as? NSDictionary
        let again = try JSONSerialization.jsonObject(with: JSONEncoder().encode(spec)) as? NSDictionary
        #expect(original == again)
    }

    @Test("the swarm inspect example decodes, with join tokens as secrets", arguments: ["swarm", "swarm-v1.56"])
    func swarm(fixture: String) throws {
        let swarm = try SwarmFixture.decode(Swarm.Cluster.self, fixture)
        #expect(swarm.id == "abajmipo7b4xz5ip2nrla6b11")
        #expect(swarm.version?.index == 373_531)
        #expect(swarm.spec?.name == "default")
        #expect(swarm.spec?.orchestration?.taskHistoryRetentionLimit == 10)
        #expect(swarm.spec?.raft?.snapshotInterval == 10_000)
        #expect(swarm.spec?.dispatcher?.heartbeatPeriod == .seconds(5))
        #expect(swarm.spec?.caConfig?.nodeCertExpiry?.duration == .seconds(7_776_000))
        #expect(swarm.spec?.encryptionConfig?.autoLockManagers == false)
        #expect(swarm.spec?.taskDefaults?.logDriver?.options?["max-file"] == "10")
        #expect(swarm.dataPathPort == 4789)
        #expect(swarm.defaultAddrPool == ["10.10.0.0/16", "20.20.0.0/16"])
        #expect(swarm.subnetSize == 24)
        let worker = try #require(swarm.joinTokens?.worker)
        #expect(worker.reveal().hasPrefix("SWMTKN-1-"))
        #expect(!"\(swarm)".contains(worker.reveal()))
    }

    @Test("swarm init, join and unlock bodies decode")
    func swarmRequests() throws {
        let initRequest = try SwarmFixture.decode(Swarm.SwarmInitRequest.self, "swarm-init-request")
        #expect(initRequest.listenAddr == "0.0.0.0:2377")
        #expect(initRequest.advertiseAddr == "192.168.1.1:2377")
        #expect(initRequest.defaultAddrPool == ["10.10.0.0/8", "20.20.0.0/8"])
        #expect(initRequest.forceNewCluster == false)
        #expect(initRequest.spec?.encryptionConfig?.autoLockManagers == false)
        let join = try SwarmFixture.decode(Swarm.SwarmJoinRequest.self, "swarm-join-request")
        #expect(join.remoteAddrs == ["node1:2377"])
        #expect(join.joinToken.reveal().hasPrefix("SWMTKN-1-"))
        #expect(!"\(join)".contains("SWMTKN"))
        let key = try SwarmFixture.decode(Swarm.SwarmUnlockKey.self, "swarm-unlockkey")
        #expect(key.unlockKey?.reveal().hasPrefix("SWMKEY-1-") == true)
    }

    @Test("version and info examples decode", arguments: ["", "-v1.56"])
    func systemInfo(suffix: String) throws {
        let version = try SwarmFixture.decode(Swarm.SystemVersion.self, "version" + suffix)
        #expect(version.apiVersion == "1.40" || version.apiVersion?.hasPrefix("1.") == true)
        #expect(version.minAPIVersion != nil)
        #expect(version.os == "linux")
        #expect(version.components?.first?.name == "Engine")
        let info = try SwarmFixture.decode(Swarm.SystemInfo.self, "info" + suffix)
        #expect(info.osType == "linux")
        #expect(info.ncpu == 4)
        #expect(info.swarm?.localNodeState == .active)
        #expect(info.swarm?.controlAvailable == true)
        #expect(info.swarm?.remoteManagers?.count == 3)
        #expect(info.swarm?.managers == 3)
        #expect(info.swarm?.cluster?.id == "abajmipo7b4xz5ip2nrla6b11")
    }

    @Test("secrets and configs examples decode; secret data is never returned")
    func secretsAndConfigs() throws {
        let secrets = try SwarmFixture.decode([Swarm.Secret].self, "secrets")
        #expect(secrets.map { $0.spec?.name } == ["mysql-passwd", "app-dev.crt"])
        #expect(secrets[0].spec?.driver?.name == "secret-bucket")
        #expect(secrets.allSatisfy { $0.spec?.data == nil })
        let secret = try SwarmFixture.decode(Swarm.Secret.self, "secret")
        #expect(secret.version?.index == 11)
        let create = try SwarmFixture.decode(Swarm.SecretSpec.self, "secret-create-request")
        #expect(create.data?.reveal() == "VEhJUyBJUyBOT1QgQSBSRUFMIENFUlRJRklDQVRFCg==")
        #expect(!"\(create)".contains("VEhJUyBJUyBOT1Qg"))
        let configs = try SwarmFixture.decode([Swarm.Config].self, "configs")
        #expect(configs.first?.spec?.name == "server.conf")
        #expect(try SwarmFixture.decode(Swarm.Config.self, "config").spec?.name == "app-dev.crt")
        let config = try SwarmFixture.decode(Swarm.ConfigSpec.self, "config-create-request")
        #expect(config.content.map { String(decoding: $0, as: UTF8.self) } == "THIS IS NOT A REAL CERTIFICATE\n")
    }

    @Test("network list, create request and create response decode", arguments: ["networks", "networks-v1.56"])
    func networks(fixture: String) throws {
        let networks = try SwarmFixture.decode([Swarm.Network].self, fixture)
        #expect(!networks.isEmpty)
        #expect(networks.allSatisfy { $0.id != nil && $0.name != nil })
        let request = try SwarmFixture.decode(Swarm.NetworkCreateRequest.self, "network-create-request")
        #expect(request.name == "my_network")
        #expect(request.ipam?.config?.first?.subnet == "172.20.0.0/16")
        #expect(request.configFrom?.network == "config_only_network_01")
        let response = try SwarmFixture.decode(Swarm.NetworkCreateResponse.self, "network-create-response")
        #expect(response.id?.count == 64)
    }

    @Test("an event decodes with type, action and actor", arguments: ["event", "event-v1.56"])
    func event(fixture: String) throws {
        let event = try SwarmFixture.decode(Swarm.SystemEvent.self, fixture)
        #expect(event.type == .container)
        #expect(event.action == "create")
        #expect(event.actor?.attributes?["name"] == "my-container")
        #expect(event.time == 1_629_574_695)
        #expect(event.timeNano == 1_629_574_695_515_050_031)
    }
}
