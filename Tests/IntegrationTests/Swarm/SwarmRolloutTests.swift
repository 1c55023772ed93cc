import Foundation
import HomelabCore
import HomelabTestSupport
import Logging
import Testing

extension DockerSwarm {
    @Suite("rollouts against the real dockerd")
    struct Rollouts {
        @Test("6 services in 3 tiers: the failing health check is rolled back, everything downstream waits, the rest updates")
        func tieredRolloutWithFailure() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            try await DockerScratch.with(client) { scratch in
                // infrastructure: a, b; platform: c (after a), d (fails); application: e (after c), f (after d).
                let tiers = [["a", "b"], ["c", "d"], ["e", "f"]]
                var names: [String: String] = [:]
                for letter in tiers.joined() {
                    let name = DockerTestEngine.uniqueName("tier-\(letter)")
                    names[letter] = name
                    _ = try await scratch.createService(
                        DockerTestEngine.serviceSpec(name: name, replicas: 1, container: DockerTestEngine.container()))
                }
                for name in names.values {
                    #expect(try await client.waitForConvergence(service: name, timeout: .seconds(120)) == .completed)
                }
                func n(_ letter: String) -> String { names[letter] ?? letter }

                var dependencies: [RolloutRequest.Dependency] = [
                    .init(service: n("c"), dependsOn: n("a")), .init(service: n("e"), dependsOn: n("c")),
                    .init(service: n("f"), dependsOn: n("d")),
                ]
                for (lower, upper) in zip(tiers, tiers.dropFirst()) {
                    for service in upper { for below in lower { dependencies.append(.init(service: n(service), dependsOn: n(below))) } }
                }
                let failing = try await client.services.inspect(n("d")).spec
                var broken = try #require(failing)
                broken.taskTemplate?.containerSpec = DockerTestEngine.container(
                    image: DockerTestEngine.image2, healthy: false, env: ["RELEASE=broken"])
                let changes = tiers.joined().map { letter in
                    RolloutRequest.Change(
                        service: n(letter), change: letter == "d" ? .spec(broken) : .image(DockerTestEngine.image2))
                }
                let request = RolloutRequest(
                    changes: changes, dependencies: dependencies, budget: 2, rollbackFailed: true,
                    convergenceTimeoutSeconds: 150)

                let folder = try TemporaryFolder()
                let store = try StateStore(path: folder.file("state.sqlite"))
                let runner = RolloutRunner(
                    swarm: client, journal: store.rolloutJournal,
                    logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
                let result = try await runner.apply(request)

                #expect(result.rolledBack == [n("d")])
                let steps = Dictionary(
                    uniqueKeysWithValues: try await store.rolloutJournal.steps(runID: result.runID).map { ($0.stepID, $0.status) })
                let expected: [String: (RolloutJournal.StepStatus, String)] = [
                    "a": (.succeeded, DockerTestEngine.image2), "b": (.succeeded, DockerTestEngine.image2),
                    "c": (.succeeded, DockerTestEngine.image2), "d": (.rolledBack, DockerTestEngine.image1),
                    "e": (.blocked, DockerTestEngine.image1), "f": (.blocked, DockerTestEngine.image1),
                ]
                for (letter, (status, image)) in expected {
                    #expect(steps[n(letter)] == status, "\(letter)")
                    let live = try await client.services.inspect(n(letter)).spec?.taskTemplate?.containerSpec?.image
                    #expect(live == image, "\(letter) runs \(live ?? "?")")
                }
                // The journal saw every start before its outcome, in dependency order.
                let log = try await store.rolloutJournal.transitions(runID: result.runID)
                func started(_ letter: String) -> Int? { log.firstIndex { $0.stepID == n(letter) && $0.to == "running" } }
                func finished(_ letter: String) -> Int? { log.firstIndex { $0.stepID == n(letter) && $0.to == "succeeded" } }
                #expect((finished("a") ?? .max) < (started("c") ?? -1))
            }
        }
    }
}
