import Foundation
import Testing

@testable import HomelabCore

/// Reading routes out of Caddy's JSON (the shapes the real caddy produced) and Caddyfiles, and the checks on them.
@Suite("Caddy routes and checks")
struct CaddyRouteTests {
    static func fixture(_ name: String, _ ext: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures/caddy"))
        return try Data(contentsOf: url)
    }

    @Test("forward_auth is recognised in the JSON both Caddy 2.6 and 2.11 adapt it to", arguments: ["2.6.2", "2.11.7"])
    func forwardAuthShapes(version: String) throws {
        let config = try JSONDecoder().decode(Caddy.Config.self, from: Self.fixture("adapt-forward-auth-\(version)", "json"))
        let routes = Caddy.byHost(Caddy.siteRoutes(in: config))
        let grafana = try #require(routes["grafana.home.arpa"])
        #expect(grafana.isProtected)
        #expect(grafana.forwardAuth?.upstreams == ["authentik-server:9000"])
        #expect(grafana.forwardAuth?.uri == "/outpost.goauthentik.io/auth/caddy")
        #expect(Set(grafana.forwardAuth?.copiedHeaders ?? []) == ["X-Authentik-Username", "X-Authentik-Groups", "X-Authentik-Email"])
        #expect(grafana.upstreams == ["10.0.1.5:3000", "10.0.1.6:3000"])
        #expect(grafana.handlers == ["forward_auth", "reverse_proxy"])
        let git = try #require(routes["git.home.arpa"])
        #expect(!git.isProtected)
        #expect(git.upstreams == ["10.0.2.5:3000"])
    }

    @Test("the Caddyfile reads as the real adapter's JSON does")
    func caddyfileMatchesAdapter() throws {
        let caddyfile = try Caddyfile.parse(String(decoding: Self.fixture("forward-auth", "Caddyfile"), as: UTF8.self))
        let config = try JSONDecoder().decode(Caddy.Config.self, from: Self.fixture("adapt-forward-auth-2.6.2", "json"))
        #expect(Caddy.differences(labels: Caddy.siteRoutes(in: caddyfile), live: Caddy.siteRoutes(in: config)).isEmpty)
    }

    @Test("a forward_auth after the proxy, or to another URI, does not protect")
    func forwardAuthOrder() {
        let auth = Caddy.Handler(
            .reverseProxy, upstreams: [Caddy.Upstream(dial: "authentik-server:9000")],
            rewrite: Caddy.Rewrite(method: "GET", uri: Caddy.authentikOutpostPath),
            handleResponse: [Caddy.ResponseHandler(routes: [Caddy.Route(handle: [
                Caddy.Handler(.headers, request: .object(["set": .object(["X-Authentik-Username": .array([.string("x")])])]))
            ])])])
        func route(_ handlers: [Caddy.Handler]) -> Caddy.SiteRoute {
            Caddy.siteRoutes(in: Caddy.Config(apps: Caddy.Apps(http: Caddy.HTTPApp(servers: ["srv0": Caddy.HTTPServer(routes: [
                Caddy.Route(match: [Caddy.MatcherSet(host: ["a.test"])], handle: [.subroute([Caddy.Route(handle: handlers)])])
            ])]))))[0]
        }
        #expect(route([auth, .reverseProxy(["10.0.0.5:80"])]).isProtected)
        #expect(!route([.reverseProxy(["10.0.0.5:80"]), auth]).isProtected)
        var elsewhere = auth
        elsewhere.rewrite?.uri = "/auth"
        #expect(!route([elsewhere, .reverseProxy(["10.0.0.5:80"])]).isProtected)
    }

    @Test("unknown fields survive a decode and encode of the whole configuration")
    func unknownFieldsKept() throws {
        let json = """
            {"admin":{"listen":"localhost:2019"},"logging":{"logs":{}},"apps":{"tls":{"automation":{}},"http":{"grace_period":1,
            "servers":{"srv0":{"listen":[":443"],"logs":{},"routes":[{"@id":"r","group":"g","match":[{"host":["a"],"header":{"X":["1"]}}],
            "handle":[{"handler":"reverse_proxy","upstreams":[{"dial":"a:1","max_requests":5}],"load_balancing":{"selection_policy":{"policy":"first"}}},
            {"handler":"some_plugin","setting":true}],"terminal":true}]}}}}}
            """
        let config = try JSONDecoder().decode(Caddy.Config.self, from: Data(json.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let again = try JSONSerialization.jsonObject(with: encoder.encode(config)) as? NSDictionary
        let original = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary
        #expect(again == original)
        #expect(config.httpServers["srv0"]?.routes?.first?.handle?.last?.handler == .unknown("some_plugin"))
    }

    @Test("site addresses and upstream dials read as Caddy's adapter reads them")
    func addresses() {
        #expect(Caddy.siteHosts(["a.test,", "https://b.test:443/path", "http://c.test"]) == ["a.test", "b.test", "c.test"])
        #expect(Caddy.dial("10.0.0.5:8080") == "10.0.0.5:8080")
        #expect(Caddy.dial("http://app") == "app:80")
        #expect(Caddy.dial("https://app") == "app:443")
        #expect(Caddy.dial("h2c://app:9000") == "app:9000")
        #expect(Caddy.dial("{http.request.host}") == "{http.request.host}")
    }

    @Test("admin API addresses percent-encode segments and refuse unusable @ids")
    func apiPaths() throws {
        #expect(try Caddy.Address.path("apps/http/servers/srv0").apiPath() == "/config/apps/http/servers/srv0")
        #expect(try Caddy.Address.path(.root).apiPath() == "/config/")
        #expect(try Caddy.Address.id("hello", "handle/0").apiPath() == "/id/hello/handle/0")
        #expect(try Caddy.Address.path(Caddy.ConfigPath(["servers", "a b"])).apiPath() == "/config/servers/a%20b")
        #expect(throws: HomelabError.self) { try Caddy.Address.id("a/b").apiPath() }
    }

    @Test("diff finds a missing host, an unexpected one, different upstreams and a dropped forward_auth")
    func differences() {
        let auth = Caddy.ForwardAuth(upstreams: ["authentik-server:9000"], uri: Caddy.authentikOutpostPath, copiedHeaders: ["X-Authentik-Username"])
        let labels = [
            Caddy.SiteRoute(host: "a.test", forwardAuth: auth, isProtected: true, upstreams: ["10.0.0.1:80"]),
            Caddy.SiteRoute(host: "b.test", upstreams: ["10.0.0.2:80"]),
            Caddy.SiteRoute(host: "c.test", upstreams: ["10.0.0.3:80"]),
        ]
        let live = [
            Caddy.SiteRoute(host: "a.test", upstreams: ["10.0.0.1:80"]),
            Caddy.SiteRoute(host: "b.test", upstreams: ["10.0.0.2:81"]),
            Caddy.SiteRoute(host: "d.test", upstreams: ["10.0.0.4:80"]),
        ]
        let found = Caddy.differences(labels: labels, live: live)
        #expect(found.map(\.host) == ["a.test", "b.test", "c.test", "d.test"])
        #expect(found.map(\.kind) == [.forwardAuth, .upstreams, .missing, .unexpected])
        #expect(found[1].labels == "10.0.0.2:80")
        #expect(found[1].live == "10.0.0.2:81")
    }

    @Test("unprotected: protected by tier or flag without forward auth, and public routes without homelab.public")
    func protectionFindings() {
        let homelab = Homelab(
            name: "lab", nodes: [], tiers: ["platform", "application"],
            stacks: [
                Homelab.Stack(name: "apps", tier: "application", services: [
                    Homelab.Service(name: "tautulli", stack: "apps", tier: "application"),
                    Homelab.Service(name: "wizarr", stack: "apps", tier: "application", protected: false),
                    Homelab.Service(name: "plex", stack: "apps", tier: "application", labels: ["homelab.public": "true"], protected: false),
                    Homelab.Service(name: "sonarr", stack: "apps", tier: "application"),
                ])
            ])
        var lab = homelab
        lab.protectedTiers = ["application"]
        let auth = Caddy.ForwardAuth(upstreams: ["a:9000"], uri: Caddy.authentikOutpostPath, copiedHeaders: ["X-Authentik-Uid"])
        let live = [
            Caddy.SiteRoute(host: "tautulli.test", upstreams: ["t:8181"]),
            Caddy.SiteRoute(host: "wizarr.test", upstreams: ["w:5690"]),
            Caddy.SiteRoute(host: "plex.test", upstreams: ["p:32400"]),
            Caddy.SiteRoute(host: "sonarr.test", forwardAuth: auth, isProtected: true, upstreams: ["s:8989"]),
            Caddy.SiteRoute(host: "stray.test", upstreams: ["x:1"]),
        ]
        let owners = ["tautulli.test": ["apps_tautulli"], "wizarr.test": ["apps_wizarr"], "plex.test": ["apps_plex"], "sonarr.test": ["apps_sonarr"]]
        let labels = ["apps_plex": ["homelab.public": "true"]]
        let findings = Caddy.protectionFindings(live: live, owners: owners, labels: labels, homelab: lab)
        #expect(findings.map(\.host) == ["stray.test", "tautulli.test", "wizarr.test"])
        #expect(findings.map(\.kind) == [.unlabelledPublic, .missingForwardAuth, .unlabelledPublic])
        #expect(findings[1].detail.contains("protected_tiers"))
    }
}
