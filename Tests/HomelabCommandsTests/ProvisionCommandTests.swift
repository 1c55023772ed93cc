import Foundation
import HomelabCommands
import HomelabCore
import Testing

/// `homelab provision NODE` on the CLI conventions against the simulated homelab: the dry run's plan, refusals,
/// and a run that fails at SSH (no sshd answers for the simulated nodes) journaled so that the next run resumes.
@Suite("homelab provision NODE: plan, exit codes, journal", .serialized)
struct ProvisionCommandTests {
    @Test("--dry-run shows every step (table and JSON) and changes nothing; provision node NODE is the same command")
    func dryRun() async throws {
        try await withCommandHarness { harness in
            let json = await harness.run(["provision", "dhow", "--dry-run", "-o", "json"])
            #expect(json.status == 0, "\(json)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let steps = try #require(document["steps"] as? [[String: Any]])
            #expect(steps.compactMap { $0["step"] as? String } == [
                "machine", "ssh", "setup:packages", "setup:docker-engine", "setup:sshd-hardening", "join", "labels", "deploy",
            ])
            #expect(steps.allSatisfy { $0["outcome"] as? String == "planned" } && document["result"] as? String == "planned")
            #expect((steps[2]["check"] as? String)?.hasPrefix("dpkg -s") == true)
            let table = await harness.run(["provision", "node", "dhow", "--dry-run"])
            #expect(table.status == 0 && table.output.contains("plan for dhow (bare-metal); nothing changed:"), "\(table)")
            #expect(table.output.contains("PXE: matchbox group for 52:54:00:a1:00:22"))
            #expect(await harness.run(["pxe", "which", "dhow", "--offline"]).output.contains("profile talos-v1.11.5"), "nothing written")
        }
    }

    @Test("an unknown node, --resume with nothing to resume and --resume with --fresh are usage errors")
    func refusals() async throws {
        try await withCommandHarness { harness in
            let unknown = await harness.run(["provision", "junk"])
            #expect(unknown.status == ExitStatus.usage.rawValue && unknown.error.contains("no node 'junk'"), "\(unknown)")
            let resume = await harness.run(["provision", "dhow", "--resume"])
            #expect(resume.status == ExitStatus.usage.rawValue && resume.error.contains("nothing to resume"), "\(resume)")
            let both = await harness.run(["provision", "dhow", "--resume", "--fresh"])
            #expect(both.status == ExitStatus.usage.rawValue, "\(both)")
        }
    }

    @Test("a step that fails on an error exits 1 after its line; the journal keeps what was done, --fresh forgets it")
    func failedStepIsJournaled() async throws {
        try await withCommandHarness { harness in
            // barbary (TrueNAS: no machine step) is at a simulated 127.10.0.x address where no sshd answers with a
            // known key: the ssh step fails.
            let run = await harness.run(["provision", "barbary", "--ssh-timeout", "1"])
            #expect(run.status == ExitStatus.error.rawValue, "\(run)")
            #expect(run.output.contains("machine                skipped  no machine to create for a truenas node"), "\(run)")
            #expect(run.output.contains("ssh                    failed"), "\(run)")
            let json = await harness.run(["provision", "barbary", "--dry-run", "-o", "json"])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let steps = try #require(document["steps"] as? [[String: Any]])
            #expect(steps.prefix(2).compactMap { $0["outcome"] as? String } == ["done", "planned"], "\(json)")
            let resume = await harness.run(["provision", "barbary", "--resume", "--ssh-timeout", "1"])
            #expect(resume.status == ExitStatus.error.rawValue && resume.output.contains("machine                skipped  done in an earlier run"), "\(resume)")
            let fresh = await harness.run(["provision", "barbary", "--fresh", "--dry-run"])
            #expect(fresh.status == 0 && !fresh.output.contains(" done "), "\(fresh)")
        }
    }
}
