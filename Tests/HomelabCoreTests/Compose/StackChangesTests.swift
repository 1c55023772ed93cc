import Foundation
import Testing

@testable import HomelabCore

/// A swarm's live state held in memory.
struct FakeStackLiveState: StackLiveState {
    var specs: [String: Swarm.ServiceSpec] = [:]
    var secrets: [String: String] = [:]
    var configs: [String: String] = [:]
    var networks: [String: String] = [:]

    func liveSpecs() async throws -> [String: Swarm.ServiceSpec] { specs }
    func secretIDs() async throws -> [String: String] { secrets }
    func configIDs() async throws -> [String: String] { configs }
    func networkNames() async throws -> [String: String] { networks }
}

@Suite("Stack files compared with the live swarm")
struct StackChangesTests {
    static let media = """
        services:
          prowlarr:
            image: lscr.io/linuxserver/prowlarr:1.30
          sonarr:
            image: lscr.io/linuxserver/sonarr:4.0.14
            depends_on: [prowlarr]
            secrets: [api_key]
            deploy:
              labels:
                homelab.depends-on: "radarr"
          radarr:
            image: lscr.io/linuxserver/radarr:5.20
        secrets:
          api_key:
            external: true
        """

    /// The stack as `docker stack deploy` left it, with the live engine's IDs and a ForceUpdate of 3.
    static func live(from stack: ComposeStack) -> [String: Swarm.ServiceSpec] {
        var specs: [String: Swarm.ServiceSpec] = [:]
        for (name, spec) in stack.services {
            var live = spec
            var task = live.taskTemplate ?? Swarm.TaskSpec()
            task.forceUpdate = 3
            var container = task.containerSpec ?? Swarm.ContainerSpec()
            let secrets = container.secrets?.map { reference in
                var reference = reference
                reference.secretID = "sec-" + (reference.secretName ?? "")
                return reference
            }
            container.secrets = secrets
            task.containerSpec = container
            live.taskTemplate = task
            specs[stack.swarmName(of: name)] = live
        }
        return specs
    }

    @Test("only changed services are listed, with their field changes; new ones are not deployed; IDs and ForceUpdate are filled in")
    func changes() async throws {
        let deployed = try ComposeConverter.convert(yaml: Self.media, stack: "media")
        var state = FakeStackLiveState(specs: Self.live(from: deployed), secrets: ["api_key": "sec-api_key"])
        state.specs["media_radarr"] = nil  // never deployed
        let edited = try ComposeConverter.convert(
            yaml: Self.media.replacingOccurrences(of: "sonarr:4.0.14", with: "sonarr:4.0.15"), stack: "media")
        let changes = try await StackChanges.compare([edited], with: state)
        #expect(changes.changed.map(\.name) == ["media_sonarr"])
        #expect(changes.unchanged == ["media_prowlarr"])
        #expect(changes.notDeployed == ["media_radarr"])
        let sonarr = try #require(changes.changed.first)
        #expect(sonarr.fields.map(\.description) == [
            "TaskTemplate.ContainerSpec.Image: lscr.io/linuxserver/sonarr:4.0.14 -> lscr.io/linuxserver/sonarr:4.0.15"
        ])
        #expect(sonarr.desired.taskTemplate?.containerSpec?.secrets?.first?.secretID == "sec-api_key")
        #expect(sonarr.desired.taskTemplate?.forceUpdate == 3)
        #expect(
            Set(changes.dependencies) == [
                .init(service: "media_sonarr", dependsOn: "media_prowlarr"),
                .init(service: "media_sonarr", dependsOn: "media_radarr"),
            ])
    }

    @Test("a changed service using a secret the swarm lacks is refused, naming both")
    func missingSecret() async throws {
        let deployed = try ComposeConverter.convert(yaml: Self.media, stack: "media")
        let state = FakeStackLiveState(specs: Self.live(from: deployed))
        let edited = try ComposeConverter.convert(
            yaml: Self.media.replacingOccurrences(of: "sonarr:4.0.14", with: "sonarr:4.0.15"), stack: "media")
        let error = await #expect(throws: HomelabError.self) { try await StackChanges.compare([edited], with: state) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("media_sonarr") == true && error?.message.contains("'api_key'") == true)
    }

    @Test("two files defining the same service are refused")
    func duplicate() async throws {
        let stack = try ComposeConverter.convert(yaml: Self.media, stack: "media")
        let error = await #expect(throws: HomelabError.self) {
            try await StackChanges.compare([stack, stack], with: FakeStackLiveState())
        }
        #expect(error?.message.contains("defined by two stack files") == true)
    }

    @Test("a request built from stack changes orders the file's services after the inventory's, with the file's edges")
    func request() async throws {
        let homelab = Homelab(name: "lab", nodes: [], tiers: ["infrastructure"], stacks: [], components: [:])
        let request = RolloutRequest(
            homelab: homelab, changes: ["media_sonarr": .image("s:2"), "media_prowlarr": .image("p:2")],
            dependencies: [.init(service: "media_sonarr", dependsOn: "media_prowlarr")])
        #expect(request.changes.map(\.service) == ["media_prowlarr", "media_sonarr"])
        let graph = try request.graph()
        #expect(graph.predecessors[try #require(graph.index(of: "media_sonarr"))] == [try #require(graph.index(of: "media_prowlarr"))])
    }

    @Test("default estimates follow Swarm's rolling update of the replicas under the UpdateConfig")
    func estimates() {
        // 3 replicas one at a time, 10 s each, then the 5 s monitor window.
        #expect(RolloutRequest.defaultEstimate(replicas: 3) == 35)
        // parallelism 2 with a 20 s delay (>= monitor): 2 rounds of (10 + 20) s, then delay + 1 s.
        let update = Swarm.UpdateConfig(parallelism: 2, delay: Swarm.Nanoseconds(.seconds(20)))
        #expect(RolloutRequest.defaultEstimate(replicas: 4, update: update) == 81)
    }
}
