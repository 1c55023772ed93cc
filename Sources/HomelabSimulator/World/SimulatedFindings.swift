/// The deliberate problems the simulated homelab ships with for `homelab check`, one of each kind, named in one place
/// so the seeds and the tests agree. Each applies only when the inventory has a service (or secret) of that name.
///
/// Forward auth's are seeded by the Caddy and Authentik simulators: tautulli's live route skips forward auth and
/// maintainerr's proxy provider is bound to no outpost.
public enum SimulatedFindings {
    /// Rule `backups`: a stateful service whose data sits on a local Docker volume, on no TrueNAS dataset.
    public static let unbackedService = "komodo-mongo"
    /// Rule `monitoring`: a routed service deployed without its AutoKuma (`kuma.*`) labels.
    public static let unmonitoredService = "seerr"
    /// Rule `secrets`: a Swarm secret the inventory places in 1Password where the simulated Connect has no item.
    public static let missingSecret = "cloudflared_tunnel_token"
    /// Rule `placement`: a stateful service held on its node by a node-label constraint, not by its hostname pin.
    public static let looselyPinnedService = "posterizarr"
    /// Rule `monitoring`: a service labelled `prometheus.scrape=true` whose simulated Prometheus target is down
    /// (`connection refused`).
    public static let unscrapedService = "loki"
    /// The services the simulated swarm labels `prometheus.scrape=true`, with their metrics port (`prometheus.port`):
    /// the simulated Prometheus' active targets.
    public static let metricsPorts: [String: Int] = ["prometheus": 9090, "loki": 3100, "grafana": 3000, "caddy": 2019, "authentik-server": 9300]
}
