import Foundation
import HomelabTestSupport
import Logging
import Testing

@testable import HomelabCore

/// What the runner does when the engine stops answering mid-rollout (issue 16, point 3): it retries until the step's
/// deadline and says so; past it the run pauses with the step not done, and a resume finishes the work.
@Suite("Rollout runner: an engine that stops answering")
struct RunnerEngineLossTests {
    let folder: TemporaryFolder
    let journal: RolloutJournal

    init() throws {
        folder = try TemporaryFolder()
        journal = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
    }

    func runner(_ swarm: FakeRolloutSwarm) -> RolloutRunner {
        RolloutRunner(swarm: swarm, journal: journal, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func request(timeout: Double) -> RolloutRequest {
        var request = RunnerTests.request(["db", "api", "web"], [("api", "db"), ("web", "api")])
        request.convergenceTimeoutSeconds = timeout
        return request
    }

    /// Collects a runner's events until its stream ends.
    static func events(_ runner: RolloutRunner) -> Task<[RolloutProgressEvent], Never> {
        Task {
            var seen: [RolloutProgressEvent] = []
            for await event in runner.events { seen.append(event) }
            return seen
        }
    }

    @Test(
        "errors that say the engine did not answer are waited out; refusals are not",
        arguments: [
            (HomelabError(.connectionFailed, "refused", component: "docker"), true),
            (HomelabError(.timedOut, "no answer", component: "docker"), true),
            (HomelabError(.httpStatus, "boom", component: "docker", status: 500), true),
            (HomelabError(.unavailable, "starting", component: "docker", status: 503), true),
            (HomelabError(.notSwarmManager, "stopping", component: "docker", status: 503), true),
            (HomelabError(.httpStatus, "bad spec", component: "docker", status: 400), false),
            (HomelabError(.notFound, "no such service", component: "docker", status: 404), false),
            (HomelabError(.unauthorized, "denied", component: "docker", status: 401), false),
        ])
    func classification(_ error: HomelabError, waitedOut: Bool) {
        #expect((RolloutRunner.engineUnreachable(error) != nil) == waitedOut, "\(error)")
    }

    @Test("an engine gone for a moment: the step retries, says it is waiting, and the run completes")
    func briefOutageIsRetried() async throws {
        let swarm = FakeRolloutSwarm(services: ["db", "api", "web"])
        await swarm.drop(next: 4)
        let runner = runner(swarm)
        let events = Self.events(runner)
        let result = try await runner.apply(Self.request(timeout: 20), runID: "brief")
        #expect(result.status == .completed)
        let seen = await events.value
        #expect(seen.contains { if case .engineUnreachable(_, _, true) = $0 { true } else { false } }, "\(seen)")
        #expect(!seen.contains { if case .engineUnreachable(_, _, false) = $0 { true } else { false } })
        #expect(!seen.contains { if case .failed = $0 { true } else { false } })
        #expect(try await journal.steps(runID: "brief").allSatisfy { $0.status == .succeeded })
        for service in ["db", "api", "web"] {
            #expect(await swarm.specs[service]?.taskTemplate?.containerSpec?.image == "\(service):2")
        }
    }

    @Test("an engine gone past the step's deadline: the run pauses saying so, the step is pending, resume finishes the work")
    func longOutagePausesThenResumes() async throws {
        let swarm = FakeRolloutSwarm(services: ["db", "api", "web"])
        await swarm.refuse("api", with: HomelabError(.connectionFailed, "connection refused", component: "docker"))
        let first = runner(swarm)
        let events = Self.events(first)
        let result = try await first.apply(Self.request(timeout: 1), runID: "long")
        #expect(result.status == .paused)
        #expect(result.outcome == .paused(failed: [], notStarted: ["api", "web"]))
        let seen = await events.value
        #expect(seen.contains { if case .engineUnreachable("api", _, false) = $0 { true } else { false } }, "\(seen)")
        let run = try #require(try await journal.run("long"))
        #expect(run.status == .paused && run.owner == nil)
        #expect(run.detail?.contains("the engine did not answer for api") == true, "\(run.detail ?? "")")
        let statuses = Dictionary(uniqueKeysWithValues: try await journal.steps(runID: "long").map { ($0.stepID, $0.status) })
        #expect(statuses == ["db": .succeeded, "api": .pending, "web": .pending])

        await swarm.refuse("api", with: nil)
        let resumed = try await runner(swarm).resume(runID: "long")
        #expect(resumed.status == .completed)
        #expect(await swarm.calls("modify").filter { $0 == "db" }.count == 1, "db was not redone")
        #expect(try await journal.steps(runID: "long").allSatisfy { $0.status == .succeeded })
        #expect(await swarm.specs["web"]?.taskTemplate?.containerSpec?.image == "web:2")
    }

    @Test("an engine refusing the change (HTTP 400) fails the step at once: no retry, no pause")
    func refusalFails() async throws {
        let swarm = FakeRolloutSwarm(services: ["db", "api", "web"])
        await swarm.refuse("api", with: HomelabError(.httpStatus, "invalid spec", component: "docker", status: 400))
        let result = try await runner(swarm).apply(Self.request(timeout: 20), runID: "refused")
        #expect(result.status == .failed)
        #expect(await swarm.calls("converge").contains("api") == false)
        #expect(await swarm.calls("modify").filter { $0 == "api" }.count <= 1)
        #expect(try await journal.steps(runID: "refused").first { $0.stepID == "api" }?.status == .failed)
    }
}
