import Foundation
import HomelabCore
import HomelabSimulator
import Testing

/// `DriftDetector` against the simulated homelab: the stack files of the simulated Forgejo (read at the branch
/// Komodo deploys) convert to what the simulated swarm runs, except for the one deliberate drift: Grafana's
/// `GF_LOG_LEVEL`, set by the monitoring stack's newest commit, which Komodo has not deployed.
@Suite("Drift: the simulated homelab's stack files against its swarm")
struct DriftDetectorTests {
    static func detector(_ sim: SimulatorHarness) -> (DriftDetector, HomelabConnections) {
        let connections = HomelabConnections(
            homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        return (DriftDetector(connections: connections), connections)
    }

    @Test("the deliberate drift is found and nothing else: Grafana's variable, plus Komodo's two pending sync changes")
    func deliberateDrift() async throws {
        try await withSimulation { sim in
            let (detector, connections) = Self.detector(sim)
            let drift = try await detector.drift()
            await connections.close()
            let homelab = sim.simulation.homelab
            #expect(drift.stacks.map(\.name) == homelab.stacks.map(\.name))
            #expect(drift.stacks.allSatisfy { $0.ref == "main" && $0.repository == "homelab/stacks" && $0.commit?.count == 40 })
            #expect(drift.stacks.first { $0.name == "monitoring" }?.file == "stacks/monitoring/compose.yaml")
            #expect(drift.services.map(\.name) == ["monitoring_grafana"], "\(drift.services)")
            let grafana = try #require(drift.services.first)
            #expect(grafana.kind == .drifted)
            #expect(grafana.fields.map(\.description) == ["TaskTemplate.ContainerSpec.Env[+]: GF_LOG_LEVEL=warn"])
            #expect(drift.inSync.count == homelab.services.count - 1)
            #expect(
                drift.pending.map { "\($0.action) \($0.kind) \($0.name)" }.sorted() == ["create Procedure nightly-pull", "update Stack media-core"],
                "\(drift.pending)")
            #expect(drift.isDrifted)
        }
    }

    @Test("once the live service matches git, the stack is in sync; a removed service is missing")
    func inSyncThenMissing() async throws {
        try await withSimulation { sim in
            let (detector, connections) = Self.detector(sim)
            let swarm = try await connections.swarm()
            _ = try await swarm.services.modify("monitoring_grafana") { spec in
                let env = spec.taskTemplate?.containerSpec?.env ?? []
                spec.taskTemplate?.containerSpec?.env = env + ["GF_LOG_LEVEL=warn"]
            }
            let synced = try await detector.drift(stacks: ["monitoring"])
            #expect(!synced.isDrifted, "\(synced.services) \(synced.pending)")
            #expect(synced.stacks.map(\.name) == ["monitoring"] && synced.inSync.contains("monitoring_grafana"))

            try await swarm.services.remove("monitoring_loki")
            let missing = try await detector.drift(stacks: ["monitoring"])
            await connections.close()
            #expect(missing.services.map { "\($0.name) \($0.kind.rawValue)" } == ["monitoring_loki missing"])
        }
    }

    @Test("the stack file is read at the ref: the import commit has no drift for Grafana, the branch has")
    func readsAtRef() async throws {
        try await withSimulation { sim in
            let (_, connections) = Self.detector(sim)
            let forgejo = try await connections.forgejo()
            let history = StacksRepositoryHistory(homelab: sim.simulation.homelab)
            let imported = try #require(history.commits.first?.sha)
            let path = StacksRepositoryHistory.path(for: "monitoring")
            let old = try await forgejo.contents.file(path, in: StacksPaths.repository, ref: imported)
            let head = try await forgejo.contents.file(path, in: StacksPaths.repository, ref: "main")
            await connections.close()
            #expect(old.text?.contains("GF_LOG_LEVEL") == false && head.text?.contains("GF_LOG_LEVEL") == true)
            #expect(old.lastCommitSHA == imported && head.lastCommitSHA != imported && old.type == "file")
        }
    }

    @Test("an unknown stack, or Forgejo refusing, fails the comparison")
    func cannotCompare() async throws {
        try await withSimulation { sim in
            let (detector, connections) = Self.detector(sim)
            await #expect(throws: HomelabError.self) { try await detector.drift(stacks: ["no-such-stack"]) }
            sim.simulation.faults.set(FaultPlan(rejectCredentials: true), for: .forgejo)
            await #expect(throws: HomelabError.self) { try await detector.drift(stacks: ["monitoring"]) }
            await connections.close()
        }
    }
}
