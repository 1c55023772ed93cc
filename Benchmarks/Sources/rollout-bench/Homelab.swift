import HomelabCore

/// The 30-service homelab of the architecture document: three tiers on five Swarm nodes,
/// stateful services pinned to barbary, dependencies as compose `depends_on` and labels declare
/// them. Estimates are plausible update times (pull, restart, health, monitor window).
enum HomelabWorkload {
    /// (service, node, estimate in seconds, depends on)
    static let services: [(String, String, Int, [String])] = [
        // infrastructure
        ("op-connect", "ching", 40, []),
        ("caddy", "ching", 30, []),
        ("caddy-docker-proxy", "ching", 25, ["caddy"]),
        ("cloudflared", "angre", 20, ["caddy"]),
        ("komodo-core", "angre", 60, ["op-connect", "postgres"]),
        ("dnsmasq", "lorcha", 15, []),
        ("matchbox", "lorcha", 20, ["dnsmasq"]),
        // platform
        ("postgres", "barbary", 90, ["op-connect"]),
        ("redis", "angre", 20, []),
        ("authentik-server", "ching", 120, ["postgres", "redis", "op-connect"]),
        ("authentik-worker", "dhow", 90, ["postgres", "redis"]),
        ("prometheus", "barbary", 60, []),
        ("loki", "barbary", 45, []),
        ("grafana", "dhow", 50, ["prometheus", "loki", "postgres", "authentik-server"]),
        ("homepage", "lorcha", 25, ["caddy-docker-proxy"]),
        ("uptime-kuma", "dhow", 40, ["caddy-docker-proxy"]),
        ("autokuma", "dhow", 20, ["uptime-kuma"]),
        ("forgejo", "barbary", 80, ["postgres", "authentik-server"]),
        ("woodpecker-server", "angre", 45, ["forgejo"]),
        ("woodpecker-agent", "lorcha", 35, ["woodpecker-server"]),
        // application
        ("plex", "barbary", 150, ["caddy"]),
        ("jellyfin", "barbary", 140, ["caddy", "authentik-server"]),
        ("prowlarr", "barbary", 40, []),
        ("sabnzbd", "barbary", 50, []),
        ("sonarr", "barbary", 60, ["prowlarr", "sabnzbd"]),
        ("radarr", "barbary", 60, ["prowlarr", "sabnzbd"]),
        ("bazarr", "barbary", 35, ["sonarr", "radarr"]),
        ("tautulli", "dhow", 30, ["plex"]),
        ("seerr", "ching", 45, ["plex", "sonarr", "radarr", "authentik-server"]),
        ("kometa", "lorcha", 55, ["plex"]),
    ]

    /// The homelab rollout: global budget 4, two steps per node at once.
    static func workload() throws -> Workload {
        let steps = services.map { RolloutStep(service: $0.0, nodes: [$0.1], estimate: .seconds($0.2)) }
        var dependencies = RolloutDependencies()
        for (service, _, _, others) in services { dependencies.add(service, dependsOn: others) }
        return Workload(graph: try RolloutGraph(steps: steps, dependencies: dependencies),
            limits: try RolloutLimits(budget: 4, nodeBudget: 2))
    }
}
