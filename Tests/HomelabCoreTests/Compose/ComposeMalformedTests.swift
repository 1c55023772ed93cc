import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Malformed compose files", .cpuBound)
struct ComposeMalformedTests {
    @Test("the base document the cases mutate is valid")
    func baseIsValid() throws {
        let file = try ComposeLoader.load(yaml: MalformedComposeFiles.base)
        #expect(file.services.map(\.name) == ["web", "db"])
        #expect(file.dependencies == [ServiceDependency(service: "db", dependsOn: "web")])
    }

    @Test("there are at least ten malformed cases")
    func enoughCases() {
        #expect(MalformedComposeFiles.cases.count >= 10)
    }

    @Test("each malformed file gives its located issue", arguments: MalformedComposeFiles.cases)
    func locatedIssue(_ example: MalformedComposeFiles.Case) throws {
        let error = try #require(throws: HomelabError.self) {
            try ComposeLoader.load(yaml: example.yaml, file: "stack.yml")
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.component == "compose")
        let issues = error.inventoryIssues
        let located = issues.filter { issue in
            "\(issue.line):\(issue.column)" + (issue.keyPath.isEmpty ? "" : " " + issue.keyPath) == example.location
        }
        #expect(
            located.contains { $0.message.contains(example.fragment) },
            "expected \(example.location): …\(example.fragment)…, got:\n\(issues.map(\.description).joined(separator: "\n"))")
        #expect(issues.count == example.count, "\(issues.map(\.description).joined(separator: "\n"))")
        #expect(issues.allSatisfy { $0.file == "stack.yml" })
    }

    @Test("an issue prints as file:line:column keyPath: message")
    func format() {
        let yaml = MalformedComposeFiles.replacing("networks: [front]", with: "networks: [back]")
        #expect(ComposeLoader.issues(in: yaml, file: "stack.yml").map(\.description) == [
            "stack.yml:5:16 services.web.networks[0]: undefined network 'back' (define it under the top-level 'networks')"
        ])
    }

    @Test("every problem is reported at once, in file order")
    func everyProblem() {
        let yaml = MalformedComposeFiles.replacing("interval: 10s", with: "interval: soon")
            .replacingOccurrences(of: "replicas: 2", with: "replicas: two")
            .replacingOccurrences(of: "depends_on: [web]", with: "depends_on: [nope]")
        #expect(ComposeLoader.issues(in: yaml).map(\.keyPath) == [
            "services.web.deploy.replicas", "services.web.healthcheck.interval", "services.db.depends_on[0]",
        ])
    }

    @Test("an empty document and non-mapping documents are refused, not crashed on")
    func emptyAndOdd() {
        for yaml in ["", "# only a comment\n", "just text", "- a\n- b\n", "services:\n", "services: {}\n", "~"] {
            #expect(!ComposeLoader.issues(in: yaml).isEmpty, "\(yaml)")
        }
    }

    @Test("every prefix of the media stack loads or reports issues without crashing")
    func prefixes() {
        let lines = MediaStack.yaml.split(separator: "\n", omittingEmptySubsequences: false)
        for count in 0...lines.count {
            let text = lines.prefix(count).joined(separator: "\n")
            let (file, issues) = ComposeLoader.read(
                yaml: text, file: "p.yml", environment: MediaStack.environment, workingDirectory: nil)
            #expect((file == nil) != issues.isEmpty)
        }
    }

    @Test("random byte damage never crashes the loader")
    func damage() {
        var generator = DamageRandom(seed: 0x5eed)
        let bytes = Array(MediaStack.yaml.utf8)
        let alphabet = Array("{}[]:,-'\"&*!|>%@`#$?\n \t0aZ".utf8)
        for _ in 0..<300 {
            var damaged = bytes
            for _ in 0..<Int(generator.next() % 6 + 1) {
                let index = Int(generator.next() % UInt64(damaged.count))
                damaged[index] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            let text = String(decoding: damaged, as: UTF8.self)
            let (file, issues) = ComposeLoader.read(
                yaml: text, file: "d.yml", environment: MediaStack.environment, workingDirectory: "/srv")
            #expect((file == nil) != issues.isEmpty)
        }
    }

    @Test("an alias bomb is refused quickly")
    func aliasBomb() {
        var yaml = "x-a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            let previous = "*a\(level - 1)"
            yaml += "x-a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        yaml += "services:\n  app:\n    image: busybox:1\n    command: *a8\n"
        let issues = ComposeLoader.issues(in: yaml)
        #expect(issues.contains { $0.message.contains("more than") })
    }
}

/// A small deterministic random number generator for damage tests.
struct DamageRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
