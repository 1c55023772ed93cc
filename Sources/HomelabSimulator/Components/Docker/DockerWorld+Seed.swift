import Foundation
import HomelabCore

/// Fills the swarm from an inventory, as if `docker stack deploy` (or Komodo) had deployed every stack a
/// while ago: nodes, one overlay network per stack, secrets and configs, and running tasks placed by their
/// constraints (stateful services pinned to their node).
extension DockerWorld {
    /// The label `docker stack deploy` puts on everything of a stack.
    static let stackLabel = "com.docker.stack.namespace"

    /// Seeds nodes, networks, secrets, configs and services from `homelab`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the inventory has no manager or a service
    ///   cannot be created (its message names the service).
    func seed(from homelab: Homelab) throws {
        guard let leader = homelab.leader ?? homelab.managers.first else {
            throw HomelabError(.invalidConfiguration, "the inventory has no manager node to serve the swarm API", component: "simulator")
        }
        for node in homelab.nodes { addNode(node, isLeader: node.name == leader.name) }
        localNodeID = nodes.first { $0.description?.hostname == leader.name }?.id ?? ""
        do {
            try createNetwork(Swarm.NetworkCreateRequest(name: "ingress", driver: "overlay", scope: "swarm"), ingress: true)
            var stackNetworks: [String: String] = [:]
            for stack in homelab.stacks {
                stackNetworks[stack.name] = try createNetwork(
                    Swarm.NetworkCreateRequest(
                        name: "\(stack.name)_default", driver: "overlay", scope: "swarm", labels: [Self.stackLabel: stack.name]))
            }
            let references = try seedSecretsAndConfigs(for: homelab)
            // caddy-docker-proxy reaches routed services over Caddy's own network (its stack's).
            let caddyNetwork = homelab.service(named: "caddy").flatMap { stackNetworks[$0.stack] }
            let caddyStack = SimulatedStackFile.caddyStack(in: homelab)
            var siblings: [String: Set<String>] = [:]
            for stack in homelab.stacks { siblings[stack.name] = Set(stack.services.map(\.name)) }
            for service in homelab.services {
                var spec = serviceSpec(
                    service, in: homelab, siblings: siblings[service.stack] ?? [], network: stackNetworks[service.stack],
                    references: references[service.name])
                if let caddyNetwork, SimulatedStackFile.caddyStack(for: service, caddy: caddyStack) != nil {
                    spec.taskTemplate?.networks?.append(Swarm.NetworkAttachmentConfig(target: caddyNetwork, aliases: [service.name]))
                }
                do {
                    try createService(spec, alreadyRunning: true)
                } catch let error as DockerAPIError {
                    throw HomelabError(
                        .invalidConfiguration, "cannot simulate service \(service.name): \(error.message)", component: "simulator")
                }
            }
        } catch let error as DockerAPIError {
            throw HomelabError(.invalidConfiguration, "cannot seed the simulated swarm: \(error.message)", component: "simulator")
        }
    }

    func addNode(_ node: Homelab.Node, isLeader: Bool) {
        let id = ids.objectID()
        let big = node.platform == .truenas
        let manager = node.role == .manager
        let swarmNode = Swarm.Node(
            id: id, version: Swarm.ObjectVersion(index: nextIndex()), createdAt: clusterCreatedAt, updatedAt: timestamp(),
            spec: Swarm.NodeSpec(labels: node.labels, role: manager ? .manager : .worker, availability: .active),
            description: Swarm.NodeDescription(
                hostname: node.name, platform: Swarm.Platform(architecture: "x86_64", os: "linux"),
                resources: Swarm.ResourceObject(nanoCPUs: big ? 16_000_000_000 : 4_000_000_000, memoryBytes: big ? 68_719_476_736 : 17_179_869_184),
                engine: Swarm.EngineDescription(
                    engineVersion: engineVersion, labels: ["homelab.platform": node.platform.rawValue],
                    plugins: [
                        Swarm.EnginePlugin(type: "Log", name: "json-file"), Swarm.EnginePlugin(type: "Log", name: "local"),
                        Swarm.EnginePlugin(type: "Network", name: "overlay"), Swarm.EnginePlugin(type: "Volume", name: "local"),
                    ]),
                tlsInfo: Swarm.TLSInfo(
                    trustRoot: "-----BEGIN CERTIFICATE-----\nsimulated\n-----END CERTIFICATE-----\n",
                    certIssuerSubject: "MBMxETAPBgNVBAMTCHN3YXJtLWNh", certIssuerPublicKey: "c2ltdWxhdGVk")),
            status: Swarm.NodeStatus(state: .ready, addr: node.address),
            managerStatus: manager ? Swarm.ManagerStatus(leader: isLeader, reachability: .reachable, addr: "\(node.address):2377") : nil)
        nodePositions[id] = nodes.count
        nodes.append(swarmNode)
    }

    /// The spec `docker stack deploy` would have made for an inventory service from its stack file at the import
    /// (``SimulatedStackFile``).
    private func serviceSpec(
        _ service: Homelab.Service, in homelab: Homelab, siblings: Set<String>, network: String?, references: ContainerReferences?
    ) -> Swarm.ServiceSpec {
        let image = SimulatedStackFile.image(service)
        var labels = SimulatedStackFile.deployLabels(service, in: homelab, siblings: siblings)
        labels[Self.stackLabel] = service.stack
        labels["com.docker.stack.image"] = image
        var container = Swarm.ContainerSpec(image: image)
        container.labels = [Self.stackLabel: service.stack]
        container.stopGracePeriod = .seconds(10)
        container.secrets = references?.secrets
        container.configs = references?.configs
        if let url = service.healthURL {
            container.healthCheck = Swarm.HealthConfig(
                test: SimulatedStackFile.healthTest(url), interval: .seconds(30), timeout: .seconds(5), retries: 3)
        }
        if let data = SimulatedStackFile.dataMount(service) {
            var mount = Swarm.Mount(target: data.target, source: data.source, type: data.isVolume ? .volume : .bind)
            if data.isVolume {
                // docker stack deploy names a stack's volume <stack>_<name> and labels it with the stack.
                mount.source = "\(service.stack)_\(data.source)"
                mount.volumeOptions = Swarm.VolumeOptions(labels: [Self.stackLabel: service.stack])
            }
            container.mounts = [mount]
        }
        let constraints = SimulatedStackFile.constraint(service, in: homelab).map { [$0] }
        let mode: Swarm.ServiceMode
        switch service.mode {
        case .global: mode = .global
        case .replicated(let count): mode = .replicated(replicas: UInt64(max(0, count)))
        }
        return Swarm.ServiceSpec(
            name: service.swarmName, labels: labels,
            taskTemplate: Swarm.TaskSpec(
                containerSpec: container, resources: Swarm.ResourceRequirements(),
                restartPolicy: Swarm.RestartPolicy(condition: .any, delay: .seconds(5), maxAttempts: 0),
                placement: Swarm.Placement(constraints: constraints), forceUpdate: 0, runtime: "container",
                networks: network.map { [Swarm.NetworkAttachmentConfig(target: $0, aliases: [service.name])] }),
            mode: mode, endpointSpec: Swarm.EndpointSpec(mode: .vip))
    }

    /// Secrets and configs a service of this name would mount in a typical homelab.
    struct ContainerReferences: Sendable {
        var secrets: [Swarm.SecretReference] = []
        var configs: [Swarm.ConfigReference] = []
    }

    private func seedSecretsAndConfigs(for homelab: Homelab) throws -> [String: ContainerReferences] {
        let secretUsers = SimulatedStackFile.secretUsers
        let configUsers = SimulatedStackFile.configUsers
        let present = Set(homelab.services.map(\.name))
        var references: [String: ContainerReferences] = [:]
        for (name, users) in secretUsers where users.contains(where: present.contains) {
            let content = Data("simulated-\(name)-\(ids.objectID())".utf8).base64EncodedString()
            let id = try createSecret(Swarm.SecretSpec(name: name, labels: ["homelab.managed": "true"], data: Secret(content)))
            for user in users where present.contains(user) {
                references[user, default: ContainerReferences()].secrets.append(
                    Swarm.SecretReference(file: Swarm.FileTarget(name: name, uid: "0", gid: "0", mode: 0o444), secretID: id, secretName: name))
            }
        }
        for (name, users, content) in configUsers where users.contains(where: present.contains) {
            let id = try createConfig(Swarm.ConfigSpec(name: name, labels: ["homelab.managed": "true"], content: Array(content.utf8)))
            for user in users where present.contains(user) {
                references[user, default: ContainerReferences()].configs.append(
                    Swarm.ConfigReference(file: Swarm.FileTarget(name: SimulatedStackFile.configTarget(name), uid: "0", gid: "0", mode: 0o444), configID: id, configName: name))
            }
        }
        return references
    }
}
