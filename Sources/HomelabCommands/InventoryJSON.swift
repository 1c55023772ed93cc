import HomelabCore

/// The JSON shape of `homelab inventory show --format json`: the inventory's own key names, tiers holding
/// their stacks, and credentials by kind only (`"token": "op://…"`).
struct InventoryJSON: Encodable {
    struct Node: Encodable {
        var name, role, platform, address: String
        var leader: Bool
        var ssh: SSH
        var labels: [String: String]
    }

    struct SSH: Encodable {
        var user: String
        var port: Int
        var identity_file: String?
    }

    struct Tier: Encodable {
        var name: String
        var stacks: [Stack]
    }

    struct Stack: Encodable {
        var name: String
        var services: [Service]
    }

    struct Service: Encodable {
        var name, tier: String
        var image: String?
        var mode: String
        var replicas: Int?
        var depends_on: [String]
        var stateful: Bool
        var pinned_node: String?
        var health_url: String?
    }

    struct TLS: Encodable {
        var trust: String
        var ca_file: String?
        var pinned_public_keys: [String]
        var client_cert: String?
        var verify_hostname: Bool
    }

    struct Component: Encodable {
        var url: String?
        var socket: String?
        var ssh_tunnel: String?
        var node: String?
        var config_path: String?
        var username: String?
        var tls: TLS?
        var credentials: [String: String]
    }

    var name: String
    var nodes: [Node]
    var tiers: [Tier]
    var components: [String: Component]

    init(_ homelab: Homelab) {
        name = homelab.name
        nodes = homelab.nodes.map { node in
            Node(
                name: node.name, role: node.role.rawValue, platform: node.platform.rawValue, address: node.address,
                leader: node.isLeader,
                ssh: SSH(user: node.ssh.user, port: node.ssh.port, identity_file: node.ssh.identityFile),
                labels: node.labels)
        }
        tiers = homelab.tiers.map { tier in
            Tier(
                name: tier,
                stacks: homelab.stacks(inTier: tier).map { stack in
                    Stack(name: stack.name, services: stack.services.map(Self.service))
                })
        }
        var components: [String: Component] = [:]
        for (kind, component) in homelab.components {
            components[kind.rawValue] = Self.component(component)
        }
        self.components = components
    }

    static func service(_ service: Homelab.Service) -> Service {
        var replicas: Int?
        if case .replicated(let count) = service.mode { replicas = count }
        return Service(
            name: service.name, tier: service.tier, image: service.image, mode: replicas == nil ? "global" : "replicated",
            replicas: replicas, depends_on: service.dependsOn, stateful: service.isStateful,
            pinned_node: service.pinnedNode, health_url: service.healthURL)
    }

    static func component(_ component: ComponentEndpoint) -> Component {
        var url: String?
        var socket: String?
        var tls: TLS?
        if let endpoint = component.endpoint {
            switch endpoint.address {
            case .url: url = endpoint.description
            case .unixSocket(let path): socket = path
            }
            if endpoint.usesTLS {
                let trust: String
                var caFile: String?
                switch endpoint.tls.trust {
                case .system: trust = "system"
                case .caFile(let path):
                    trust = "ca_file"
                    caFile = path
                case .caPEM: trust = "ca_pem"
                case .pinnedKeyOnly: trust = "pins_only"
                case .insecure: trust = "insecure"
                }
                tls = TLS(
                    trust: trust, ca_file: caFile, pinned_public_keys: endpoint.tls.pinnedPublicKeys,
                    client_cert: endpoint.tls.clientCertificate?.certificateFile,
                    verify_hostname: endpoint.tls.verifyHostname)
            }
        }
        return Component(
            url: url, socket: socket, ssh_tunnel: component.sshTunnel, node: component.node,
            config_path: component.configPath, username: component.username, tls: tls,
            credentials: component.credentials.mapValues(\.schemeOnly))
    }
}
