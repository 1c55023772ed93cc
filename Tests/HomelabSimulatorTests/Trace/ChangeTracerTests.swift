import Foundation
import HomelabCore
import HomelabSimulator
import Testing

/// `ChangeTracer` against the simulated homelab: Forgejo, Woodpecker and Komodo share the stack repository's
/// history, so a commit links to its pipeline, its deploy and the running service.
@Suite("Change trace: commit, pipeline, deploy, running service")
struct ChangeTracerTests {
    static func tracer(_ sim: SimulatorHarness, timeout: Duration = .seconds(30)) -> (ChangeTracer, HomelabConnections) {
        let connections = HomelabConnections(
            homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        return (ChangeTracer(connections: connections, timeout: timeout), connections)
    }

    @Test("every link present: the stack file's last commit, its passing pipeline, the deploy carrying it, the service")
    func allLinks() async throws {
        try await withSimulation { sim in
            let (tracer, connections) = Self.tracer(sim)
            let trace = try await tracer.trace("plex")
            let byFullName = try await tracer.trace("media-core_plex")
            await connections.close()
            #expect(trace.service == "media-core_plex" && trace.file == "stacks/media-core/compose.yaml" && trace.ref == "main")
            let commit = try #require(trace.commit.detail, "\(trace)")
            #expect(commit.title == "media-core: update images")
            #expect(trace.pipeline.state == .ok && trace.pipeline.detail?.status == "success", "\(trace.pipeline)")
            #expect(trace.deploy.state == .ok, "\(trace.deploy)")
            #expect(trace.deploy.detail.flatMap(\.commit).map { commit.sha.hasPrefix($0) } == true)
            let started = try #require(trace.deploy.detail?.started)
            #expect(started > (commit.date ?? .distantFuture) && started > (trace.pipeline.detail?.finished ?? .distantFuture))
            #expect(trace.running.state == .ok && trace.running.detail?.image == "plexinc/pms-docker:latest", "\(trace.running)")
            #expect(trace.running.detail?.expectedImage == "plexinc/pms-docker:latest")
            #expect((trace.running.detail?.updatedAt ?? .distantPast) > started)
            #expect(trace.verdict == .deployed, "\(trace.reason)")
            #expect(byFullName.verdict == .deployed, "\(byFullName.reason)")
        }
    }

    @Test("the commit's pipeline failed: CI failed, even though Komodo deployed it")
    func pipelineFailed() async throws {
        try await withSimulation { sim in
            let (tracer, connections) = Self.tracer(sim)
            let stack = sim.simulation.homelab.stacks[StacksRepositoryHistory.failedCheckIndex - 1]
            let trace = try await tracer.trace(stack.services[0].swarmName)
            await connections.close()
            #expect(trace.pipeline.state == .failed && trace.pipeline.detail?.status == "failure", "\(trace.pipeline)")
            #expect(trace.verdict == .ciFailed)
            #expect(trace.reason.contains("failed for \(trace.commit.detail.map { String($0.sha.prefix(7)) } ?? "?")"), "\(trace.reason)")
        }
    }

    @Test("Komodo deployed an older commit: pending deploy naming what is deployed; deployed once Komodo deploys it")
    func olderCommitDeployed() async throws {
        try await withSimulation { sim in
            let (tracer, connections) = Self.tracer(sim)
            let trace = try await tracer.trace("prometheus")
            #expect(trace.deploy.state == .missing, "\(trace.deploy)")
            let stacks = try await connections.komodo().stacks.list()
            let deployed = try #require(stacks.first { $0.name == "monitoring" }?.info.deployedHash)
            #expect(trace.deploy.note?.contains("has not deployed") == true && trace.deploy.note?.contains(deployed) == true, "\(trace.deploy)")
            #expect(trace.verdict == .pendingDeploy)
            var komodo = try await connections.komodo()
            komodo.pollSchedule = .every(.milliseconds(50))
            let update = try await komodo.waitForUpdate(try await komodo.stacks.deployIfChanged("monitoring"), timeout: .seconds(60))
            #expect(update.success)
            let after = try await tracer.trace("prometheus")
            await connections.close()
            #expect(after.deploy.state == .ok && after.deploy.detail?.update == update.id, "\(after.deploy)")
            #expect(after.verdict == .deployed, "\(after.reason)")
        }
    }

    @Test("Komodo's deploy after the commit failed: deploy failed, with the failing stage's error")
    func deployFailed() async throws {
        try await withSimulation { sim in
            let (tracer, connections) = Self.tracer(sim)
            let trace = try await tracer.trace("kometa")
            await connections.close()
            #expect(trace.deploy.state == .failed && trace.deploy.detail?.success == false, "\(trace.deploy)")
            #expect(trace.verdict == .deployFailed)
            #expect(trace.reason.contains("Missing compose files"), "\(trace.reason)")
        }
    }

    @Test("the service runs another image than the stack file says: not running what git says")
    func otherImage() async throws {
        try await withSimulation { sim in
            let (tracer, connections) = Self.tracer(sim)
            try await connections.swarm().services.modify("media-core_jellyfin") { spec in
                spec.taskTemplate?.containerSpec?.image = "jellyfin/jellyfin:10.9.0"
            }
            let trace = try await tracer.trace("jellyfin")
            await connections.close()
            #expect(trace.running.state == .failed, "\(trace.running)")
            #expect(trace.verdict == .notRunning)
            #expect(trace.reason.contains("jellyfin/jellyfin:10.9.0") && trace.reason.contains("jellyfin/jellyfin:10.10.7"), "\(trace.reason)")
        }
    }

    @Test("a component that does not answer or fails: its link unknown, the others still traced, no throw")
    func unreachable() async throws {
        try await withSimulation(faults: [.woodpecker: FaultPlan(hangRate: 1), .komodo: FaultPlan(errorRate: 1, errorStatuses: [500])]) { sim in
            let (tracer, connections) = Self.tracer(sim, timeout: .seconds(3))
            let trace = try await tracer.trace("plex")
            await connections.close()
            #expect(trace.commit.state == .ok, "\(trace.commit)")
            #expect(trace.pipeline.state == .unknown && trace.pipeline.note?.contains("took more than") == true, "\(trace.pipeline)")
            #expect(trace.deploy.state == .unknown, "\(trace.deploy)")
            #expect(trace.running.state == .ok, "\(trace.running)")
            #expect(trace.verdict == .unknown)
        }
    }

    @Test("a service neither the inventory nor the swarm knows is an error, not a trace")
    func unknownService() async throws {
        try await withSimulation { sim in
            let (tracer, connections) = Self.tracer(sim)
            let error = await #expect(throws: HomelabError.self) { _ = try await tracer.trace("no-such-service") }
            await connections.close()
            #expect(error?.code == .notFound)
        }
    }
}
