import HomelabCore
import HomelabSimulator
import Testing

@Suite("The simulated routes come from the inventory's labels")
struct SimulatedRoutesTests {
    @Test("every labelled host once, with its port, the inventory's protection and its public label")
    func fromLabels() throws {
        let homelab = try InventoryLoader.load(path: SimulatorHarness.exampleInventory)
        let routes = SimulatedRoute.routes(of: homelab)
        let byHost = Dictionary(uniqueKeysWithValues: routes.map { ($0.host, $0) })
        #expect(routes.count == byHost.count)
        #expect(routes.count == 20)
        #expect(byHost["grafana.home.arpa"].map { ($0.service, $0.port, $0.isProtected) } ?? ("", 0, false) == ("grafana", 3000, true))
        #expect(byHost["auth.home.arpa"].map { ($0.service, $0.port, $0.isProtected, $0.labelledPublic) } ?? ("", 0, true, false)
            == ("authentik-server", 9000, false, true))
        // bazarr's label says 6767: the simulated Caddy's wrong port is a live difference, not a label.
        #expect(byHost["bazarr.home.arpa"]?.port == 6767)
        // wizarr is public without saying so: the `caddy unprotected` finding.
        #expect(byHost["wizarr.home.arpa"].map { (!$0.isProtected, !$0.labelledPublic) } ?? (false, false) == (true, true))
        #expect(routes.filter(\.isProtected).count == 13)
    }

    @Test("a service without caddy labels has no route; a protected tier protects its services")
    func tiers() throws {
        var homelab = try InventoryLoader.load(path: SimulatorHarness.exampleInventory)
        let before = SimulatedRoute.routes(of: homelab)
        for stack in homelab.stacks.indices {
            for service in homelab.stacks[stack].services.indices where homelab.stacks[stack].services[service].name == "plex" {
                homelab.stacks[stack].services[service].labels = [:]
            }
        }
        homelab.protectedTiers = homelab.tiers
        let after = SimulatedRoute.routes(of: homelab)
        #expect(after.count == before.count - 1 && !after.contains { $0.host == "plex.home.arpa" })
        let explicit = Set(homelab.stacks.flatMap(\.services).filter { $0.protected != nil }.map(\.name))
        let byTier = after.filter { !explicit.contains($0.service) }
        #expect(!byTier.isEmpty && byTier.allSatisfy(\.isProtected))
    }
}
