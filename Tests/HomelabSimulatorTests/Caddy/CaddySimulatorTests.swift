import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The simulated Caddy admin API: the client scenario the real caddy passes, the routes the example homelab's labels
/// produce with the deliberate differences, reload, metrics and the CLI.
@Suite("Simulated Caddy")
struct CaddySimulatorTests {
    static let binary = SimulatorHarness.repositoryRoot.appendingPathComponent(".build/debug/homelab").path

    static func connections(_ sim: SimulatorHarness) -> HomelabConnections {
        HomelabConnections(
            homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
    }

    @Test("the client scenario the real caddy passes also passes against the simulator (TCP and the unix socket)")
    func clientScenario() async throws {
        try await withSimulation { sim in
            let caddy = try await Self.connections(sim).caddy()
            try await CaddyClientScenario.run(caddy, httpPort: 18_080, upstream: "127.0.0.1:18081", admin: nil)
            let socket = try #require(sim.simulation.endpoints.listening[.caddy]?.socketPath)
            let overSocket = CaddyClient(transport: sim.transport, endpoint: .unixSocket(socket))
            #expect(try await overSocket.read(Caddy.Route.self, at: .id("hello")).value.hosts == ["hello.test"])
            var request = HTTPRequest(path: "/config/")
            request.headers.add(name: "Host", value: "caddy.example.com")
            let refused = try await HTTPClient(
                transport: sim.transport, endpoint: .unixSocket(socket), component: "caddy", middleware: []).send(request)
            #expect(refused.status == 403)
            #expect(refused.text.contains("host not allowed"))
        }
    }

    @Test("the live routes are the labels' routes, except tautulli's missing forward auth and bazarr's port")
    func seededRoutes() async throws {
        try await withSimulation { sim in
            let connections = Self.connections(sim)
            let routing = try await CaddyRouting.read(caddy: try await connections.caddy(), swarm: try await connections.swarm())
            let hosts = Caddy.byHost(routing.live)
            #expect(hosts.count == 20)
            #expect(hosts["grafana.home.arpa"]?.isProtected == true)
            #expect(hosts["grafana.home.arpa"]?.upstreams.allSatisfy { $0.hasSuffix(":3000") } == true)
            #expect(hosts["auth.home.arpa"]?.upstreams.isEmpty == false)
            #expect(routing.owner(of: "sonarr.home.arpa") == "media-core_sonarr")
            #expect(routing.rendering?.problems.isEmpty == true)
            let differences = routing.differences
            #expect(differences.map(\.host) == ["bazarr.home.arpa", "tautulli.home.arpa"])
            #expect(differences.map(\.kind) == [.upstreams, .forwardAuth])
            let findings = routing.protectionFindings(homelab: sim.simulation.homelab)
            #expect(findings.map(\.host) == ["tautulli.home.arpa", "wizarr.home.arpa"])
            #expect(findings.map(\.kind) == [.missingForwardAuth, .unlabelledPublic])

            // The upstreams on the wrong port count failures; the metrics say so.
            let reading = try await CaddyMetrics.read(try await connections.caddy())
            let text = MetricsText.string(CaddyMetrics.families(reading))
            #expect(text.contains("homelab_caddy_upstream_healthy{host=\"bazarr.home.arpa\""))
            #expect(text.split(separator: "\n").contains { $0.hasPrefix("homelab_caddy_upstream_healthy{host=\"bazarr.home.arpa\"") && $0.hasSuffix(" 0") })
            #expect(text.contains("homelab_caddy_routes 20"))

            // Loading the labels' Caddyfile restores them: only wizarr's missing label is left.
            let rendering = try #require(routing.rendering)
            try await connections.caddy().load(caddyfile: rendering.text)
            let reloaded = try await CaddyRouting.read(caddy: try await connections.caddy(), swarm: try await connections.swarm())
            #expect(reloaded.differences.isEmpty)
            #expect(reloaded.protectionFindings(homelab: sim.simulation.homelab).map(\.host) == ["wizarr.home.arpa"])
            await connections.close()
        }
    }

    @Test("answers keep Caddy's shapes: ETag on reads, 412 on a stale If-Match, 400 without JSON, Caddy's error body")
    func answerShapes() async throws {
        try await withSimulation { sim in
            let base = try #require(sim.simulation.homelab.components[.caddy]?.endpoint)
            let http = HTTPClient(transport: sim.transport, endpoint: base, component: "caddy", middleware: [])
            let read = try await http.send(HTTPRequest(path: "/config/apps/http/servers/srv0/listen"))
            #expect(read.status == 200)
            #expect(read.headers["Etag"]?.hasPrefix("\"/config/apps/http/servers/srv0/listen ") == true)
            var stale = HTTPRequest(method: .patch, path: "/config/apps/http/servers/srv0/listen", body: Array("[\":8443\"]".utf8))
            stale.headers.add(name: "Content-Type", value: "application/json")
            stale.headers.add(name: "If-Match", value: "\"/config/apps/http/servers/srv0/listen 0000000000000000\"")
            let refused = try await http.send(stale)
            #expect(refused.status == 412)
            #expect(refused.text == "{\"error\":\"If-Match header did not match current config hash\"}")
            var form = HTTPRequest(method: .post, path: "/config/apps/x", body: Array("1".utf8))
            form.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            #expect(try await http.send(form).status == 400)
            #expect(try await http.send(HTTPRequest(path: "/id/nope")).status == 404)
            #expect(try await http.send(HTTPRequest(path: "/config/apps/nope")).text == "null")
        }
    }

    @Test("homelab caddy routes|diff|unprotected|upstreams|reload on the simulated homelab (the built binary)")
    func commands() async throws {
        guard
            try RealServer.require(
                "the homelab binary", available: FileManager.default.isExecutableFile(atPath: Self.binary), hint: "swift build --build-tests")
        else { return }
        try await withSimulation { sim in
            let folder = try TemporaryFolder()
            let config = folder.file("homelab.yaml")
            try sim.simulation.writeConfig(to: config)
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_STATE_HOME"] = folder.path
            environment["COLUMNS"] = "200"
            func homelab(_ arguments: String...) async throws -> (Int32, String) {
                try await ChildProcess.run(Self.binary, arguments + ["--config", config], environment: environment, timeout: .seconds(120))
            }
            let (routesStatus, routes) = try await homelab("caddy", "routes")
            #expect(routesStatus == 0, "\(routes)")
            #expect(routes.contains("grafana.home.arpa") && routes.contains("monitoring_grafana"), "\(routes)")
            let (jsonStatus, json) = try await homelab("caddy", "routes", "-o", "json", "--host", "sonarr.home.arpa")
            #expect(jsonStatus == 0)
            #expect(json.contains("\"protected\" : true") && json.contains("\"service\" : \"media-core_sonarr\""), "\(json)")
            let (diffStatus, diff) = try await homelab("caddy", "diff", "-o", "json")
            #expect(diffStatus == 5, "\(diff)")
            #expect(diff.contains("\"kind\" : \"upstreams\"") && diff.contains("\"kind\" : \"forward_auth\""), "\(diff)")
            let (unprotectedStatus, unprotected) = try await homelab("caddy", "unprotected")
            #expect(unprotectedStatus == 5, "\(unprotected)")
            #expect(unprotected.contains("tautulli.home.arpa") && unprotected.contains("wizarr.home.arpa"), "\(unprotected)")
            let (upstreamsStatus, upstreams) = try await homelab("caddy", "upstreams")
            #expect(upstreamsStatus == 0)
            #expect(upstreams.contains(":6768") && upstreams.contains("failing"), "\(upstreams)")
            let (dryStatus, dry) = try await homelab("caddy", "reload", "--dry-run")
            #expect(dryStatus == 0)
            #expect(dry.contains("(authentik) {") && dry.contains("import authentik"), "\(dry)")
            let (reloadStatus, reload) = try await homelab("caddy", "reload")
            #expect(reloadStatus == 0, "\(reload)")
            let (afterStatus, after) = try await homelab("caddy", "diff")
            #expect(afterStatus == 0, "\(after)")
        }
    }
}
