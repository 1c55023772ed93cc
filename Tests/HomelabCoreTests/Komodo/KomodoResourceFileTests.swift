import Foundation
import Testing

@testable import HomelabCore

/// Komodo resource files: parsing, the schema's rules, each finding located, and the plan against live resources.
@Suite("Komodo resource files")
struct KomodoResourceFileTests {
    static let valid = """
        # the homelab's Komodo resources
        [[server]]
        name = "barbary"
        [server.config]
        address = "https://10.0.0.10:8120"
        region = "home"

        [[stack]]
        name = "media-core"
        deploy = true
        tags = ["media"]
        after = ["ingress"]

        [stack.config]
        swarm = "homelab"
        repo = "homelab/stacks"
        file_paths = "media-core/compose.yaml"
        environment = \"\"\"
        TZ=UTC
        PUID=1000
        \"\"\"

        [[stack]]
        name = "ingress"
        config = { swarm = "homelab", files_on_host = true, run_directory = "/srv/ingress" }

        [[resource_sync]]
        name = "homelab"
        [resource_sync.config]
        repo = "homelab/stacks"
        resource_path = ["komodo/"]

        [[procedure]]
        name = "nightly-pull"
        config.schedule = "Every day at 04:00"
        config.schedule_format = "English"
        config.stage = [{ name = "pull", executions = [{ execution = { type = "BatchPullStack", params = { pattern = "media-*" } } }] }]
        """

    @Test("a valid file has its resources and no findings")
    func valid() {
        let file = KomodoResourceFile.parse(Self.valid, file: "komodo.toml")
        #expect(file.issues.isEmpty, "\(file.issues)")
        #expect(file.resources.map { "\($0.kind)/\($0.name)" } == [
            "procedure/nightly-pull", "resource_sync/homelab", "server/barbary", "stack/media-core", "stack/ingress",
        ])
        let media = file.resources(("stack")).first
        #expect(media?.line == 8)
        #expect(media?.deploy == true)
        #expect(media?.after == ["ingress"])
        #expect(media?.config["environment"] == .string("TZ=UTC\nPUID=1000\n"))
    }

    /// A file with one mistake per line that matters, and where each must be reported.
    static let broken = """
        [[server]]
        name = "barbary"
        [server.config]
        enabled = "yes"

        [[stack]]
        name = "plex"
        [stack.config]
        swarm = "homelab"
        repo = "homelab/stacks"
        file_path = ["plex/compose.yaml"]
        auto_update = 1

        [[stack]]
        description = "no name"
        config = { swarm = "homelab", repo = "x" }

        [[stack]]
        name = "plex"
        config.swarm = "homelab"
        config.files_on_host = true

        [[stack]]
        name = "orphan"
        after = ["nothing-like-this"]

        [[procedure]]
        name = "nightly"
        [procedure.config]
        schedule_format = "Crontab"
        stage = [{ name = "s", executions = [{ execution = { type = "DeployStak", params = { stack = "plex" } } }, { execution = { type = "DeployStack", params = {} } }] }]

        [[stakc]]
        name = "typo"
        """

    @Test("every mistake is found and located at its line")
    func located() {
        let file = KomodoResourceFile.parse(Self.broken, file: "broken.toml")
        let found = file.issues.map { "\($0.line ?? 0) \($0.severity.rawValue) \($0.message)" }
        let expected: [(Int, String, String)] = [
            (4, "error", "server 'barbary': config.enabled: expected a boolean"),
            (11, "warning", "stack 'plex': config.file_path: not a field Komodo knows; it is ignored (did you mean 'file_paths'?)"),
            (12, "error", "stack 'plex': config.auto_update: expected a boolean (true or false), found an integer"),
            (14, "error", "stack #2: 'name' is required"),
            (18, "error", "stack 'plex' is declared twice (first at line 6)"),
            (23, "warning", "stack 'orphan': config has neither server nor swarm"),
            (25, "warning", "after names 'nothing-like-this'"),
            (30, "error", "procedure 'nightly': config.schedule_format: 'Crontab' is not one of English, Cron"),
            (31, "error", "'DeployStak' is not an execution Komodo runs (did you mean 'DeployStack'?)"),
            (31, "error", "DeployStack needs params.stack"),
            (33, "warning", "'stakc' is not a Komodo resource kind; it is ignored (did you mean 'stack'?)"),
        ]
        for (line, severity, text) in expected {
            #expect(file.issues.contains { $0.line == line && $0.severity.rawValue == severity && $0.message.contains(text) },
                    "no \(severity) at line \(line) saying \(text); found:\n\(found.joined(separator: "\n"))")
        }
        #expect(file.hasErrors)
        #expect(file.issues.allSatisfy { $0.line != nil }, "every finding is located: \(found)")
        #expect(file.issues.first?.description.hasPrefix("broken.toml:4: error: ") == true)
    }

    @Test("a syntax error is located at its line and column")
    func syntax() {
        let file = KomodoResourceFile.parse("[[stack]]\nname = \"a\"\nconfig = { swarm = \n", file: "bad.toml")
        #expect(file.issues.count == 1)
        #expect(file.issues.first?.line == 3)
        #expect(file.issues.first?.column != nil)
        #expect(file.issues.first?.message.hasPrefix("not valid TOML") == true)
    }

    /// Found by `Fuzz/Sources/fuzz-resource-sync`: toml++ aborts the process on these (an assertion in `parse_key`).
    @Test("a table header that does not start with a key is a located finding, not an abort", arguments: [
        ("[!", 1, 2), ("[\u{01}", 1, 2), ("[ !]", 1, 3), ("[[ .a]]", 1, 4), ("[[stack]]\nname = \"a\"\n[=", 3, 2),
        ("[\n", 1, 2), ("  [[ [a]]]", 1, 6),
    ])
    func headerWithoutKey(text: String, line: Int, column: Int) {
        Self.expectOneFinding(text, line, column, "not valid TOML: a table header must start with a key (a bare key or a quoted one)")
    }

    @Test("an array element that would start with } or , is a located finding, not an abort (fuzz-resource-sync)", arguments: [
        ("[[stack]]\nname = \"a\"\nafter = [} }]", 3, 10, "}"), ("a = [1, , 2]", 1, 9, ","), ("a = [\n  # c\n  ,]", 3, 3, ","),
        ("a = [[1], [}]]", 1, 12, "}"), ("a = { b = [ 1,}", 1, 15, "}"),
    ])
    func arrayElementMissing(text: String, line: Int, column: Int, found: String) {
        Self.expectOneFinding(text, line, column, "not valid TOML: an array element is missing before '\(found)'")
    }

    @Test("a date-time without a digit right after its T is a located finding, not an abort (fuzz-resource-sync)", arguments: [
        ("co =1979-05-27T\u{10}7:32:00Zparams", 1, 16), ("at = 1979-05-27tx7:32:00", 1, 17), ("a = [1979-05-27Tx7:32:00]", 1, 17),
        ("[[stack]]\nname = \"a\"\nb = { c = 1979-05-27T-07:32:00 }", 3, 22), ("a = 1979-05-27t:", 1, 16),
        ("a = [\n  1979-05-27T07:32:00,\n  1979-05-27T:\n]", 3, 14),
    ])
    func dateTimeWithoutTime(text: String, line: Int, column: Int) {
        Self.expectOneFinding(text, line, column, "not valid TOML: a date-time needs its time right after the 'T' (as in 1979-05-27T07:32:00)")
    }

    /// Text the pre-check refuses: no resources, and exactly one finding, at `line` and `column`, saying `message`.
    static func expectOneFinding(
        _ text: String, _ line: Int, _ column: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let file = KomodoResourceFile.parse(text, file: "komodo.toml")
        #expect(file.resources.isEmpty, sourceLocation: sourceLocation)
        #expect(file.issues.count == 1, sourceLocation: sourceLocation)
        #expect(file.issues.first?.line == line, sourceLocation: sourceLocation)
        #expect(file.issues.first?.column == column, sourceLocation: sourceLocation)
        #expect(file.issues.first?.message == message, sourceLocation: sourceLocation)
    }

    @Test("date-times, dates and keys shaped like dates pass the date-time check")
    func dateTimesThatAreFine() throws {
        let value = try KomodoTOMLSource.parse(#"""
            a = 1979-05-27T07:32:00Z
            b = 1979-05-27t07:32:00.999-07:00
            c = 1979-05-27 07:32:00
            d = 1979-05-27
            e = [1979-05-27T07:32:00, 07:32:00]
            f = "1979-05-27Tx"
            1979-05-27Tx = 1
            """#)
        #expect(value.count == 7)
        #expect(value["1979-05-27Tx"] == .integer(1))
    }

    @Test("arrays that are fine pass the element check: empty, a trailing comma, nested, tables inside, commas in strings")
    func arraysThatAreFine() throws {
        let value = try KomodoTOMLSource.parse(#"""
            a = []
            b = [1, 2,]
            c = [[1, 2], [3], []]
            d = [{ x = 1, y = [2, 3] }, { x = 4 }]
            e = [",", "}", ',']
            f = [
              1, # a comment, with a comma
              2,
            ]
            """#)
        #expect(value.count == 6)
    }

    @Test("a [ that opens an array element, or sits in a string or a comment, is not taken for a header")
    func bracketsThatAreNotHeaders() {
        let file = KomodoResourceFile.parse(#"""
            # [! a comment
            [[stack]]
            name = "a"
            [stack.config]
            file_paths = [
              "a.yaml",
            ]
            environment = """
            [!not a header
            """
            labels = [
              [
                "x",
              ],
              [{ k = "v" }],
            ]
            """#, file: "komodo.toml")
        #expect(!file.issues.contains { $0.message.contains("table header") }, "\(file.issues)")
        #expect(file.resources.count == 1)
    }

    @Test("plural kinds are aliases; a list written as one string is accepted; environment may be a list")
    func forgiving() {
        let file = KomodoResourceFile.parse("""
            [[stacks]]
            name = "a"
            config = { server = "barbary", files_on_host = true, file_paths = "a.yaml, b.yaml", environment = ["A=1", "B=2"] }
            """)
        #expect(file.issues.isEmpty, "\(file.issues)")
        #expect(file.resources.first?.kind == "stack")
    }

    @Test("lines: headers, dotted keys and keys after a multi-line string are found; inline keys fall back to their holder")
    func lineMap() {
        let lines = KomodoTOMLSource.lines(of: Self.valid)
        #expect(KomodoTOMLSource.line(of: [.key("stack"), .index(0), .key("config"), .key("file_paths")], in: lines) == 17)
        #expect(KomodoTOMLSource.line(of: [.key("stack"), .index(1), .key("config"), .key("run_directory")], in: lines) == 25)
        #expect(KomodoTOMLSource.line(of: [.key("resource_sync"), .index(0), .key("config"), .key("resource_path")], in: lines) == 31)
        #expect(KomodoTOMLSource.line(of: [.key("procedure"), .index(0), .key("config"), .key("schedule_format")], in: lines) == 36)
    }

    static func live(environment: String = "TZ=UTC\nPUID=1000\n") -> KomodoSyncPlan.Live {
        KomodoSyncPlan.Live(
            resources: [
                "server": ["barbary": Komodo.Resource(id: "sv1", name: "barbary", config: ["address": .string("https://10.0.0.10:8120"), "region": .string("home")])],
                "stack": [
                    "media-core": Komodo.Resource(id: "st1", name: "media-core", config: [
                        "swarm_id": .string("sw1"), "server_id": .string(""), "repo": .string("homelab/stacks"),
                        "file_paths": .array([.string("media-core/compose.yaml")]), "environment": .string(environment),
                    ]),
                    "old-stack": Komodo.Resource(id: "st9", name: "old-stack"),
                ],
            ],
            serverNames: ["sv1": "barbary"], swarmNames: ["sw1": "homelab"])
    }

    @Test("the plan: creates what is missing, updates per field (IDs compared by name, lists written as strings), deletes only when asked")
    func plan() {
        let file = KomodoResourceFile.parse(Self.valid)
        let plan = KomodoSyncPlan.compute(file: file, live: Self.live(environment: "TZ=Europe/Paris\nPUID=1000\n"))
        #expect(plan.changes.map { "\($0.action.rawValue) \($0.kind)/\($0.name)" } == [
            "create procedure/nightly-pull", "create resource_sync/homelab", "create stack/ingress", "update stack/media-core",
        ])
        let update = plan.changes.first { $0.action == .update }
        #expect(update?.fields.map(\.field) == ["config.environment"])
        #expect(update?.fields.first?.current?.contains("Europe/Paris") == true)
        let deleting = KomodoSyncPlan.compute(file: file, live: Self.live(), deleteMissing: true)
        #expect(deleting.changes.contains { $0.action == .delete && $0.name == "old-stack" })
        #expect(!deleting.changes.contains { $0.action == .update })
    }
}
