/// The homelab's ingress routes (host, upstream service and port, protection), shared by the simulated Caddy and
/// the simulated Authentik so that both agree. Hosts are `<name>.home.arpa`.
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

    /// The homelab's routes (the table in the project's routes note).
    public static let homelab: [SimulatedRoute] = {
        var routes: [SimulatedRoute] = [
            SimulatedRoute("auth", "authentik-server", 9000, protected: false),
            SimulatedRoute("git", "forgejo", 3000, protected: false),
            SimulatedRoute("ci", "woodpecker-server", 8000, protected: false),
            SimulatedRoute("connect", "connect-api", 8080, protected: false),
            SimulatedRoute("komodo", "komodo-core", 9120, protected: true),
            SimulatedRoute("grafana", "grafana", 3000, protected: true),
            SimulatedRoute("home", "homepage", 3000, protected: true),
            SimulatedRoute("status", "uptime-kuma", 3001, protected: true),
            SimulatedRoute("prometheus", "prometheus", 9090, protected: true),
            SimulatedRoute("plex", "plex", 32400, protected: false),
            SimulatedRoute("jellyfin", "jellyfin", 8096, protected: false),
        ]
        let media = [("prowlarr", 9696), ("sabnzbd", 8080), ("sonarr", 8989), ("radarr", 7878), ("bazarr", 6767),
                     ("tautulli", 8181), ("maintainerr", 6246), ("seerr", 5055)]
        routes += media.map { SimulatedRoute($0.0, $0.0, $0.1, protected: true) }
        routes.append(SimulatedRoute("wizarr", "wizarr", 5690, protected: false, labelledPublic: false))
        return routes
    }()

    init(_ name: String, _ service: String, _ port: Int, protected: Bool, labelledPublic: Bool? = nil) {
        self.host = name + ".home.arpa"
        self.service = service
        self.port = port
        self.isProtected = protected
        self.labelledPublic = labelledPublic ?? !protected
    }

    /// The first label of the host (`grafana`).
    public var name: String { String(host.split(separator: ".").first ?? "") }
}
