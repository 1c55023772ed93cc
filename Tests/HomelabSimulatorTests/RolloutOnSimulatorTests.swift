import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Logging
import Testing

/// The rollout runner driving the whole simulated example homelab (issue 5: "On the simulator: the whole
/// example homelab rolled with one broken image").
@Suite("A rollout of the whole example homelab on the simulator")
struct RolloutOnSimulatorTests {
    static func base(_ image: String) -> String {
        let slash = image.lastIndex(of: "/") ?? image.startIndex
        if let colon = image[slash...].lastIndex(of: ":") { return String(image[..<colon]) }
        return image
    }

    @Test("every service gets a new image; the broken one is rolled back, what depends on it is left untouched, the rest is updated")
    func wholeHomelabWithOneBrokenImage() async throws {
        try await withSimulation(timeScale: 0.005) { sim in
            let homelab = sim.simulation.homelab
            let swarm = SwarmClient(
                transport: sim.transport, endpoint: .unixSocket(sim.simulation.endpoints.dockerSocket, host: "docker"))
            let broken = "authentik_authentik-server"

            var original: [String: String] = [:]
            var changes: [String: RolloutChange] = [:]
            for service in homelab.services {
                let name = RolloutRequest.swarmName(service)
                let image = try await swarm.services.inspect(name).spec?.taskTemplate?.containerSpec?.image ?? ""
                original[name] = image
                changes[name] = .image(Self.base(image) + (name == broken ? ":broken" : ":next"))
            }
            let request = RolloutRequest(homelab: homelab, changes: changes, budget: 4, rollbackFailed: true)

            // What must happen, from the request's own graph: the broken step's descendants never start.
            let graph = try request.graph()
            var descendants: Set<String> = []
            var stack = graph.successors[try #require(graph.index(of: broken))]
            while let next = stack.popLast() {
                if descendants.insert(graph.steps[next].id).inserted { stack.append(contentsOf: graph.successors[next]) }
            }
            #expect(!descendants.isEmpty && descendants.count < homelab.services.count - 1)

            let folder = try TemporaryFolder()
            let store = try StateStore(path: folder.file("state.sqlite"))
            let runner = RolloutRunner(
                swarm: swarm, journal: store.rolloutJournal,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let result = try await runner.apply(request)

            #expect(result.status != .completed)
            #expect(result.rolledBack == [broken])
            let steps = Dictionary(uniqueKeysWithValues: try await store.rolloutJournal.steps(runID: result.runID).map { ($0.stepID, $0) })
            #expect(steps.count == homelab.services.count)
            for service in homelab.services {
                let name = RolloutRequest.swarmName(service)
                let live = try await swarm.services.inspect(name).spec?.taskTemplate?.containerSpec?.image
                let status = steps[name]?.status
                if name == broken {
                    #expect(status == .rolledBack, "\(name)")
                    #expect(live == original[name], "\(name) is back on its previous image")
                } else if descendants.contains(name) {
                    #expect(status == .blocked, "\(name) depends on the broken service")
                    #expect(live == original[name], "\(name) was never touched")
                } else {
                    #expect(status == .succeeded, "\(name)")
                    #expect(live == Self.base(original[name] ?? "") + ":next", "\(name)")
                }
            }
        }
    }
}
