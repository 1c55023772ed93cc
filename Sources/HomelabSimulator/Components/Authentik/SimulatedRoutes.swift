import HomelabCore

/// The homelab's ingress routes (host, upstream service and port, protection) as its labels declare them, so that
/// the simulated Authentik agrees with the simulated Caddy.
public struct SimulatedRoute: Sendable, Hashable {
    /// The host (`grafana.home.arpa`).
    public var host: String
    /// The upstream service.
    public var service: String
    /// The upstream port.
    public var port: Int
    /// Whether it goes through Authentik's forward auth (in the inventory's intent).
    public var isProtected: Bool
    /// Whether its labels say it is public on purpose (`false` for wizarr, deliberately).
    public var labelledPublic: Bool

    /// The routes the inventory's caddy-docker-proxy labels declare, rendered as the simulated Caddy renders them
    /// (``CaddyDockerProxy``): one per host, proxying to the labelled service's port, protected as the inventory
    /// intends (``Homelab/isProtected(_:)``), public on purpose when the service says `homelab.public: "true"`.
    /// One source for the simulated Caddy, the simulated Authentik and the tests.
    public static func routes(of homelab: Homelab) -> [SimulatedRoute] {
        var labelled: [CaddyDockerProxy.LabelledService] = []
        var services: [String: Homelab.Service] = [:]
        for service in homelab.stacks.flatMap(\.services) where !service.labels.isEmpty {
            labelled.append(CaddyDockerProxy.LabelledService(name: service.name, labels: service.labels, targets: [service.name]))
            services[service.name] = service
        }
        let rendering = CaddyDockerProxy().render(labelled)
        return Caddy.byHost(Caddy.siteRoutes(in: rendering.caddyfile)).sorted { $0.key < $1.key }.compactMap { host, route in
            guard host != "*", let owner = rendering.owners[host]?.first, let service = services[owner] else { return nil }
            let port = route.upstreams.lazy.compactMap { $0.split(separator: ":").last.flatMap { Int($0) } }.first ?? 80
            return SimulatedRoute(
                host: host, service: owner, port: port, isProtected: homelab.isProtected(service),
                labelledPublic: service.labels["homelab.public"] == "true")
        }
    }

    /// A route.
    public init(host: String, service: String, port: Int, isProtected: Bool, labelledPublic: Bool) {
        self.host = host
        self.service = service
        self.port = port
        self.isProtected = isProtected
        self.labelledPublic = labelledPublic
    }

    /// The first label of the host (`grafana`).
    public var name: String { String(host.split(separator: ".").first ?? "") }
}
