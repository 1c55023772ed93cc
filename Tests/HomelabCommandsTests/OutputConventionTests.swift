import Foundation
import HomelabCore
import Testing

@testable import HomelabCommands

/// The pieces every command's output is made of, without a homelab.
@Suite("output conventions")
struct OutputConventionTests {
    struct Row: Encodable {
        var name: String
        var image: String
        var since: Date?
    }

    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    static let table = Table<Row>([
        .init("NAME") { .text($0.name) },
        .init("IMAGE") { .text($0.image) },
        .init("SINCE") { .time($0.since) },
        .init("EXTRA", wide: true) { _ in .state("ok", .good) },
    ])
    static let rows = [
        Row(name: "ingress_caddy", image: "lucaslorentz/caddy-docker-proxy:2.9-alpine", since: now.addingTimeInterval(-180)),
        Row(name: "db", image: "postgres:17", since: nil),
    ]

    func render(width: Int?, wide: Bool = false, interactive: Bool = false, environment: [String: String] = [:]) -> String {
        let (terminal, _) = Terminal.capturing(interactive: interactive, width: width, environment: environment, now: { Self.now })
        return Self.table.render(Self.rows, wide: wide, terminal: terminal)
    }

    @Test("columns two spaces apart, relative times, no trailing spaces")
    func plainTable() {
        #expect(
            render(width: nil) == """
                NAME           IMAGE                                       SINCE
                ingress_caddy  lucaslorentz/caddy-docker-proxy:2.9-alpine  3 minutes ago
                db             postgres:17                                 -
                """)
    }

    @Test("a narrow terminal cuts the widest column with an ellipsis, and every line fits", arguments: [60, 45, 30])
    func fitted(width: Int) {
        let text = render(width: width)
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= width }, "\(text)")
        #expect(text.contains("…"))
        if width >= 45 { #expect(text.contains("ingress_caddy"), "the narrower columns are left whole") }
    }

    @Test("wide adds its columns and is never cut")
    func wide() {
        let text = render(width: 20, wide: true)
        #expect(text.contains("EXTRA") && text.contains("lucaslorentz/caddy-docker-proxy:2.9-alpine") && !text.contains("…"))
    }

    @Test("colour on a terminal only, never with NO_COLOR or TERM=dumb")
    func colour() {
        #expect(render(width: nil, wide: true, interactive: true).contains("\u{1B}[32mok"))
        #expect(!render(width: nil, wide: true, interactive: false).contains("\u{1B}["))
        #expect(!render(width: nil, wide: true, interactive: true, environment: ["NO_COLOR": "1"]).contains("\u{1B}["))
        #expect(!render(width: nil, wide: true, interactive: true, environment: ["TERM": "dumb"]).contains("\u{1B}["))
        #expect(render(width: nil, wide: true, interactive: true, environment: ["NO_COLOR": ""]).contains("\u{1B}["), "empty NO_COLOR is unset")
    }

    static let relativeTimes: [(Double, String)] = [
        (0.5, "just now"), (42, "42 seconds ago"), (60, "1 minute ago"), (180, "3 minutes ago"), (7_200, "2 hours ago"),
        (259_200, "3 days ago"), (1_209_600, "2 weeks ago"), (34_560_000, "1 year ago"), (-3_600, "in 1 hour"),
    ]

    @Test("relative times", arguments: relativeTimes)
    func relative(secondsAgo: Double, text: String) {
        #expect(RelativeTime.describe(Self.now.addingTimeInterval(-secondsAgo), now: Self.now) == text)
    }

    @Test("JSON: sorted keys, ISO 8601 dates, nil omitted; YAML: the same document, ambiguous strings quoted")
    func structured() throws {
        let json = try StructuredOutput.encode(Self.rows, as: .json)
        #expect(json.contains(#""since" : "2026-05-28T20:23:40Z""#), "\(json)")
        #expect(json.range(of: #""image"[^}]*"name"[^}]*"since""#, options: .regularExpression) != nil, "sorted keys")
        #expect(!json.contains("null"))
        struct Tricky: Encodable {
            var version = "1.10"
            var enabled = "yes"
            var count = 3
            var on = true
        }
        let yaml = try StructuredOutput.encode(Tricky(), as: .yaml)
        #expect(yaml == "count: 3\nenabled: 'yes'\n'on': true\nversion: '1.10'", "\(yaml)")
        let rows = try StructuredOutput.encode(Self.rows, as: .yaml)
        #expect(rows.hasPrefix("- image: lucaslorentz/caddy-docker-proxy:2.9-alpine\n  name: ingress_caddy\n  since: '2026-05-28T20:23:40Z'"), "\(rows)")
    }

    @Test("-q prints identifiers only; line() goes to standard error under -o json and nowhere under -q")
    func quietAndLines() throws {
        let (terminal, captured) = Terminal.capturing()
        try Output(format: .table, quiet: true, terminal: terminal).list(Self.rows, table: Self.table, id: \.name)
        Output(format: .table, quiet: true, terminal: terminal).line("progress")
        Output(format: .json, terminal: terminal).line("to stderr")
        #expect(captured.output == "ingress_caddy\ndb\n")
        #expect(captured.error == "to stderr\n")
    }

    @Test("a registered secret never reaches the terminal")
    func secretMasked() {
        let secret = Secret("hl-output-canary-93a1")
        _ = secret
        let (terminal, captured) = Terminal.capturing()
        terminal.print("token is hl-output-canary-93a1")
        terminal.printError("again hl-output-canary-93a1")
        #expect(!captured.output.contains("hl-output-canary") && !captured.error.contains("hl-output-canary"))
    }

    @Test("a message line wraps to the terminal's width at spaces and keeps every word", arguments: [60, 30, 12])
    func wrappedMessage(width: Int) {
        let message = "could not be read: timed out: reading TrueNAS's pools and alerts took more than 5 s (https://barbary.lab/api/current)"
        let lines = OverviewRenderer.wrap(message, indent: 2, width: width)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= width }, "\(lines)")
        #expect(lines.first?.hasPrefix("  could") == true)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("    ") && !$0.hasPrefix("     ") })
        // Every character of the message is there, in order (spaces aside: wrapping replaces them).
        #expect(lines.joined().replacingOccurrences(of: " ", with: "") == message.replacingOccurrences(of: " ", with: ""))
        #expect(OverviewRenderer.wrap("short", indent: 2, width: width) == ["  short"])
        #expect(OverviewRenderer.wrap(message, indent: 2, width: nil) == ["  " + message])
    }
}

