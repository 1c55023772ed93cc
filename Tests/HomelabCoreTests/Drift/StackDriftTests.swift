import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// `StackDrift.compare`: the media stack converted from git against the specs dockerd stored after
/// `docker stack deploy` (``LiveSpecs``), then against live specs someone changed by hand.
@Suite("Drift: git's stack against the live services")
struct StackDriftTests {
    /// The live media services by Swarm name, as dockerd stored them.
    static func live() throws -> [String: Swarm.ServiceSpec] {
        var specs: [String: Swarm.ServiceSpec] = [:]
        for (service, json) in LiveSpecs.media { specs["media_\(service)"] = try LiveSpecs.decoded(json) }
        return specs
    }

    static func compare(_ live: [String: Swarm.ServiceSpec]) throws -> (services: [StackDrift.Service], inSync: [String]) {
        StackDrift.compare(try MediaStack.converted(), live: live, networkNames: LiveSpecs.networkNames)
    }

    @Test("what Docker fills in (update and rollback defaults, runtime, isolation, network IDs, a pinned digest) is not drift")
    func noFalseDrift() throws {
        var live = try Self.live()
        let pinned = "plexinc/pms-docker:1.40.1@sha256:" + String(repeating: "ab", count: 32)
        live["media_plex"]?.taskTemplate?.containerSpec?.image = pinned
        let result = try Self.compare(live)
        #expect(result.services.map { "\($0.name): \($0.fields.map(\.description))" } == [])
        #expect(Set(result.inSync) == ["media_plex", "media_prowlarr", "media_sonarr"])
    }

    /// A field someone changed on the live service, and the field path the drift names.
    enum Edit: String, CaseIterable, Sendable {
        case image, env, labels, replicas, resources, mounts, networks, updateConfig, constraints

        var path: String {
            switch self {
            case .image: return "TaskTemplate.ContainerSpec.Image"
            case .env: return "TaskTemplate.ContainerSpec.Env"
            case .labels: return "Labels"
            case .replicas: return "Mode"
            case .resources: return "TaskTemplate.Resources"
            case .mounts: return "TaskTemplate.ContainerSpec.Mounts"
            case .networks: return "TaskTemplate.Networks"
            case .updateConfig: return "UpdateConfig"
            case .constraints: return "TaskTemplate.Placement.Constraints"
            }
        }

        func apply(to spec: inout Swarm.ServiceSpec) {
            switch self {
            case .image: spec.taskTemplate?.containerSpec?.image = "plexinc/pms-docker:1.41.0"
            case .env: spec.taskTemplate?.containerSpec?.env?.append("DEBUG=1")
            case .labels: spec.labels?["caddy"] = "plex.elsewhere.lab"
            case .replicas: spec.mode = .replicated(replicas: 3)
            case .resources: spec.taskTemplate?.resources?.limits?.memoryBytes = 4_294_967_296
            case .mounts: spec.taskTemplate?.containerSpec?.mounts?.removeLast()
            case .networks: spec.taskTemplate?.networks?.append(Swarm.NetworkAttachmentConfig(target: "iik4ro3fiqohqs8cwciwd36j3"))
            case .updateConfig: spec.updateConfig?.parallelism = 2
            case .constraints: spec.taskTemplate?.placement?.constraints = ["node.hostname == ching"]
            }
        }
    }

    @Test("a field changed on the live service is drift, named by its path, live -> git", arguments: Edit.allCases)
    func fieldDrift(_ edit: Edit) throws {
        var live = try Self.live()
        var plex = try #require(live["media_plex"])
        edit.apply(to: &plex)
        live["media_plex"] = plex
        let result = try Self.compare(live)
        let drifted = try #require(result.services.first, "\(edit): no drift")
        #expect(result.services.count == 1 && drifted.name == "media_plex" && drifted.kind == .drifted && drifted.stack == "media")
        #expect(!drifted.fields.isEmpty && drifted.fields.allSatisfy { $0.path.hasPrefix(edit.path) }, "\(drifted.fields)")
        #expect(Set(result.inSync) == ["media_prowlarr", "media_sonarr"])
    }

    @Test("an image changed live shows the live and the git value; an added variable shows as added")
    func values() throws {
        var live = try Self.live()
        live["media_plex"]?.taskTemplate?.containerSpec?.image = "plexinc/pms-docker:1.41.0"
        live["media_prowlarr"]?.taskTemplate?.containerSpec?.env?.removeAll { $0.hasPrefix("TZ=") }
        let result = try Self.compare(live)
        let image = try #require(result.services.first { $0.name == "media_plex" }?.fields.first)
        #expect(image.kind == .changed && image.old == "plexinc/pms-docker:1.41.0" && image.new == "plexinc/pms-docker:1.40.1")
        let env = try #require(result.services.first { $0.name == "media_prowlarr" }?.fields.first)
        #expect(env.kind == .added && env.new == "TZ=Europe/Amsterdam", "\(env)")
    }

    @Test("a service git has and the swarm does not is missing; one the swarm runs in the stack and git does not is extra")
    func missingAndExtra() throws {
        var live = try Self.live()
        live["media_sonarr"] = nil
        var old = try #require(live["media_prowlarr"])
        old.name = "media_readarr"
        live["media_readarr"] = old
        var other = old
        other.name = "books_readarr"
        other.labels?[ComposeConverter.namespaceLabel] = "books"
        live["books_readarr"] = other
        let result = try Self.compare(live)
        #expect(result.services.map { "\($0.name) \($0.kind.rawValue)" } == ["media_sonarr missing", "media_readarr extra"])
        #expect(result.services.allSatisfy { $0.fields.isEmpty })
    }

    @Test("the report is drifted with a service out of sync or a pending sync change, in sync with neither")
    func verdict() {
        #expect(!StackDrift(inSync: ["a_b"]).isDrifted)
        #expect(StackDrift(services: [.init(name: "a_b", stack: "a", kind: .missing)]).isDrifted)
        #expect(StackDrift(pending: [.init(sync: "s", action: "update", kind: "Stack", name: "a")]).isDrifted)
    }

    @Test("a stack file that does not load is an error naming the stack, where it was read, and the file's line")
    func malformed() throws {
        let text = "services:\n  web:\n    image: busybox:1.36\n    deploy:\n      replicas: two\n"
        #expect(throws: HomelabError.self) {
            try DriftDetector.convert(text, file: "stacks/web/compose.yaml", at: "homelab/stacks@main", stack: "web", environment: [:])
        }
        do {
            _ = try DriftDetector.convert(text, file: "stacks/web/compose.yaml", at: "homelab/stacks@main", stack: "web", environment: [:])
        } catch let error as HomelabError {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("stack web") && error.message.contains("homelab/stacks@main"), "\(error)")
            #expect(error.message.contains("stacks/web/compose.yaml:5:"), "\(error)")
        }
        let good = try DriftDetector.convert(
            "services:\n  web:\n    image: busybox:${TAG}\n", file: "f", at: "r", stack: "web", environment: ["TAG": "1.36"])
        #expect(good.services["web"]?.taskTemplate?.containerSpec?.image == "busybox:1.36")
    }

    @Test("Komodo's environment lines are the file's variables (comments and blank lines skipped)")
    func variables() {
        #expect(DriftDetector.variables("TZ=Europe/Paris\n# note\n\nPUID = 1000\nEMPTY=\nnot a variable\n")
            == ["TZ": "Europe/Paris", "PUID": " 1000", "EMPTY": ""])
    }
}
