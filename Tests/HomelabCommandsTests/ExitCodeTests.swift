import Foundation
import HomelabCommands
import HomelabCore
import HomelabSimulator
import Testing

/// Each row of the exit-code table, produced by a real command against the simulator.
@Suite("homelab exit codes: one table for every command", .serialized)
struct ExitCodeTests {
    @Test("the table is the documented one")
    func table() {
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5, 64])
        let readme = (try? String(contentsOfFile: CommandHarness.repositoryRoot.appendingPathComponent("README.md").path, encoding: .utf8)) ?? ""
        for status in ExitStatus.allCases {
            #expect(readme.contains("| \(status.rawValue) |"), "README's exit-code table lacks \(status.rawValue)")
        }
    }

    @Test("0 success: a listing")
    func success() async throws {
        try await withCommandHarness { harness in
            let result = await harness.run(["swarm", "services"])
            #expect(result.status == 0, "\(result)")
        }
    }

    @Test("1 error: an inventory that does not exist, a service that does not exist, a component refusing us")
    func error() async throws {
        try await withCommandHarness(faults: [.docker: FaultPlan(rejectCredentials: true)]) { harness in
            let missing = await harness.run(["swarm", "services", "--config", "/nonexistent/homelab.yaml"], withConfig: false)
            #expect(missing.status == 1, "\(missing)")
            #expect(missing.error.contains("/nonexistent/homelab.yaml") && missing.error.contains("chosen by --config"), "\(missing)")
            let refused = await harness.run(["swarm", "services"])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.error.split(separator: "\n").count == 1, "one line: \(refused.error)")
            #expect(refused.error.contains("docker") && refused.error.contains("hint:"), "\(refused)")
            print("one-line error: \(refused.error)")
        }
        try await withCommandHarness { harness in
            let unknown = await harness.run(["swarm", "ps", "nosuch"])
            #expect(unknown.status == 1 && unknown.error.contains("no service nosuch"), "\(unknown)")
        }
    }

    @Test("2 paused or refused: an update that pauses on a broken image; a maintenance plan refused")
    func pausedOrRefused() async throws {
        try await withCommandHarness { harness in
            let paused = await harness.run(["swarm", "update", "caddy", "--image", "2.9-broken"])
            #expect(paused.status == 2, "\(paused)")
            #expect(paused.output.contains("paused"), "\(paused)")
            let refused = await harness.run(["node", "maintain", "nosuch", "--command", "true"])
            #expect(refused.status == 2, "\(refused)")
        }
    }

    @Test("3 failed: a rollout step fails; an update still converging at --timeout")
    func failed() async throws {
        try await withCommandHarness { harness in
            let rollout = await harness.run(["rollout", "apply", "--image", "grafana=12.1-broken"])
            #expect(rollout.status == 3, "\(rollout)")
        }
        // At real time an update takes seconds (task start-up, then the monitor window), so a 0.2 s
        // --timeout always ends first; at the fast time scale the update could beat a short timeout.
        try await withCommandHarness(timeScale: 1) { harness in
            let slow = await harness.run(["swarm", "update", "grafana", "--image", "12.2.0", "--timeout", "0.2"])
            #expect(slow.status == 3, "\(slow)")
            #expect(slow.output.contains("timed out"), "\(slow)")
        }
    }

    @Test("4 rolled back: an update whose failure action is rollback")
    func rolledBack() async throws {
        try await withCommandHarness { harness in
            let swarm = try harness.swarm()
            _ = try await swarm.services.modify("ingress_caddy") { spec in
                var update = spec.updateConfig ?? Swarm.UpdateConfig()
                update.failureAction = .rollback
                spec.updateConfig = update
            }
            _ = try await swarm.waitForConvergence(service: "ingress_caddy", deadline: .now + .seconds(60))
            let result = await harness.run(["swarm", "update", "caddy", "--image", "2.9-broken", "-o", "json"])
            #expect(result.status == 4, "\(result)")
            let outcome = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
            #expect(outcome?["outcome"] as? String == "rolled_back", "\(result)")
        }
    }

    @Test("5 degraded: status with a component whose credentials are rejected")
    func degraded() async throws {
        try await withCommandHarness(faults: [.docker: FaultPlan(rejectCredentials: true)], canaryComponent: true) { harness in
            let result = await harness.run(["status", "--deadline", "5"])
            #expect(result.status == 5, "\(result)")
            let quiet = await harness.run(["status", "-q"])
            #expect(quiet.output.split(separator: "\n").starts(with: ["docker", "forgejo"]), "\(quiet)")
            #expect(!(result.output + result.error + quiet.output).contains(CommandHarness.canary))
        }
    }

    @Test("64 usage: bad arguments", arguments: [
        ["swarm", "scale", "caddy"], ["swarm", "services", "-o", "xml"], ["status", "--deadline", "0"], ["nosuch"],
        ["swarm", "logs", "caddy", "--since", "yesterday"],
    ])
    func usage(arguments: [String]) async throws {
        let (terminal, captured) = Terminal.capturing(environment: [:])
        let status = await Terminal.$current.withValue(terminal) { await HomelabCommand.run(arguments: arguments) }
        #expect(status == 64, "\(arguments): \(captured.error)")
    }
}
