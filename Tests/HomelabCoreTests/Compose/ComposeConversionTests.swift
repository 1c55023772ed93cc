import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Compose to ServiceSpec conversion")
struct ComposeConversionTests {
    @Test("the media stack converts to exactly the specs docker stack deploy sends", arguments: ["plex", "prowlarr", "sonarr"])
    func mediaStack(_ service: String) throws {
        let stack = try MediaStack.converted()
        let expected = try MediaStack.spec(
            ["plex": MediaStack.plex, "prowlarr": MediaStack.prowlarr, "sonarr": MediaStack.sonarr][service] ?? "")
        let actual = try #require(stack.services[service])
        #expect(
            actual == expected,
            "got:\n\(MediaStack.sortedJSON(actual))\nexpected:\n\(MediaStack.sortedJSON(expected))")
    }

    @Test("the media stack lists its services in file order with their dependency edges")
    func mediaStackShape() throws {
        let stack = try MediaStack.converted()
        #expect(stack.name == "media")
        #expect(stack.serviceOrder == ["plex", "prowlarr", "sonarr"])
        #expect(stack.swarmName(of: "sonarr") == "media_sonarr")
        #expect(
            stack.dependencies == [
                ServiceDependency(service: "sonarr", dependsOn: "prowlarr", condition: .started, origin: .dependsOn),
                ServiceDependency(service: "sonarr", dependsOn: "plex", condition: .started, origin: .label),
            ])
        #expect(stack.dependencies(of: "sonarr") == ["prowlarr", "plex"])
        #expect(stack.dependencies(of: "plex").isEmpty)
    }

    @Test("converting twice gives identical specs (sorted env, secrets, networks)")
    func deterministic() throws {
        #expect(try MediaStack.converted() == MediaStack.converted())
    }

    @Test("one conversion rule", arguments: ConversionRules.cases)
    func rule(_ rule: ConversionRules.Case) throws {
        let stack = try ComposeConverter.convert(
            yaml: rule.document, stack: "st", file: "rule.yml", environment: rule.environment, workingDirectory: "/srv/stack")
        let spec = try #require(stack.services["app"])
        let actual = try ConversionRules.value(in: spec, at: rule.field)
        let expected = try rule.expectedValue()
        #expect(actual == expected, "\(rule.field): got \(ConversionRules.text(actual)), expected \(ConversionRules.text(expected))")
    }

    @Test("a stack name must be usable in service names")
    func stackName() throws {
        let file = try ComposeLoader.load(yaml: "services:\n  app:\n    image: busybox:1\n")
        for bad in ["", "-x", "a b", "st/x"] {
            let error = try #require(throws: HomelabError.self) { try ComposeConverter.convert(file, stack: bad) }
            #expect(error.code == .invalidArgument)
        }
        let long = String(repeating: "s", count: 60)
        let error = try #require(throws: HomelabError.self) { try ComposeConverter.convert(file, stack: long) }
        #expect(error.message.contains("63"))
    }

    @Test("ignored keys load with a located warning")
    func ignoredKeysWarn() throws {
        let file = try ComposeLoader.load(
            yaml: "services:\n  app:\n    image: busybox:1\n    container_name: app\n    build: .\n", file: "w.yml")
        #expect(file.warnings.map(\.description) == [
            "w.yml:4:5 services.app.container_name: 'container_name' is ignored by docker stack deploy",
            "w.yml:5:5 services.app.build: 'build' is ignored by docker stack deploy",
        ])
    }

    @Test("a relative bind mount resolves against the compose file's folder when loaded from disk")
    func relativeBindFromDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("compose-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("stack.yml").path
        try "services:\n  app:\n    image: busybox:1\n    volumes: ['./data:/data', '../shared:/shared:ro']\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let file = try ComposeLoader.load(path: path)
        let sources = file.services.first?.volumes.map(\.source)
        let base = folder.standardizedFileURL.path
        #expect(sources == [base + "/data", folder.deletingLastPathComponent().standardizedFileURL.path + "/shared"])
    }
}
