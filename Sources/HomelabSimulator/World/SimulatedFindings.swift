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
}
