import Foundation
import Testing

@testable import HomelabCore

/// caddy-docker-proxy's label grammar, on the label sets of its own tests and README (caddyfile/testdata/labels).
@Suite("caddy-docker-proxy labels")
struct CaddyLabelTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let labels: [String: String]
        let expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "escaped dots", labels: [
                "caddy": "(extendable-proxy)", "caddy.reverse_proxy.{blocks\\.proxy_target}": "",
                "caddy.reverse_proxy.{blocks\\.proxy_options}": "",
            ],
            expected: "(extendable-proxy) {\n\treverse_proxy {\n\t\t{blocks.proxy_options}\n\t\t{blocks.proxy_target}\n\t}\n}\n"),
        Case(
            name: "follow alphabetical order", labels: ["caddy": "localhost", "caddy.bbb": "value", "caddy.aaa": "value"],
            expected: "localhost {\n\taaa value\n\tbbb value\n}\n"),
        Case(name: "global options", labels: ["caddy.key": "value"], expected: "{\n\tkey value\n}\n"),
        Case(
            name: "global options come first", labels: ["caddy_0": "localhost", "caddy_0.tls": "internal", "caddy_1.key": "value"],
            expected: "{\n\tkey value\n}\nlocalhost {\n\ttls internal\n}\n"),
        Case(
            name: "grouping", labels: [
                "caddy": "localhost", "caddy.group.a": "value-a", "caddy.group.b": "value-b", "caddy.group.group.a": "value-a",
                "caddy.group.group.b": "value-b",
            ],
            expected: "localhost {\n\tgroup {\n\t\ta value-a\n\t\tb value-b\n\t\tgroup {\n\t\t\ta value-a\n\t\t\tb value-b\n\t\t}\n\t}\n}\n"),
        Case(
            name: "isolate directives with suffix", labels: [
                "caddy": "localhost", "caddy.groupb_1.a": "value", "caddy.groupb_2.b": "value", "caddy.groupa_1.a": "value",
                "caddy.groupa_2.b": "value",
            ],
            expected: "localhost {\n\tgroupa {\n\t\ta value\n\t}\n\tgroupa {\n\t\tb value\n\t}\n\tgroupb {\n\t\ta value\n\t}\n\tgroupb {\n\t\tb value\n\t}\n}\n"),
        Case(
            name: "matchers come first", labels: [
                "caddy": "localhost", "caddy.@matcher.path": "/path1 /path2", "caddy.respond": "@matcher 200", "caddy.1_tls": "internal",
            ],
            expected: "localhost {\n\t@matcher {\n\t\tpath /path1 /path2\n\t}\n\ttls internal\n\trespond @matcher 200\n}\n"),
        Case(
            name: "order and isolate directives with prefix", labels: [
                "caddy": "localhost", "caddy.1_bbb": "value", "caddy.2_aaa": "value", "caddy.3_merged.a": "value",
                "caddy.3_merged.b": "value", "caddy.4_isolated.a": "value", "caddy.5_isolated.b": "value",
            ],
            expected: "localhost {\n\tbbb value\n\taaa value\n\tmerged {\n\t\ta value\n\t\tb value\n\t}\n\tisolated {\n\t\ta value\n\t}\n\tisolated {\n\t\tb value\n\t}\n}\n"),
        Case(
            name: "quotes", labels: [
                "caddy.0_with_spaces": "\"a b c d\"", "caddy.1_without_spaces": "\"abcd\"", "caddy.2_multiple": "\"a b c d\" \"abcd\"",
                "caddy.3_back": "`{\"some\":\"json\"}`", "caddy.4_escaped": "\"a\\\"b\"",
            ],
            expected: "{\n\twith_spaces \"a b c d\"\n\twithout_spaces abcd\n\tmultiple \"a b c d\" abcd\n\tback `{\"some\":\"json\"}`\n\tescaped `a\"b`\n}\n"),
        Case(
            name: "snippets come first", labels: [
                "caddy_0": "aaa.com", "caddy_0.import": "my-snippet", "caddy_1": "(my-snippet)", "caddy_1.tls": "internal",
            ],
            expected: "(my-snippet) {\n\ttls internal\n}\naaa.com {\n\timport my-snippet\n}\n"),
        Case(name: "templates empty values", labels: ["caddy": "localhost", "caddy.key": "{{\"\"}}"], expected: "localhost {\n\tkey\n}\n"),
    ]

    @Test("renders the Caddyfile caddy-docker-proxy's own tests expect", arguments: cases)
    func rendersAsCaddyDockerProxy(_ testCase: Case) throws {
        let rendered = try CaddyLabels.caddyfile(from: testCase.labels, data: .init(serviceName: "s", targets: [])).text
        #expect(rendered == testCase.expected)
    }

    @Test("two services naming the same wildcard site merge into one block (README: wildcard certificates)")
    func wildcardMerge() {
        let foo = CaddyDockerProxy.LabelledService(
            name: "foo", labels: ["caddy": "*.example.com", "caddy.1_@foo": "host foo.example.com", "caddy.1_handle": "@foo",
                                  "caddy.1_handle.reverse_proxy": "foo:8080"], targets: [])
        let bar = CaddyDockerProxy.LabelledService(
            name: "bar", labels: ["caddy": "*.example.com", "caddy.2_@bar": "host bar.example.com", "caddy.2_handle": "@bar",
                                  "caddy.2_handle.reverse_proxy": "bar:8080"], targets: [])
        let rendering = CaddyDockerProxy().render([foo, bar])
        #expect(rendering.text == "*.example.com {\n\t@foo host foo.example.com\n\t@bar host bar.example.com\n\thandle @foo {\n\t\treverse_proxy foo:8080\n\t}\n\thandle @bar {\n\t\treverse_proxy bar:8080\n\t}\n}\n")
        #expect(rendering.owners["*.example.com"]?.sorted() == ["bar", "foo"])
    }

    @Test("{{upstreams}} lists the task addresses, sorted, with protocol and port (README example)")
    func upstreamsExpansion() throws {
        let data = CaddyLabels.TemplateData(serviceName: "stack_app", targets: ["10.0.1.6", "10.0.1.5"])
        let labels = ["caddy": "app.example.com", "caddy.reverse_proxy": "{{upstreams 8080}}", "caddy.tls": "internal"]
        #expect(try CaddyLabels.caddyfile(from: labels, data: data).text
            == "app.example.com {\n\treverse_proxy 10.0.1.5:8080 10.0.1.6:8080\n\ttls internal\n}\n")
        #expect(try CaddyLabels.expand("{{upstreams https 8443}}", data: data) == "https://10.0.1.5:8443 https://10.0.1.6:8443")
        #expect(try CaddyLabels.expand("{{ upstreams }}", data: data) == "10.0.1.5 10.0.1.6")
        #expect(try CaddyLabels.expand("{{.Spec.Name}}.lan", data: data) == "stack_app.lan")
        #expect(throws: HomelabError.self) { try CaddyLabels.expand("{{ index .Names 0 }}", data: data) }
        #expect(throws: HomelabError.self) { try CaddyLabels.expand("{{upstreams", data: data) }
    }

    @Test("labels of other prefixes and caddy-docker-proxy's own settings are not Caddyfile labels",
          arguments: [("caddy", true), ("caddy.tls", true), ("caddy_0", true), ("caddy_12.reverse_proxy", true),
                      ("caddy_ingress_network", false), ("caddy_controlled_server", false), ("caddyx", false), ("homelab.public", false)])
    func caddyLabelNames(label: String, isCaddy: Bool) {
        #expect(CaddyLabels.isCaddyLabel(label) == isCaddy)
    }

    @Test("a service whose template fails is skipped and reported, the others still render")
    func badTemplateIsReported() {
        let good = CaddyDockerProxy.LabelledService(name: "good", labels: ["caddy": "a.test", "caddy.respond": "ok"], targets: [])
        let bad = CaddyDockerProxy.LabelledService(name: "bad", labels: ["caddy": "b.test", "caddy.respond": "{{ nope }}"], targets: [])
        let rendering = CaddyDockerProxy().render([good, bad])
        #expect(rendering.text == "a.test {\n\trespond ok\n}\n")
        #expect(rendering.problems.map(\.service) == ["bad"])
    }

    @Test("a Caddyfile parses into the blocks it prints")
    func parseRoundTrip() throws {
        let text = "{\n\temail ops@home.arpa\n}\n(authentik) {\n\tforward_auth authentik-server:9000 {\n\t\turi /outpost.goauthentik.io/auth/caddy\n\t}\n}\na.home.arpa, b.home.arpa {\n\timport authentik\n\treverse_proxy 10.0.0.5:80 # comment\n}\n"
        let parsed = try Caddyfile.parse(text)
        #expect(parsed.blocks.count == 3)
        #expect(parsed.blocks[2].keys == ["a.home.arpa,", "b.home.arpa"])
        #expect(try Caddyfile.parse(parsed.text).text == parsed.text)
        #expect(throws: HomelabError.self) { try Caddyfile.parse("a {\n") }
        #expect(throws: HomelabError.self) { try Caddyfile.parse("}\n") }
    }
}
