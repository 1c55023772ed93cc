import Foundation
import HomelabCommands
import HomelabCore
import Testing

/// `homelab pxe ...` and `homelab provision bare-metal` against the simulated matchbox, on the CLI conventions.
@Suite("homelab pxe: output conventions and exit codes", .serialized)
struct PXECommandTests {
    @Test("groups and profiles list as tables, -q IDs and JSON rows; which explains the choice and agrees with matchbox")
    func listingsAndWhich() async throws {
        try await withCommandHarness { harness in
            let groups = await harness.run(["pxe", "groups", "-q"])
            #expect(groups.status == 0 && groups.output.split(separator: "\n") == ["lorcha-installed", "dhow", "lorcha"], "\(groups)")
            let profiles = await harness.run(["pxe", "profiles", "-o", "json"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(profiles.output.utf8)) as? [[String: Any]])
            #expect(rows.compactMap { $0["id"] as? String } == ["debian-bookworm-install", "debian-installed", "talos-v1.11.5"])
            let which = await harness.run(["pxe", "which", "lorcha"])
            #expect(which.status == 0, "\(which)")
            #expect(which.output.contains("lorcha (mac=52:54:00:a1:00:21) gets group lorcha -> profile debian-bookworm-install"))
            #expect(which.output.contains("/ipxe boots /assets/debian/bookworm/linux: agrees"))
            let installed = await harness.run(["pxe", "which", "52-54-00-A1-00-21", "--os", "installed", "-o", "json"])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(installed.output.utf8)) as? [String: Any])
            #expect(document["group"] as? String == "lorcha-installed")
            #expect((document["reason"] as? String)?.contains("more specific than lorcha") == true)
            let stranger = await harness.run(["pxe", "which", "52:54:00:00:00:99"])
            #expect(stranger.status == ExitStatus.degraded.rawValue && stranger.output.contains("gets no group"), "\(stranger)")
            let bad = await harness.run(["pxe", "which", "not-a-node"])
            #expect(bad.status == ExitStatus.usage.rawValue, "\(bad)")
        }
    }

    @Test("validate finds no problem in the simulated data directory; dnsmasq-config renders the pxe: block")
    func validateAndDnsmasq() async throws {
        try await withCommandHarness { harness in
            let validate = await harness.run(["pxe", "validate"])
            #expect(validate.status == 0 && validate.output.contains("no problems found"), "\(validate)")
            let config = await harness.run(["pxe", "dnsmasq-config"])
            #expect(config.status == 0 && config.output.contains("dhcp-range=10.0.0.0,proxy,255.255.255.0"), "\(config)")
            let dhcp = await harness.run(["pxe", "dnsmasq-config", "--mode", "dhcp"])
            #expect(dhcp.status == ExitStatus.error.rawValue, "the example's proxy block has no ranges: \(dhcp)")
        }
    }

    @Test("provision bare-metal: a dry run shows diffs and writes nothing; --apply writes; a conflict is refused with exit 2")
    func provision() async throws {
        try await withCommandHarness { harness in
            let dry = await harness.run(["provision", "bare-metal", "dhow", "-o", "json"])
            #expect(dry.status == 0, "\(dry)")
            let plan = try #require(try JSONSerialization.jsonObject(with: Data(dry.output.utf8)) as? [String: Any])
            #expect(plan["applied"] as? Bool == false && plan["valid"] as? Bool == true)
            #expect(await harness.run(["pxe", "which", "dhow", "--offline"]).output.contains("profile talos-v1.11.5"))
            let apply = await harness.run(["provision", "bare-metal", "dhow", "--apply"])
            #expect(apply.status == 0 && apply.output.contains("wrote"), "\(apply)")
            #expect(await harness.run(["pxe", "which", "dhow"]).output.contains("profile debian-bookworm-install"))
            let wrongNode = await harness.run(["provision", "bare-metal", "barbary"])
            #expect(wrongNode.status == ExitStatus.error.rawValue, "\(wrongNode)")
        }
    }
}
