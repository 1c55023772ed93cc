import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Per-field diff of service specs")
struct ServiceSpecDiffTests {
    static func sonarr() throws -> Swarm.ServiceSpec {
        try #require(try MediaStack.converted().services["sonarr"])
    }

    static func changed(_ yaml: (String) -> String) throws -> ComposeStack {
        try ComposeConverter.convert(
            yaml: yaml(MediaStack.yaml), stack: "media", file: "media.yml", environment: MediaStack.environment)
    }

    @Test("an unchanged spec gives no change", arguments: ["plex", "prowlarr", "sonarr"])
    func unchanged(_ service: String) throws {
        let spec = try #require(try MediaStack.converted().services[service])
        #expect(ServiceSpecDiff.between(live: spec, desired: spec).isEmpty)
    }

    @Test("an image change is exactly one change")
    func imageChange() throws {
        let desired = try #require(
            try Self.changed { $0.replacingOccurrences(of: "sonarr:4.0.2", with: "sonarr:4.0.3") }.services["sonarr"])
        let changes = ServiceSpecDiff.between(live: try Self.sonarr(), desired: desired)
        #expect(changes.map(\.description) == [
            "TaskTemplate.ContainerSpec.Image: lscr.io/linuxserver/sonarr:4.0.2 -> lscr.io/linuxserver/sonarr:4.0.3"
        ])
        #expect(changes.first?.kind == .changed)
    }

    @Test("environment variables added, removed and changed")
    func environment() throws {
        let desired = try #require(
            try Self.changed {
                $0.replacingOccurrences(of: "      - PGID=1000\n", with: "      - PGID=1001\n      - LOG_LEVEL=debug\n")
                    .replacingOccurrences(of: "      - PUID=1000\n", with: "")
            }.services["sonarr"])
        let changes = ServiceSpecDiff.between(live: try Self.sonarr(), desired: desired)
        #expect(changes.map(\.description) == [
            "TaskTemplate.ContainerSpec.Env[-]: PUID=1000",
            "TaskTemplate.ContainerSpec.Env[+]: LOG_LEVEL=debug",
            "TaskTemplate.ContainerSpec.Env[PGID]: 1000 -> 1001",
        ])
        #expect(changes.map(\.kind) == [.removed, .added, .changed])
    }

    @Test("secret-like environment values are redacted in the diff text")
    func redaction() throws {
        let live = try Self.sonarr()
        let desired = try #require(
            try ComposeConverter.convert(
                yaml: MediaStack.yaml.replacingOccurrences(of: "      - PUID=1000\n", with: "      - DB_PASSWORD=hunter22\n"),
                stack: "media", file: "media.yml",
                environment: ["PLEX_CLAIM": "claim-abc", "SONARR_API_KEY": "n3w-k3y-value"]
            ).services["sonarr"])
        let changes = ServiceSpecDiff.between(live: live, desired: desired)
        let text = changes.map(\.description).joined(separator: "\n")
        #expect(changes.map(\.description) == [
            "TaskTemplate.ContainerSpec.Env[-]: PUID=1000",
            "TaskTemplate.ContainerSpec.Env[+]: DB_PASSWORD=<redacted>",
            "TaskTemplate.ContainerSpec.Env[SONARR__AUTH__APIKEY]: <redacted> -> <redacted>",
        ])
        for secret in ["hunter22", "n3w-k3y-value", "k3y-s3cr3t"] { #expect(!text.contains(secret)) }
    }

    @Test("a replica change")
    func replicas() throws {
        let desired = try #require(
            try Self.changed { $0.replacingOccurrences(of: "      replicas: 1\n      labels:", with: "      replicas: 3\n      labels:") }
                .services["sonarr"])
        #expect(ServiceSpecDiff.between(live: try Self.sonarr(), desired: desired).map(\.description) == [
            "Mode.Replicated.Replicas: 1 -> 3"
        ])
    }

    @Test("omitted replicas equal Docker's stored 1; global against replicated is a mode change")
    func modes() throws {
        var live = try Self.sonarr()
        var desired = live
        live.mode = .replicated(replicas: 1)
        desired.mode = .replicated(replicas: nil)
        #expect(ServiceSpecDiff.between(live: live, desired: desired).isEmpty)
        desired.mode = .global
        #expect(ServiceSpecDiff.between(live: live, desired: desired).map(\.description) == [
            #"Mode: {"Replicated":{"Replicas":1}} -> {"Global":{}}"#
        ])
    }

    @Test("what Docker fills in by itself is not a change")
    func dockerDefaults() throws {
        let desired = try Self.sonarr()
        var live = desired
        live.taskTemplate?.forceUpdate = 0
        live.taskTemplate?.runtime = "container"
        live.taskTemplate?.restartPolicy = Swarm.RestartPolicy(condition: .any, delay: .seconds(5), maxAttempts: 0)
        live.taskTemplate?.placement = Swarm.Placement(platforms: [Swarm.Platform(architecture: "amd64", os: "linux")])
        live.taskTemplate?.containerSpec?.isolation = "default"
        live.taskTemplate?.containerSpec?.privileges = Swarm.ContainerPrivileges(noNewPrivileges: false)
        live.taskTemplate?.containerSpec?.image = "lscr.io/linuxserver/sonarr:4.0.2@sha256:" + String(repeating: "ab", count: 32)
        live.taskTemplate?.containerSpec?.secrets = desired.taskTemplate?.containerSpec?.secrets?.reversed().map { reference in
            var reference = reference
            reference.secretID = "id-" + (reference.secretName ?? "")
            return reference
        }
        live.taskTemplate?.containerSpec?.env = desired.taskTemplate?.containerSpec?.env?.reversed()
        live.endpointSpec = Swarm.EndpointSpec(mode: .vip)
        live.rollbackConfig?.failureAction = .pause
        live.rollbackConfig?.monitor = .seconds(5)
        live.rollbackConfig?.maxFailureRatio = 0
        live.rollbackConfig?.delay = 0
        live.taskTemplate?.resources?.reservations = Swarm.ResourceObject()
        #expect(ServiceSpecDiff.between(live: live, desired: desired).map(\.description) == [])
    }

    @Test("absent update and restart configs equal SwarmKit's defaults, but not other values")
    func swarmKitDefaults() throws {
        var desired = try Self.sonarr()
        desired.updateConfig = nil
        var live = desired
        live.updateConfig = Swarm.UpdateConfig(parallelism: 1, failureAction: .pause, monitor: .seconds(5), maxFailureRatio: 0, order: .stopFirst)
        #expect(ServiceSpecDiff.between(live: live, desired: desired).isEmpty)
        live.updateConfig?.parallelism = 0
        #expect(ServiceSpecDiff.between(live: live, desired: desired).map(\.description) == ["UpdateConfig.Parallelism: 0 -> 1"])
        live.updateConfig?.parallelism = 1
        live.updateConfig?.delay = .seconds(10)
        #expect(ServiceSpecDiff.between(live: live, desired: desired).map(\.description) == ["UpdateConfig.Delay: 10s -> 0s"])
    }

    @Test("a forced restart counter in the live spec is not a change unless the desired spec sets one")
    func forceUpdate() throws {
        let desired = try Self.sonarr()
        var live = desired
        live.taskTemplate?.forceUpdate = 4
        #expect(ServiceSpecDiff.between(live: live, desired: desired).isEmpty)
        let restarted = ForcedRestart.applied(to: live)
        #expect(ServiceSpecDiff.between(live: live, desired: restarted).map(\.description) == ["TaskTemplate.ForceUpdate: 4 -> 5"])
    }

    @Test("live network IDs compare by name when the names are given")
    func networkIDs() throws {
        let desired = try Self.sonarr()
        var live = desired
        live.taskTemplate?.networks = [
            Swarm.NetworkAttachmentConfig(target: "id-media", aliases: ["sonarr", "tv"]),
            Swarm.NetworkAttachmentConfig(target: "id-proxy", aliases: ["sonarr"]),
        ]
        #expect(
            ServiceSpecDiff.between(live: live, desired: desired, networkNames: ["id-media": "media_media", "id-proxy": "caddy_proxy"])
                .isEmpty)
        let unnamed = ServiceSpecDiff.between(live: live, desired: desired)
        #expect(unnamed.count == 4)
        #expect(unnamed.allSatisfy { $0.path == "TaskTemplate.Networks" })
    }

    @Test("list entries are matched by identity: a mount change points at the mount")
    func keyedLists() throws {
        let desired = try #require(
            try Self.changed { $0.replacingOccurrences(of: "      - /mnt/tank/media:/data\n", with: "      - /mnt/tank/media:/data:ro\n") }
                .services["sonarr"])
        #expect(ServiceSpecDiff.between(live: try Self.sonarr(), desired: desired).map(\.description) == [
            "TaskTemplate.ContainerSpec.Mounts[/data].ReadOnly: (none) -> true"
        ])
    }

    @Test("constraints are a set; labels are entries; secret-like label values are redacted")
    func setsAndLabels() throws {
        var live = try #require(try MediaStack.converted().services["plex"])
        var desired = live
        live.taskTemplate?.placement?.constraints = ["node.hostname == barbary", "node.role == worker"]
        desired.taskTemplate?.placement?.constraints = ["node.role == worker", "node.labels.gpu == true"]
        live.labels?["caddy.basicauth.password"] = "old-hash"
        desired.labels?["caddy.basicauth.password"] = "new-hash"
        desired.labels?["caddy"] = "plex.lab"
        let changes = ServiceSpecDiff.between(live: live, desired: desired).map(\.description)
        #expect(changes == [
            "Labels[caddy]: plex.example.lab -> plex.lab",
            "Labels[caddy.basicauth.password]: <redacted> -> <redacted>",
            "TaskTemplate.Placement.Constraints[-]: node.hostname == barbary",
            "TaskTemplate.Placement.Constraints[+]: node.labels.gpu == true",
        ])
    }

    @Test("a field added inside an object shows alone; durations read as durations; absent is Docker's default")
    func addedObject() throws {
        let live = try #require(try MediaStack.converted().services["prowlarr"])
        var desired = live
        desired.taskTemplate?.containerSpec?.healthCheck?.timeout = .seconds(3)
        desired.taskTemplate?.containerSpec?.stopGracePeriod = Swarm.Nanoseconds(parsing: "1m30s")
        #expect(ServiceSpecDiff.between(live: live, desired: desired).map(\.description) == [
            "TaskTemplate.ContainerSpec.Healthcheck.Timeout: (none) -> 3s",
            "TaskTemplate.ContainerSpec.StopGracePeriod: 10s -> 90s",
        ])
    }
}
