import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Diff against specs dockerd stored after docker stack deploy")
struct LiveSpecDiffTests {
    /// The live spec exactly as dockerd stored it (health check under its `Healthcheck` key).
    static func decodedAsSwagger(_ json: String) throws -> Swarm.ServiceSpec {
        try LiveSpecs.decoded(json)
    }

    static func kitchen(_ edit: (String) -> String = { $0 }) throws -> ComposeStack {
        try ComposeConverter.convert(yaml: edit(LiveSpecs.kitchenYAML), stack: "kitchen", workingDirectory: "/srv")
    }

    @Test("the unchanged media stack gives no change", arguments: ["plex", "prowlarr", "sonarr"])
    func media(_ service: String) throws {
        let live = try Self.decodedAsSwagger(try #require(LiveSpecs.media[service]))
        let desired = try #require(try MediaStack.converted().services[service])
        let changes = ServiceSpecDiff.between(live: live, desired: desired, networkNames: LiveSpecs.networkNames)
        #expect(changes.map(\.description) == [])
    }

    @Test("the unchanged kitchen-sink stack gives no change", arguments: ["app", "worker", "job"])
    func kitchen(_ service: String) throws {
        let live = try Self.decodedAsSwagger(try #require(LiveSpecs.kitchen[service]))
        let desired = try #require(try Self.kitchen().services[service])
        let changes = ServiceSpecDiff.between(live: live, desired: desired, networkNames: LiveSpecs.networkNames)
        #expect(changes.map(\.description) == [])
    }

    @Test("edits to the compose file show against the live spec")
    func edits() throws {
        let live = try Self.decodedAsSwagger(try #require(LiveSpecs.kitchen["app"]))
        let desired = try #require(
            try Self.kitchen {
                $0.replacingOccurrences(of: "replicas: 2\n      endpoint_mode", with: "replicas: 3\n      endpoint_mode")
                    .replacingOccurrences(of: "image: busybox:1.36\n    entrypoint", with: "image: busybox:1.37\n    entrypoint")
                    .replacingOccurrences(of: "B: \"2\"", with: "B: \"3\", API_TOKEN: abcdef123")
                    .replacingOccurrences(of: "      - /cache\n", with: "")
            }.services["app"])
        let changes = ServiceSpecDiff.between(live: live, desired: desired, networkNames: LiveSpecs.networkNames)
        #expect(changes.map(\.description) == [
            "Mode.Replicated.Replicas: 2 -> 3",
            "TaskTemplate.ContainerSpec.Env[+]: API_TOKEN=<redacted>",
            "TaskTemplate.ContainerSpec.Env[B]: 2 -> 3",
            "TaskTemplate.ContainerSpec.Image: busybox:1.36 -> busybox:1.37",
            #"TaskTemplate.ContainerSpec.Mounts[-]: {"Target":"/cache","Type":"volume"}"#,
        ])
    }

    @Test("a restart-only change is the ForceUpdate counter")
    func restart() throws {
        let live = try Self.decodedAsSwagger(try #require(LiveSpecs.media["sonarr"]))
        var desired = try #require(try MediaStack.converted().services["sonarr"])
        desired.taskTemplate?.forceUpdate = live.taskTemplate?.forceUpdate
        desired = ForcedRestart.applied(to: desired)
        #expect(
            ServiceSpecDiff.between(live: live, desired: desired, networkNames: LiveSpecs.networkNames).map(\.description)
                == ["TaskTemplate.ForceUpdate: 0 -> 1"])
    }

    @Test("the Swarm model reads dockerd's Healthcheck key")
    func healthcheckKey() throws {
        let live = try LiveSpecs.decoded(try #require(LiveSpecs.media["sonarr"]))
        #expect(live.taskTemplate?.containerSpec?.healthCheck?.retries == 5)
    }
}
