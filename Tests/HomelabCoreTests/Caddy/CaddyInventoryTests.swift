import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// The inventory's routing intent: `protected:`, `protected_tiers:` and service `labels:`.
@Suite("Inventory: protected routes and service labels")
struct CaddyInventoryTests {
    @Test("the example inventory says which services sit behind Authentik, as the routing table does")
    func exampleIntent() throws {
        let homelab = try InventoryLoader.load(path: ExampleInventory.path)
        #expect(homelab.protectedTiers == ["platform", "application"])
        func protected(_ name: String) throws -> Bool { homelab.isProtected(try #require(homelab.service(named: name))) }
        for name in ["komodo-core", "grafana", "homepage", "uptime-kuma", "prometheus", "prowlarr", "sabnzbd", "sonarr", "radarr",
                     "bazarr", "tautulli", "maintainerr", "seerr"] {
            #expect(try protected(name), "\(name)")
        }
        for name in ["authentik-server", "forgejo", "woodpecker-server", "connect-api", "plex", "jellyfin", "wizarr"] {
            #expect(try !protected(name), "\(name)")
        }
        #expect(homelab.service(named: "plex")?.labels["homelab.public"] == "true")
        #expect(homelab.service(named: "wizarr")?.labels["homelab.public"] == nil)
        #expect(homelab.service(named: "sonarr")?.labels["caddy.reverse_proxy"] == "{{upstreams 8989}}")
    }

    @Test("every routed host of the example inventory renders, with the forward auth where it is wanted")
    func exampleRenders() throws {
        let homelab = try InventoryLoader.load(path: ExampleInventory.path)
        let services = homelab.services.map { CaddyDockerProxy.LabelledService(name: $0.swarmName, labels: $0.labels, targets: ["10.0.1.9"]) }
        let rendering = CaddyDockerProxy().render(services)
        #expect(rendering.problems.isEmpty)
        let routes = Caddy.byHost(Caddy.siteRoutes(in: rendering.caddyfile))
        #expect(routes.count == 20)
        for (host, route) in routes {
            let owner = try #require(rendering.owners[host]?.first)
            let service = try #require(homelab.services.first { $0.swarmName == owner })
            #expect(route.isProtected == homelab.isProtected(service), "\(host)")
        }
        #expect(routes["prometheus.home.arpa"]?.upstreams == ["10.0.1.9:9090"])
    }

    @Test("protected_tiers must name tiers; protected must be a boolean; labels a mapping")
    func malformed() throws {
        let base = """
            name: lab
            nodes:
              - { name: m1, role: manager, platform: proxmox-vm, address: 10.0.0.1 }
            tiers: [base]
            protected_tiers: [nope]
            stacks:
              - name: s
                tier: base
                services:
                  - name: a
                    protected: maybe
                    labels: [caddy]
            """
        let error = try #require(throws: HomelabError.self) { try InventoryLoader.load(yaml: base) }
        let paths = error.inventoryIssues.map(\.keyPath)
        #expect(paths.contains { $0.hasPrefix("protected_tiers") }, "\(error)")
        #expect(paths.contains { $0.hasSuffix("protected") }, "\(error)")
        #expect(paths.contains { $0.hasSuffix("labels") }, "\(error)")
    }
}
