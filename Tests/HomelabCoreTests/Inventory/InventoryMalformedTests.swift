import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Malformed inventories")
struct InventoryMalformedTests {
    @Test("the base document the cases mutate is valid")
    func baseIsValid() throws {
        let homelab = try InventoryLoader.load(yaml: MalformedInventories.base)
        #expect(homelab.nodes.count == 2)
        #expect(homelab.services.map(\.name) == ["db", "web"])
        #expect(homelab.components[.authentik]?.credentials["token"] == .env("AUTHENTIK_TOKEN"))
    }

    @Test("there are at least twenty malformed cases")
    func enoughCases() {
        #expect(MalformedInventories.cases.count >= 20)
    }

    @Test("each malformed document gives its located issue", arguments: MalformedInventories.cases)
    func locatedIssue(_ example: MalformedInventories.Case) throws {
        let error = try #require(throws: HomelabError.self) {
            try InventoryLoader.load(yaml: example.yaml, file: "homelab.yaml")
        }
        #expect(error.code == .invalidConfiguration)
        let issues = error.inventoryIssues
        let located = issues.filter { issue in
            "\(issue.line):\(issue.column)" + (issue.keyPath.isEmpty ? "" : " " + issue.keyPath) == example.location
        }
        #expect(
            located.contains { $0.message.contains(example.fragment) },
            "expected \(example.location): …\(example.fragment)…, got:\n\(issues.map(\.description).joined(separator: "\n"))")
        #expect(issues.count == example.count, "\(issues.map(\.description).joined(separator: "\n"))")
        if let secret = example.mustNotEcho {
            #expect(!error.description.contains(secret))
            #expect(!issues.contains { $0.description.contains(secret) })
        }
    }

    /// The loader composes a document without a `!` with Yams's basic resolver (no ICU regular expressions at
    /// start-up) and tags its plain null spellings itself; a `!` anywhere, even in a trailing comment, selects the
    /// default resolver. Both must read every document the same.
    @Test("a document reads the same with the basic resolver as with the default one (nulls, quoted nulls, numbers)")
    func basicResolverAgrees() throws {
        let nulls = MalformedInventories.base
            .replacingOccurrences(of: "role: worker", with: "role: worker\n    labels: {a: ~, b: null, c: Null, d: NULL, e: , f: 'null', g: \"~\"}")
        let documents = [MalformedInventories.base, nulls, try ExampleInventory.text()]
            + MalformedInventories.cases.map(\.yaml)
            + [
                MalformedInventories.replacing("role: worker", with: "role: ~"),
                MalformedInventories.replacing("role: worker", with: "role: 'null'"),
                MalformedInventories.replacing("role: worker", with: "role:"),
                "~\n", "null\n", "'~'\n", "name: ~\n", "name: |\n  null\n",
            ]
        for yaml in documents {
            let tagged = yaml + "\n# ! (selects the default resolver)\n"
            #expect(
                InventoryLoader.issues(in: yaml).map(\.description) == InventoryLoader.issues(in: tagged).map(\.description),
                "\(yaml)")
            if let basic = try? InventoryLoader.load(yaml: yaml) {
                #expect(basic == (try InventoryLoader.load(yaml: tagged)))
            }
        }
        let labels = try InventoryLoader.load(yaml: nulls).nodes[1].labels
        #expect(labels == ["a": "", "b": "", "c": "", "d": "", "e": "", "f": "null", "g": "~"])
    }

    @Test("an issue prints as file:line:column keyPath: message")
    func format() {
        let yaml = MalformedInventories.replacing("role: worker", with: "role: leader")
        let issues = InventoryLoader.issues(in: yaml, file: "homelab.yaml")
        #expect(issues.map(\.description) == ["homelab.yaml:8:11 nodes[1].role: expected manager or worker, got 'leader'"])
        let parse = InventoryLoader.issues(in: "- a\n", file: "x.yaml")
        #expect(parse.map(\.description) == ["x.yaml:1:1: expected a mapping, got a list"])
    }

    @Test("every problem is reported at once, in file order")
    func everyProblem() throws {
        let yaml = MalformedInventories.replacing("role: worker", with: "role: leader")
            .replacingOccurrences(of: "depends_on: [db]", with: "depends_on: [dbx]")
            .replacingOccurrences(of: "token: env:AUTHENTIK_TOKEN", with: "token: hunter2")
        let error = try #require(throws: HomelabError.self) { try InventoryLoader.load(yaml: yaml, file: "homelab.yaml") }
        #expect(error.inventoryIssues.map(\.keyPath) == [
            "nodes[1].role", "stacks[0].services[1].depends_on[0]", "components.authentik.credentials.token",
        ])
        // The error's own description is the list, one issue per line.
        #expect(error.description.split(separator: "\n").count == 3)
        #expect(error.description.hasPrefix("homelab.yaml:8:11 nodes[1].role: "))
        #expect(!error.description.contains("hunter2"))
    }

    @Test("a typo in a required key is reported once, not also as missing")
    func typoNotAlsoMissing() {
        let issues = InventoryLoader.issues(in: MalformedInventories.replacing("address: 10.0.0.21", with: "adress: 10.0.0.21"))
        #expect(issues.count == 1)
    }

    @Test("an unreadable tier list does not cascade into unknown-tier issues")
    func noCascade() {
        let yaml = MalformedInventories.replacing("tiers: [infrastructure, application]", with: "tiers: infrastructure")
        #expect(InventoryLoader.issues(in: yaml).map(\.keyPath) == ["tiers"])
    }

    @Test("a missing file is an invalid-configuration error naming it")
    func missingFile() {
        let error = #expect(throws: HomelabError.self) {
            try InventoryLoader.load(path: "/nonexistent/homelab.yaml")
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.description.contains("/nonexistent/homelab.yaml") == true)
    }

    @Test("nested aliases cannot make the loader walk billions of nodes")
    func aliasBomb() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            yaml += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let issues = InventoryLoader.issues(in: yaml)
        #expect(issues.count == 1)
        #expect(issues.first?.message.contains("more than \(InventoryLoader.maximumNodeCount) YAML nodes") == true)
    }
}
