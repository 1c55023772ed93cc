import HomelabCore

extension DemoCommand {
    /// The demo's Caddy part: the routes caddy-docker-proxy made from the simulated services' labels, the route that
    /// should be protected and is not, and what the live Caddy serves differently from the labels.
    func caddyPart(homelab: Homelab, transport: any HTTPTransport) async throws {
        guard homelab.components[.caddy] != nil else { return }
        let title = "Ingress: Caddy routes from caddy-docker-proxy labels"
        print("\n" + title + "\n" + String(repeating: "-", count: title.count))
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        do {
            let routing = try await CaddyRouting.read(caddy: try await connections.caddy(), swarm: try await connections.swarm())
            let hosts = Caddy.byHost(routing.live)
            let protected = hosts.values.filter(\.isProtected).count
            print("  \(hosts.count) hosts served, \(protected) behind Authentik forward auth; for example:")
            for route in hosts.values.sorted(by: { $0.host < $1.host }).prefix(3) {
                print("    \(route.host) -> \(route.upstreams.joined(separator: " "))\(route.isProtected ? "  (forward_auth)" : "")")
            }
            for finding in routing.protectionFindings(homelab: homelab) {
                print("  unprotected: \(finding.host) [\(finding.kind.rawValue)] \(finding.detail)")
            }
            for difference in routing.differences {
                print("  diff: \(difference.host) \(difference.kind.rawValue): labels say \(difference.labels); live serves \(difference.live)")
            }
            print("  `homelab caddy unprotected` and `homelab caddy diff` exit 5 on these; `homelab caddy reload` loads what the labels say")
        } catch {
            print("  Caddy could not be shown: \(error)")
        }
        await connections.close()
    }
}
