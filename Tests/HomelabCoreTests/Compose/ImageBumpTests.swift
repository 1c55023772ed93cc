import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Image bumps and forced restarts")
struct ImageBumpTests {
    @Test(
        "reads service=image and service=tag",
        arguments: [
            ("sonarr=lscr.io/linuxserver/sonarr:4.0.3", "sonarr", "lscr.io/linuxserver/sonarr:4.0.3"),
            ("media_sonarr=busybox:1.36", "media_sonarr", "busybox:1.36"),
            ("web=registry:5000/team/web:2024.05.01", "web", "registry:5000/team/web:2024.05.01"),
            ("web=nginx@sha256:" + String(repeating: "0f", count: 32), "web", "nginx@sha256:" + String(repeating: "0f", count: 32)),
            ("web=4.0.3", "web", "tag 4.0.3"),
            ("web=latest", "web", "tag latest"),
        ])
    func parses(_ text: String, _ service: String, _ target: String) throws {
        let bump = try ImageBump.parse(text)
        #expect(bump.service == service)
        switch bump.target {
        case .image(let reference): #expect(reference.description == target)
        case .tag(let tag): #expect("tag \(tag)" == target)
        }
        #expect(bump.description == text)
    }

    @Test(
        "malformed bumps say what is wrong",
        arguments: [
            ("sonarr", "expected service=image:tag or service=tag"),
            ("=busybox:1", "the service name before '=' is empty"),
            ("sonarr=", "the image or tag after '=' is empty"),
            ("so narr=busybox:1", "is not a service name"),
            ("sonarr=busy box:1", "the image contains whitespace"),
            ("sonarr=.hidden", "is not a valid tag"),
            ("sonarr=lscr.io/linuxserver/sonarr", "names no tag or digest; write lscr.io/linuxserver/sonarr:<tag>"),
            ("sonarr=Busybox:1", "is not a valid image reference"),
            ("sonarr=busybox:", "is not a valid image reference"),
            ("sonarr=busybox@sha256:xyz", "is not a valid image reference"),
        ])
    func refuses(_ text: String, _ fragment: String) throws {
        let error = try #require(throws: HomelabError.self) { try ImageBump.parse(text) }
        #expect(error.code == .invalidArgument)
        #expect(error.message.contains(fragment), "\(error.message)")
        #expect(error.message.hasPrefix("image bump '"))
    }

    @Test("naming a service twice is refused")
    func duplicates() throws {
        let error = try #require(throws: HomelabError.self) { try ImageBump.parseAll(["a=1", "b=2", "a=3"]) }
        #expect(error.message.contains("'a' is named more than once"))
        #expect(try ImageBump.parseAll(["a=1", "b=busybox:2"]).map(\.service) == ["a", "b"])
    }

    @Test("a whole reference replaces the image and the stack's image label")
    func appliesImage() throws {
        let spec = try #require(try MediaStack.converted().services["sonarr"])
        let bumped = try ImageBump.parse("sonarr=lscr.io/linuxserver/sonarr:4.0.3").applied(to: spec)
        #expect(bumped.taskTemplate?.containerSpec?.image == "lscr.io/linuxserver/sonarr:4.0.3")
        #expect(bumped.labels?[ComposeConverter.imageLabel] == "lscr.io/linuxserver/sonarr:4.0.3")
        #expect(ServiceSpecDiff.between(live: spec, desired: bumped).map(\.description) == [
            "TaskTemplate.ContainerSpec.Image: lscr.io/linuxserver/sonarr:4.0.2 -> lscr.io/linuxserver/sonarr:4.0.3"
        ])
    }

    @Test("a tag keeps the repository, including a registry port, and drops a pinned digest")
    func appliesTag() throws {
        let bump = try ImageBump.parse("web=2.1")
        #expect(try bump.image(replacing: "registry:5000/team/web:2.0") == "registry:5000/team/web:2.1")
        #expect(try bump.image(replacing: "nginx:1.25@sha256:" + String(repeating: "a", count: 64)) == "nginx:2.1")
        #expect(try bump.image(replacing: "nginx") == "nginx:2.1")
        #expect(throws: HomelabError.self) { try bump.image(replacing: "not an image") }
    }

    @Test("a spec without a container image cannot be bumped")
    func noImage() throws {
        let error = try #require(throws: HomelabError.self) { try ImageBump.parse("web=2").applied(to: Swarm.ServiceSpec(name: "web")) }
        #expect(error.message.contains("has no container image"))
    }

    @Test("a bump names a service by compose name or stack-scoped name")
    func names() throws {
        #expect(try ImageBump.parse("sonarr=1").names(service: "sonarr", stack: "media"))
        #expect(try ImageBump.parse("media_sonarr=1").names(service: "sonarr", stack: "media"))
        #expect(try !ImageBump.parse("radarr=1").names(service: "sonarr", stack: "media"))
    }

    @Test("a forced restart increments ForceUpdate and changes nothing else")
    func forcedRestart() throws {
        let spec = try #require(try MediaStack.converted().services["plex"])
        let once = ForcedRestart.applied(to: spec)
        let twice = ForcedRestart.applied(to: once)
        #expect(once.taskTemplate?.forceUpdate == 1)
        #expect(twice.taskTemplate?.forceUpdate == 2)
        var withoutCounter = twice
        withoutCounter.taskTemplate?.forceUpdate = nil
        #expect(withoutCounter == spec)
        var atMaximum = spec
        atMaximum.taskTemplate?.forceUpdate = .max
        #expect(ForcedRestart.applied(to: atMaximum).taskTemplate?.forceUpdate == 0)
    }

    @Test("choosing services to restart: all, some, or a clear error")
    func selection() throws {
        let available = ["plex", "prowlarr", "sonarr"]
        #expect(try ForcedRestart.select(.all, from: available) == available)
        #expect(try ForcedRestart.select(.services(["sonarr", "plex"]), from: available) == ["plex", "sonarr"])
        let typo = try #require(throws: HomelabError.self) { try ForcedRestart.select(.services(["sonar"]), from: available) }
        #expect(typo.message == "cannot restart unknown service 'sonar'; did you mean 'sonarr'?")
        let unknown = try #require(throws: HomelabError.self) {
            try ForcedRestart.select(.services(["jellyfin", "x"]), from: available)
        }
        #expect(unknown.message.contains("'jellyfin', 'x'") && unknown.message.contains("services: plex, prowlarr, sonarr"))
        #expect(throws: HomelabError.self) { try ForcedRestart.select(.services([]), from: available) }
    }
}

@Suite("Secret and config IDs")
struct ReferenceIDTests {
    @Test("IDs are filled in by name; a missing one is a clear error")
    func resolves() throws {
        let spec = try #require(try MediaStack.converted().services["sonarr"])
        let resolved = try spec.resolvingReferences(
            secretIDs: ["db_password": "s1", "media_sonarr_api_key": "s2"], configIDs: ["sonarr_config_v2": "c1"])
        #expect(resolved.taskTemplate?.containerSpec?.secrets?.map(\.secretID) == ["s1", "s2"])
        #expect(resolved.taskTemplate?.containerSpec?.configs?.map(\.configID) == ["c1"])
        #expect(ServiceSpecDiff.between(live: resolved, desired: spec).isEmpty)
        let error = try #require(throws: HomelabError.self) {
            try spec.resolvingReferences(secretIDs: ["db_password": "s1"], configIDs: [:])
        }
        #expect(error.code == .notFound)
        #expect(error.message == "service 'media_sonarr' refers to secret 'media_sonarr_api_key', config 'sonarr_config_v2', which do not exist")
    }
}
