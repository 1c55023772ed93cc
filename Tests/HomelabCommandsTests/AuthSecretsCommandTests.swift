import Foundation
import HomelabCommands
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

@Suite("homelab auth and homelab secrets on the simulated homelab", .serialized)
struct AuthSecretsCommandTests {

    /// The rows of a JSON listing.
    func rows(_ result: CommandResult) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]], "\(result)")
    }

    @Test("auth apps|providers|outposts|users|groups|events list as JSON rows; -q prints identifiers")
    func authListings() async throws {
        try await withCommandHarness { harness in
            let apps = try rows(await harness.run(["auth", "apps", "-o", "json"]))
            #expect(apps.count == 14)
            #expect(apps.contains { $0["slug"] as? String == "grafana" && $0["provider"] as? String == "grafana forward auth" })
            let providers = try rows(await harness.run(["auth", "providers", "-o", "json"]))
            let maintainerr = try #require(providers.first { $0["application"] as? String == "maintainerr" })
            #expect((maintainerr["outposts"] as? [String]) == [] && maintainerr["mode"] as? String == "forward_single")
            let outposts = try rows(await harness.run(["auth", "outposts", "-o", "json"]))
            #expect(outposts.count == 1 && outposts[0]["healthy"] as? Bool == true && outposts[0]["embedded"] as? Bool == true)
            let users = await harness.run(["auth", "users", "--inactive", "-q"])
            #expect(users.status == 0 && users.output == "carol\n")
            let groups = try rows(await harness.run(["auth", "groups", "-o", "json"]))
            #expect(groups.contains { $0["name"] as? String == "media-users" && ($0["members"] as? [String]) == ["alice", "bob", "carol"] })
            let events = try rows(await harness.run(["auth", "events", "--action", "login_failed", "-o", "json"]))
            #expect(events.count == 2 && events.allSatisfy { $0["action"] as? String == "login_failed" })
            let table = await harness.run(["auth", "outposts"])
            #expect(table.status == 0 && table.output.contains("authentik Embedded Outpost") && table.output.contains("healthy"))
        }
    }

    @Test("auth check reads the routes from Caddy, reports maintainerr and old-wiki and exits 5; given routes override; no Caddy says how to give them")
    func authCheck() async throws {
        try await withCommandHarness { harness in
            let result = await harness.run(["auth", "check", "-o", "json"])
            #expect(result.status == 5, "\(result)")
            let findings = try rows(result)
            #expect(findings.map { $0["kind"] as? String } == ["no-outpost", "unrouted-host"])
            #expect(findings.map { $0["host"] as? String } == ["maintainerr.home.arpa", "wiki.home.arpa"])

            // Routes given on the command line replace Caddy's: with wiki routed, only maintainerr is left.
            let routes = SimulatedRoute.routes(of: harness.simulation.homelab)
            #expect(routes.count == 20 && routes.contains { $0.host == "grafana.home.arpa" && $0.isProtected })
            let given = routes.flatMap { [$0.isProtected ? "--protected" : "--public", $0.host] } + ["--public", "wiki.home.arpa"]
            let overridden = try rows(await harness.run(["auth", "check", "-o", "json"] + given))
            #expect(overridden.map { $0["host"] as? String } == ["maintainerr.home.arpa"])

            // A Caddy that does not answer is an error naming it, not an empty check.
            harness.simulation.faults.set(FaultPlan(resetRate: 1), for: .caddy)
            let down = await harness.run(["auth", "check"])
            #expect(down.status == 1 && down.error.contains("caddy"), "\(down)")
            harness.simulation.faults.set(FaultPlan(), for: .caddy)

            var homelab = try InventoryLoader.load(path: harness.config)
            homelab.components[.caddy] = nil
            let noCaddy = harness.folder.file("no-caddy.yaml")
            try InventoryWriter.write(homelab, to: noCaddy)
            let none = await harness.run(["auth", "check", "--config", noCaddy], withConfig: false)
            #expect(none.status == 1 && none.error.contains("--protected") && none.error.contains("no caddy"), "\(none)")
        }
    }

    @Test("secrets vaults|items|get: summaries and references, a value only with --reveal")
    func secrets() async throws {
        try await withCommandHarness { harness in
            let vaults = await harness.run(["secrets", "vaults", "-q"])
            #expect(vaults.output == "homelab\nmedia\n")
            let items = try rows(await harness.run(["secrets", "items", "--vault", "media", "-o", "json"]))
            #expect(items.map { $0["title"] as? String } == ["plex", "sonarr", "radarr"])
            let connect = try #require(harness.simulation.connectVaults)
            _ = await connect.store(value: "the-komodo-value-123", item: "komodo", field: "api-key")
            let hidden = await harness.run(["secrets", "get", "op://homelab/komodo/api-key"])
            #expect(hidden.status == 0 && hidden.output.contains("resolved (20 characters)") && !hidden.output.contains("the-komodo-value-123"))
            let json = await harness.run(["secrets", "get", "op://homelab/komodo/api-key", "-o", "json"])
            #expect(!json.output.contains("the-komodo-value-123") && json.output.contains("\"length\" : 20"))
            let revealed = await harness.run(["secrets", "get", "op://homelab/komodo/api-key", "--reveal"])
            #expect(revealed.status == 0 && revealed.output == "the-komodo-value-123\n", "\(revealed)")
            let missing = await harness.run(["secrets", "get", "op://homelab/komodo/nope"])
            #expect(missing.status == 1 && missing.error.contains("no field or file 'nope'"))
        }
    }

    @Test("secrets inject renders a template into a 0600 file; a failing reference writes nothing and reveals no value")
    func inject() async throws {
        try await withCommandHarness { harness in
            let connect = try #require(harness.simulation.connectVaults)
            _ = await connect.store(value: CommandHarness.canary, item: "grafana", field: "service-account-token")
            let template = harness.folder.file("grafana.env.tpl")
            try Data("GF_TOKEN={{ op://homelab/grafana/service-account-token }}\nURL=op://homelab/postgres/host\nKEEP={{HOMEPAGE_VAR_X}} $HOME\n".utf8)
                .write(to: URL(fileURLWithPath: template))
            let output = harness.folder.file("grafana.env")
            let result = await harness.run(["secrets", "inject", "--in-file", template, "--out-file", output])
            #expect(result.status == 0, "\(result)")
            let written = try String(contentsOfFile: output, encoding: .utf8)
            #expect(written == "GF_TOKEN=\(CommandHarness.canary)\nURL=postgres.home.arpa\nKEEP={{HOMEPAGE_VAR_X}} $HOME\n")
            let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            #expect(!result.output.contains(CommandHarness.canary) && !result.error.contains(CommandHarness.canary))

            let broken = harness.folder.file("broken.tpl")
            try Data("A={{ op://homelab/grafana/service-account-token }}\nB={{ op://homelab/nothing/here }}\n".utf8).write(to: URL(fileURLWithPath: broken))
            let target = harness.folder.file("broken.env")
            let failed = await harness.run(["secrets", "inject", "-i", broken, "-o", target])
            #expect(failed.status == 1)
            #expect(failed.error.contains("op://homelab/nothing/here") && !failed.error.contains(CommandHarness.canary), "\(failed)")
            #expect(!FileManager.default.fileExists(atPath: target))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: harness.folder.path).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty)
        }
    }
}
