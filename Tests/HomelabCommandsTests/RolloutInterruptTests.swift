import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C (SIGINT) sent to the built `homelab rollout apply` while it drives a rollout on the simulated homelab.
@Suite("homelab rollout apply interrupted with Ctrl-C", .serialized)
struct RolloutInterruptTests {
    static let bumps = ["grafana=12.1.1", "forgejo=12.0.1", "woodpecker-server=v3.1"].flatMap { ["--image", $0] }

    /// Starts `homelab rollout apply` (budget 1, so one step runs at a time) with `extra` arguments, waits until a
    /// step is running, sends SIGINT, and hands over the exit status, the output and the step running at the signal.
    static func interrupted(
        _ extra: [String], _ body: (_ status: Int32, _ output: String, _ running: String, _ runID: String,
            _ journal: RolloutJournal, _ environment: [String: String], _ config: String) async throws -> Void
    ) async throws {
        guard try SimulatedHomelabProcess.requireBinaries() else { return }
        // Time at half speed: a service update takes a few seconds (its 5 s monitor window), long enough to interrupt.
        try await SimulatedHomelabProcess.with(timeScale: 0.5) { config, folder in
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_STATE_HOME"] = folder
            environment["HOMELAB_PROGRESS"] = "plain"
            let runID = "interrupt-\(UUID().uuidString.prefix(6).lowercased())"
            let log = folder + "/apply.log"
            let arguments = ["rollout", "apply", "--config", config, "--id", runID, "--budget", "1"] + bumps + extra
            let apply = try ChildProcess(
                "/bin/sh", ["-c", "exec \"$0\" \"$@\" > '\(log)' 2>&1", SimulatedHomelabProcess.homelab] + arguments,
                environment: environment)
            defer { apply.stop(grace: .zero) }

            let journal = try StateStore(path: folder + "/homelab/state.sqlite").rolloutJournal
            var running: String?
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, apply.isRunning, running == nil {
                running = (try? await journal.steps(runID: runID))?.first { $0.status == .running }?.stepID
                if running == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            let step = try #require(running, "no step ran: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            kill(apply.pid, SIGINT)
            let status = try await apply.wait(timeout: .seconds(120))
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            try await body(status, output, step, runID, journal, environment, config)
        }
    }

    @Test("by default the running step finishes, no other starts, the run is journaled paused and resumes to completion")
    func finishRunning() async throws {
        try await Self.interrupted([]) { status, output, running, runID, journal, environment, config in
            #expect(status == 2, "\(output)")  // paused
            let run = try #require(try await journal.run(runID))
            #expect(run.status == .paused)
            #expect(run.detail?.contains("interrupted") == true, "\(run.detail ?? "")")
            #expect(run.owner == nil)
            let steps = try await journal.steps(runID: runID)
            #expect(steps.first { $0.stepID == running }?.status == .succeeded, "\(steps)")
            #expect(steps.filter { $0.stepID != running }.allSatisfy { $0.status == .pending }, "\(steps)")
            #expect(output.contains("interrupt: no new step starts"), "\(output)")
            #expect(output.contains("homelab rollout resume \(runID)"), "\(output)")

            let resume = try await ChildProcess.run(
                SimulatedHomelabProcess.homelab, ["rollout", "resume", runID, "--config", config], environment: environment,
                timeout: .seconds(120))
            #expect(resume.status == 0, "\(resume.output)")
            #expect(try await journal.run(runID)?.status == .completed)
            #expect(try await journal.steps(runID: runID).allSatisfy { $0.status == .succeeded })
            #expect(!resume.output.contains("started  \(running)"), "\(running) was started again")
        }
    }

    @Test("--on-interrupt pause leaves the running step to Swarm at once; resume re-inspects it and completes")
    func pauseRunning() async throws {
        try await Self.interrupted(["--on-interrupt", "pause"]) { status, output, running, runID, journal, environment, config in
            #expect(status == 2, "\(output)")
            let run = try #require(try await journal.run(runID))
            #expect(run.status == .paused)
            #expect(run.detail?.contains("interrupted (pause") == true, "\(run.detail ?? "")")
            let steps = try await journal.steps(runID: runID)
            #expect(steps.first { $0.stepID == running }?.status == .running, "\(steps)")
            #expect(output.contains("left running in Swarm (a resume re-inspects them): \(running)"), "\(output)")
            #expect(output.contains("homelab rollout resume \(runID)"), "\(output)")

            let resume = try await ChildProcess.run(
                SimulatedHomelabProcess.homelab, ["rollout", "resume", runID, "--config", config], environment: environment,
                timeout: .seconds(120))
            #expect(resume.status == 0, "\(resume.output)")
            #expect(try await journal.run(runID)?.status == .completed)
            #expect(try await journal.steps(runID: runID).allSatisfy { $0.status == .succeeded })
        }
    }
}
