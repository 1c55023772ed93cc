import ArgumentParser
import Foundation
import HomelabCommands
import HomelabCore
import HomelabSimulator
import Testing

/// `homelab check` against the simulated homelab (one deliberate finding of each kind): the JSON shape, rule
/// selection and the exit codes.
@Suite("homelab check: JSON shape, rule selection and exit codes", .serialized)
struct CheckCommandTests {
    @Test("the help lists every rule, in the rules' order")
    func helpListsEveryRule() throws {
        let discussion = CheckCommand.configuration.discussion
        let line = try #require(discussion.split(separator: "\n").first { $0.hasPrefix("Rules: ") })
        let rules = line.dropFirst("Rules: ".count).prefix { $0 != ";" }.components(separatedBy: ", ")
        #expect(rules == CheckRule.allCases.map(\.rawValue))
    }

    @Test("findings exit 5 with one object per rule and per finding; a clean selection exits 0; -q lists rule and service")
    func findingsAndClean() async throws {
        try await withCommandHarness { harness in
            let all = await harness.run(["check", "-o", "json"])
            #expect(all.status == ExitStatus.degraded.rawValue, "\(all)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(all.output.utf8)) as? [String: Any], "\(all)")
            #expect(document["clean"] as? Bool == false)
            let rules = try #require(document["rules"] as? [[String: Any]])
            #expect(rules.map { $0["rule"] as? String } == CheckRule.allCases.map(\.rawValue))
            #expect(rules.allSatisfy { $0["state"] as? String == "findings" && ($0["checked"] as? Int ?? 0) > 0 }, "\(rules)")
            let findings = try #require(document["findings"] as? [[String: Any]])
            let pairs = findings.map { "\($0["rule"] as? String ?? "?") \($0["service"] as? String ?? "?")" }
            #expect(
                pairs == [
                    "forward-auth maintainerr", "forward-auth tautulli", "backups komodo-mongo", "monitoring loki", "monitoring seerr",
                    "secrets cloudflared", "placement posterizarr",
                ], "\(pairs)")
            for finding in findings {
                for key in ["expected", "found", "hint"] { #expect((finding[key] as? String)?.isEmpty == false, "\(key) in \(finding)") }
            }

            let quiet = await harness.run(["check", "--rule", "secrets,placement", "-q"])
            #expect(quiet.status == ExitStatus.degraded.rawValue && quiet.output == "secrets cloudflared\nplacement posterizarr\n", "\(quiet)")

            let table = await harness.run(["check", "--rule", "placement", "-o", "wide"])
            #expect(table.output.contains("posterizarr") && table.output.contains("node.hostname == barbary") && table.output.contains("HINT"), "\(table)")

            // Fix the secrets finding in 1Password: that rule alone is now clean.
            _ = await harness.simulation.connectVaults?.store(value: "x-\(UUID().uuidString)", item: "cloudflared", field: "tunnel-token")
            let clean = await harness.run(["check", "--rule", "secrets", "-o", "json"])
            #expect(clean.status == ExitStatus.success.rawValue, "\(clean)")
            #expect((try JSONSerialization.jsonObject(with: Data(clean.output.utf8)) as? [String: Any])?["clean"] as? Bool == true)

            let bad = await harness.run(["check", "--rule", "nonsense"])
            #expect(bad.status == ExitStatus.usage.rawValue && bad.error.contains("forward-auth"), "\(bad)")
            let none = await harness.run(["check", "--rule", "backups", "--skip", "backups"])
            #expect(none.status == ExitStatus.usage.rawValue, "\(none)")
        }
    }

    @Test("a rule whose components do not answer is unknown, with the reason; when nothing could be checked, exit 1")
    func unreachable() async throws {
        try await withCommandHarness(faults: [.truenas: FaultPlan(resetRate: 1), .docker: FaultPlan(resetRate: 1)]) { harness in
            let backups = await harness.run(["check", "--rule", "backups", "--timeout", "5", "-o", "json"])
            #expect(backups.status == ExitStatus.error.rawValue, "nothing could be checked: \(backups)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(backups.output.utf8)) as? [String: Any], "\(backups)")
            let rule = try #require((document["rules"] as? [[String: Any]])?.first)
            #expect(rule["state"] as? String == "unknown" && (rule["reason"] as? String)?.isEmpty == false, "\(rule)")
        }
    }
}
