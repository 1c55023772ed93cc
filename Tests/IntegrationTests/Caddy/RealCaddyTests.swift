import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// The Caddy client against the real caddy, Debian's 2.6 and the official 2.11, each started by the test on
/// 127.0.0.1 with its admin API and HTTP on private ports.
@Suite("Caddy admin API on real caddy", .serialized)
struct RealCaddyTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test("load, read, @id, If-Match patch, 412 and retry, append, delete, adapt and upstreams", arguments: RealCaddy.Build.allCases)
    func clientScenario(build: RealCaddy.Build) async throws {
        try await RealCaddy.with(build) { caddy in
            try await TestHTTPServer.with { upstream in
                let transport = try CurlTransport()
                defer { transport.shutdown() }
                let client = CaddyClient(transport: transport, endpoint: .url(caddy.adminURL))
                let upstreamAddress = "127.0.0.1:\(upstream.port)"
                try await CaddyClientScenario.run(client, httpPort: caddy.httpPort, upstream: upstreamAddress, admin: caddy.adminConfig)

                // The routes answer through Caddy: the patched static route, and the proxy to the local server.
                let site = HTTPClient(transport: transport, endpoint: .url("http://127.0.0.1:\(caddy.httpPort)"), component: "site", middleware: [])
                let hello = try await site.send(HTTPRequest(path: "/", headers: ["Host": "hello.test"]))
                #expect(hello.status == 200)
                #expect(hello.text == "modified")
                let proxied = try await site.send(HTTPRequest(path: "/echo/through-caddy", headers: ["Host": "app.test"]))
                #expect(proxied.status == 200)
                #expect(proxied.text.contains("/echo/through-caddy"))
            }
        }
    }

    @Test("the admin API on a unix socket answers with an empty Host", arguments: RealCaddy.Build.allCases)
    func unixSocket(build: RealCaddy.Build) async throws {
        try await RealCaddy.with(build, socket: true) { caddy in
            let transport = try CurlTransport()
            defer { transport.shutdown() }
            let socket = try #require(caddy.socketPath)
            let client = CaddyClient(transport: transport, endpoint: .unixSocket(socket))
            let config = try await client.read(at: .path("admin/listen"))
            #expect(config.value == .string("unix/" + socket))
            // Caddy 2.6 refuses a Host header on the socket, and the error says what to do (2.11 accepts `localhost`).
            let named = CaddyClient(http: HTTPClient(transport: transport, endpoint: .unixSocket(socket, host: "localhost"), component: "caddy"))
            do {
                _ = try await named.read(at: .path("admin"))
                #expect(build == .official, "Caddy 2.6 accepted a Host header on its admin socket")
            } catch let error as HomelabError {
                #expect(build == .debian)
                #expect(error.status == 403)
                #expect(error.message.contains("empty on a unix socket"))
            }
        }
    }

    @Test("the example inventory's labels render a Caddyfile the real caddy adapts, and it reads back as the labels say",
          arguments: RealCaddy.Build.allCases)
    func renderedCaddyfileAdapts(build: RealCaddy.Build) async throws {
        try await RealCaddy.with(build) { caddy in
            let homelab = try InventoryLoader.load(path: Self.repositoryRoot.appendingPathComponent("Examples/homelab.yaml").path)
            let services = homelab.services.enumerated().map { index, service in
                CaddyDockerProxy.LabelledService(name: service.swarmName, labels: service.labels, targets: ["10.0.1.\(index + 2)", "10.0.2.\(index + 2)"])
            }
            let rendering = CaddyDockerProxy().render(services)
            #expect(rendering.problems.isEmpty)
            let transport = try CurlTransport()
            defer { transport.shutdown() }
            let client = CaddyClient(transport: transport, endpoint: .url(caddy.adminURL))
            let adapted = try await client.adapt(caddyfile: rendering.text)
            let live = Caddy.byHost(Caddy.siteRoutes(in: try adapted.config()))
            let labelled = Caddy.byHost(Caddy.siteRoutes(in: rendering.caddyfile))
            #expect(live.count == 20)
            #expect(Set(live.keys) == Set(labelled.keys))
            for (host, route) in labelled {
                #expect(live[host]?.upstreams == route.upstreams, "\(host)")
                #expect(live[host]?.isProtected == route.isProtected, "\(host)")
            }
            #expect(live["grafana.home.arpa"]?.isProtected == true)
            #expect(live["git.home.arpa"]?.isProtected == false)
            #expect(Caddy.differences(labels: Caddy.siteRoutes(in: rendering.caddyfile), live: Caddy.siteRoutes(in: try adapted.config())).isEmpty)
        }
    }

    @Test("caddy-docker-proxy's README label sets render Caddyfiles the real caddy adapts", arguments: RealCaddy.Build.allCases)
    func readmeLabelSetsAdapt(build: RealCaddy.Build) async throws {
        try await RealCaddy.with(build) { caddy in
            let transport = try CurlTransport()
            defer { transport.shutdown() }
            let client = CaddyClient(transport: transport, endpoint: .url(caddy.adminURL))
            for labels in CaddyReadmeLabels.adaptable {
                let service = CaddyDockerProxy.LabelledService(name: "stack_app", labels: labels, targets: ["10.0.1.5", "10.0.1.6"])
                let rendering = CaddyDockerProxy().render([service])
                #expect(rendering.problems.isEmpty)
                _ = try await client.adapt(caddyfile: rendering.text)
            }
        }
    }
}

/// Label sets from caddy-docker-proxy's README that make complete, adaptable Caddyfiles.
enum CaddyReadmeLabels {
    static let adaptable: [[String: String]] = [
        ["caddy": "example.com", "caddy.reverse_proxy": "{{upstreams 80}}"],
        ["caddy": "app.example.com", "caddy.reverse_proxy": "{{upstreams 8080}}", "caddy.tls": "internal"],
        ["caddy": "example.com", "caddy.redir": "/ /api/ 308", "caddy.reverse_proxy": "/api/* {{upstreams 8080}}"],
        [
            "caddy_0": "(snippet)", "caddy_0.tls": "internal",
            "caddy_1": "site-a.com", "caddy_1.import": "snippet", "caddy_1.reverse_proxy": "{{upstreams}}",
        ],
        [
            "caddy": "example.com", "caddy.@match.path": "/sourcepath /sourcepath/*",
            "caddy.reverse_proxy": "@match {{upstreams http 8080}}",
        ],
        ["caddy": "*.example.com", "caddy.1_@foo": "host foo.example.com", "caddy.1_handle": "@foo", "caddy.1_handle.reverse_proxy": "foo:8080"],
    ]
}
