import HomelabCore
import Testing

@Suite("matchbox templates")
struct MatchboxTemplateTests {
    static let data: JSONValue = .object([
        "hostname": .string("lorcha"), "mac": .string("52:54:00:a1:00:21"), "count": .integer(3), "big": .integer(1_000_000),
        "keys": .array([.string("ssh-ed25519 A"), .string("ssh-ed25519 B")]),
        "request": .object(["query": .object(["mac": .string("52:54:00:a1:00:21")]), "raw_query": .string("mac=52-54-00-a1-00-21")]),
        "empty": .string(""),
    ])

    func render(_ text: String) throws(Matchbox.Template.Problem) -> String { try Matchbox.Template(text, name: "t").render(Self.data) }

    @Test(
        "the constructs matchbox's examples use render as Go renders them",
        arguments: [
            ("host {{.hostname}} at {{ .request.query.mac }}", "host lorcha at 52:54:00:a1:00:21"),
            ("{{range $k := .keys}}[{{$k}}]{{end}}", "[ssh-ed25519 A][ssh-ed25519 B]"),
            ("{{range $i, $k := .keys}}{{$i}}={{.}};{{end}}", "0=ssh-ed25519 A;1=ssh-ed25519 B;"),
            ("{{ if index . \"keys\" }}yes{{else}}no{{end}}", "yes"),
            ("{{ if index . \"missing\" }}yes{{else}}no{{end}}", "no"),
            ("{{if .empty}}a{{else if .count}}b{{else}}c{{end}}", "b"),
            ("{{with .request}}{{.raw_query}}{{end}}", "mac=52-54-00-a1-00-21"),
            ("a\n  {{- .hostname -}}  \nb", "alorchab"),
            ("{{/* a comment */}}x{{$h := .hostname}}{{$h}}", "xlorcha"),
            ("{{len .keys}} {{.count}} {{.big}} {{eq .hostname \"lorcha\"}} {{not .empty}}", "2 3 1e+06 true true"),
        ])
    func renders(text: String, expected: String) throws {
        #expect(try render(text) == expected)
    }

    @Test("matchbox's own /ipxe template renders kernel, args, initrds and boot, with its trimming")
    func ipxeTemplate() throws {
        let template = "#!ipxe\nkernel {{.Kernel}}{{range $arg := .Args}} {{$arg}}{{end}}\n{{- range $element := .Initrd }}\ninitrd {{$element}}\n{{- end}}\nboot\n"
        let data: JSONValue = .object([
            "Kernel": .string("/assets/linux"), "Args": .array([.string("a=1"), .string("b")]), "Initrd": .array([.string("/assets/i1"), .string("/assets/i2")]),
        ])
        #expect(try Matchbox.Template(template, name: "ipxe").render(data) == "#!ipxe\nkernel /assets/linux a=1 b\ninitrd /assets/i1\ninitrd /assets/i2\nboot\n")
    }

    @Test("a missing key fails as missingkey=error does, at its line and column")
    func missingKey() throws {
        do {
            _ = try render("line one\nhost {{.hostname}} {{.domain}}\n")
            Issue.record("rendered")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 20)
            #expect(error.message == "map has no entry for key \"domain\"")
            #expect(!error.isUnsupported)
            #expect(error.description == "t:2:20: map has no entry for key \"domain\"")
        }
    }

    @Test(
        "constructs this renderer does not support are reported as unsupported, located, never rendered differently",
        arguments: ["{{.hostname | printf \"%s\"}}", "{{printf \"%s\" .hostname}}", "{{define \"x\"}}y{{end}}", "{{template \"x\"}}", "{{(index . \"mac\")}}"])
    func unsupported(text: String) {
        #expect(throws: Matchbox.Template.Problem.self) { try Matchbox.Template(text, name: "t") }
        do {
            _ = try Matchbox.Template(text, name: "t")
        } catch {
            #expect(error.isUnsupported, "\(error)")
            #expect(error.line == 1 && error.column == 1)
        }
    }

    @Test("syntax errors are located", arguments: ["{{if .a}}x", "x{{end}}", "{{.a", "{{range .keys}}{{else if .a}}{{end}}"])
    func syntax(text: String) {
        #expect(throws: Matchbox.Template.Problem.self) { try Matchbox.Template(text, name: "t") }
    }

    @Test("template data: group metadata, selectors lower-cased, request query and raw query")
    func templateData() {
        let group = Matchbox.Group(id: "g", profile: "p", selector: ["MAC": "52:54:00:a1:00:21"], metadata: ["hostname": .string("lorcha")])
        let data = Matchbox.templateData(group: group, query: [("mac", "52-54-00-a1-00-21"), ("os", "installed")])
        guard case .object(let fields) = data, case .object(let request)? = fields["request"] else {
            Issue.record("not an object")
            return
        }
        #expect(fields["mac"] == .string("52:54:00:a1:00:21"))
        #expect(fields["hostname"] == .string("lorcha"))
        #expect(request["query"] == .object(["mac": .string("52:54:00:a1:00:21"), "os": .string("installed")]))
        #expect(request["raw_query"] == .string("mac=52-54-00-a1-00-21&os=installed"))
    }
}
