import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension DockerSwarm {
    @Suite("a rollout process killed with SIGKILL, then resumed")
    struct KillAndResume {
        /// An inventory with one stack per tier, two services each, pointing at the test engine's socket.
        static func inventory(prefix: String, socket: String) -> String {
            let tiers = [("infrastructure", ["a", "b"]), ("platform", ["c", "d"]), ("application", ["e", "f"])]
            var yaml = """
                version: 1
                name: "kill-resume"
                nodes:
                  - name: "node1"
                    role: manager
                    platform: bare-metal
                    address: "127.0.0.1"
                tiers: ["infrastructure", "platform", "application"]
                stacks:

                """
            for (tier, services) in tiers {
                yaml += "  - name: \"\(prefix)\(tier.prefix(1))\"\n    tier: \"\(tier)\"\n    services:\n"
                for service in services {
                    yaml += "      - name: \"\(service)\"\n        image: \"\(DockerTestEngine.image1)\"\n"
                }
            }
            yaml += "components:\n  docker:\n    socket: \"\(socket)\"\n"
            return yaml
        }

        /// The scenario every test here starts from: six running services in three tiers (one stack per tier, named
        /// `<prefix><tier initial>`), an inventory for them in a temporary folder, and the environment that points
        /// the `homelab` binary at both (its state store goes in the folder). The services are removed afterwards.
        static func withSixServices(
            tag: String,
            _ body: (SwarmClient, String, String, [String], TemporaryFolder, [String: String]) async throws -> Void
        ) async throws {
            guard let client = try DockerTestEngine.client(), let socket = try DockerTestEngine.socketPath(),
                let binary = DockerTestEngine.homelabBinary()
            else { return }
            let prefix = tag + UUID().uuidString.prefix(6).lowercased()
            try await DockerScratch.with(client) { scratch in
                let services = ["i_a", "i_b", "p_c", "p_d", "a_e", "a_f"].map { prefix + $0 }
                for name in services {
                    _ = try await scratch.createService(
                        DockerTestEngine.serviceSpec(name: name, replicas: 1, container: DockerTestEngine.container()))
                }
                for name in services {
                    #expect(try await client.waitForConvergence(service: name, timeout: .seconds(120)) == .completed)
                }
                let folder = try TemporaryFolder()
                let config = folder.file("homelab.yaml")
                try inventory(prefix: prefix, socket: socket).write(toFile: config, atomically: true, encoding: .utf8)
                var environment = ProcessInfo.processInfo.environment
                environment["XDG_STATE_HOME"] = folder.path
                environment["HOMELAB_CONFIG"] = config
                try await body(client, binary, prefix, services, folder, environment)
            }
        }

        @Test("a second process on a run that a live process drives is refused, naming the owner; the run finishes")
        func secondProcessRefused() async throws {
            try await Self.withSixServices(tag: "hlo") { client, binary, prefix, services, folder, environment in
                let runID = "owned-\(prefix)"
                let bumps = ["a", "b", "c", "d", "e", "f"].flatMap { ["--image", "\($0)=\(DockerTestEngine.image2)"] }
                let apply = try ChildProcess(
                    binary, ["rollout", "apply", "--id", runID, "--budget", "1", "--timeout", "120"] + bumps,
                    environment: environment)
                defer { apply.stop(grace: .zero) }

                let journal = try StateStore(path: folder.path + "/homelab/state.sqlite").rolloutJournal
                let deadline = ContinuousClock.now + .seconds(120)
                var owner: String?
                while ContinuousClock.now < deadline, apply.isRunning, owner == nil {
                    owner = try? await journal.run(runID)?.owner
                    if owner == nil { try await Task.sleep(for: .milliseconds(50)) }
                }
                let driver = try #require(owner)
                #expect(driver.hasSuffix(":\(apply.pid)"))

                let second = try await ChildProcess.run(
                    binary, ["rollout", "resume", runID], environment: environment, timeout: .seconds(60))
                #expect(second.status != 0)
                #expect(second.output.contains(driver), "\(second.output)")
                let again = try await ChildProcess.run(
                    binary, ["rollout", "apply", "--id", runID, "--budget", "1"] + bumps, environment: environment,
                    timeout: .seconds(60))
                #expect(again.status != 0)
                #expect(again.output.contains(runID), "\(again.output)")

                let status = try await apply.wait(timeout: .seconds(300))
                #expect(status == 0)
                #expect(try await journal.run(runID)?.status == .completed)
                #expect(try await journal.run(runID)?.owner == nil)
            }
        }

        @Test("rollout apply --rollback-all killed while rolling back: resume finishes the rollback, each service rolled back once")
        func killedDuringRollbackAll() async throws {
            try await Self.withSixServices(tag: "hlr") { client, binary, prefix, services, folder, environment in
                let runID = "rba-\(prefix)"
                // Five good releases, and one the engine cannot start (no such image, nothing to pull from): its
                // update pauses, the step fails and is rolled back (--rollback), and --rollback-all rolls back the
                // services already updated, newest first.
                var bumps = ["a", "b", "c", "d", "e"].flatMap { ["--image", "\($0)=\(DockerTestEngine.image2)"] }
                bumps += ["--image", "f=homelab-test/busybox:missing"]
                let apply = try ChildProcess(
                    binary, ["rollout", "apply", "--id", runID, "--budget", "1", "--timeout", "60", "--rollback", "--rollback-all"] + bumps,
                    environment: environment)
                defer { apply.stop(grace: .zero) }

                let journal = try StateStore(path: folder.path + "/homelab/state.sqlite").rolloutJournal
                let deadline = ContinuousClock.now + .seconds(240)
                var killedDuring: [RolloutJournal.Step] = []
                while ContinuousClock.now < deadline, apply.isRunning {
                    let steps = (try? await journal.steps(runID: runID)) ?? []
                    if steps.contains(where: { $0.status == .rollingBack }),
                        steps.contains(where: { $0.status == .succeeded })
                    {
                        killedDuring = steps
                        break
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(apply.isRunning, "the rollout ended before it could be killed while rolling back")
                kill(apply.pid, SIGKILL)
                _ = try await apply.wait(timeout: .seconds(30))
                #expect(!killedDuring.isEmpty)

                let resume = try await ChildProcess.run(
                    binary, ["rollout", "resume", runID], environment: environment, timeout: .seconds(300))
                #expect(resume.status == 4, "\(resume.output)")  // rolled back
                #expect(try await journal.run(runID)?.status == .rolledBack)
                for name in services {
                    let image = try await client.services.inspect(name).spec?.taskTemplate?.containerSpec?.image
                    #expect(image == DockerTestEngine.image1, "\(name) runs \(image ?? "?") after the rollback")
                }
                // Each updated service was rolled back exactly once: a second rollback would have rolled the
                // rollback back (Swarm swaps the specs), leaving image2 live, and would journal rolling_back twice.
                let log = try await journal.transitions(runID: runID)
                let updated = Set(log.filter { $0.to == "succeeded" }.map(\.stepID))
                #expect(updated.count >= 2)
                for step in updated {
                    #expect(log.filter { $0.stepID == step && $0.to == "rolling_back" }.count == 1, "\(step)")
                }
            }
        }

        @Test("homelab rollout apply killed mid-rollout: resume finishes every service at its target without redoing finished steps")
        func killedAndResumed() async throws {
            try await Self.withSixServices(tag: "hlk") { client, binary, prefix, services, folder, environment in
                let runID = "kill-\(prefix)"
                let bumps = ["a", "b", "c", "d", "e", "f"].flatMap { ["--image", "\($0)=\(DockerTestEngine.image2)"] }

                let apply = try ChildProcess(
                    binary, ["rollout", "apply", "--id", runID, "--budget", "1", "--timeout", "120"] + bumps,
                    environment: environment)
                defer { apply.stop(grace: .zero) }

                // Kill it once two steps are done and the third has started (the journal is the state store it writes).
                let store = try StateStore(path: folder.path + "/homelab/state.sqlite")
                let journal = store.rolloutJournal
                var before: [RolloutJournal.Step] = []
                let deadline = ContinuousClock.now + .seconds(180)
                while ContinuousClock.now < deadline, apply.isRunning {
                    before = (try? await journal.steps(runID: runID)) ?? []
                    if before.filter({ $0.status == .succeeded }).count >= 2, before.contains(where: { $0.status == .running }) { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(apply.isRunning, "the rollout ended before it could be killed")
                kill(apply.pid, SIGKILL)
                _ = try await apply.wait(timeout: .seconds(30))
                let finishedBefore = Set(before.filter { $0.status == .succeeded }.map(\.stepID))
                #expect(finishedBefore.count >= 2)
                #expect(try await journal.run(runID)?.status == .running)

                let resume = try await ChildProcess.run(
                    binary, ["rollout", "resume", runID], environment: environment, timeout: .seconds(300))
                #expect(resume.status == 0, "\(resume.output)")
                #expect(try await journal.run(runID)?.status == .completed)
                for name in services {
                    let image = try await client.services.inspect(name).spec?.taskTemplate?.containerSpec?.image
                    #expect(image == DockerTestEngine.image2, "\(name) runs \(image ?? "?")")
                }
                // Steps finished before the kill were started once and never again.
                let log = try await journal.transitions(runID: runID)
                for step in finishedBefore {
                    #expect(log.filter { $0.stepID == step && $0.to == "running" }.count == 1, "\(step) was started again")
                    #expect(!resume.output.contains("started  \(step)"), "\(step) was started again")
                }
                // Every service of the run (there were six) is done, and the resumed run printed its finish.
                #expect(try await journal.steps(runID: runID).allSatisfy { $0.status == .succeeded })
                #expect(resume.output.contains("rollout \(runID): completed"))
            }
        }
    }
}
