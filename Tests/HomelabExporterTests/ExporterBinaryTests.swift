import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

@Suite("The homelab-exporter executable", .serialized)
struct ExporterBinaryTests {
    static let promtool = RealServer.executable(["promtool"])
    static let prometheus = RealServer.executable(["prometheus"])

    @Test("homelab-exporter is built where tests run under CI")
    func builtUnderCI() throws {
        #expect(try RealServer.require("the homelab-exporter binary", available: ExporterProcess.built, hint: "swift build --build-tests"))
    }

    @Test("/metrics passes promtool check metrics; gzip when asked; landing page, healthz, probe", .enabled(if: ExporterProcess.built))
    func promtoolChecks() async throws {
        guard try RealServer.require("promtool", available: Self.promtool != nil, hint: "apt-get install prometheus") else { return }
        let exporter = try await ExporterProcess.start()
        defer { Task { await exporter.stop() } }
        let response = try await exporter.get("/metrics")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.text.contains(#"homelab_up{component="docker"} 1"#))
        #expect(response.text.contains(#"homelab_rollout_last_run_status{status="completed"} 1"#))
        #expect(response.text.contains("process_resident_memory_bytes "))
        let (status, output) = try await ChildProcess.run(try #require(Self.promtool), ["check", "metrics"], input: response.body)
        #expect(status == 0, "promtool: \(output)")

        let zipped = try await exporter.get("/metrics", headers: [("Accept-Encoding", "gzip")])
        #expect(zipped.headers["Content-Encoding"] == "gzip")
        #expect(Array(zipped.body.prefix(2)) == [0x1f, 0x8b])

        let probe = try await exporter.get("/probe?target=docker")
        #expect(probe.text.contains(#"homelab_up{component="docker"} 1"#))
        #expect(!probe.text.contains("process_"), "the exporter's own metrics only on /metrics")
        #expect(try await exporter.get("/probe?target=nonexistent").status == 400)
        #expect(try await exporter.get("/probe").status == 400)
        #expect(try await exporter.get("/healthz").text == "ok\n")
        let landing = try await exporter.get("/").text
        #expect(landing.contains(#"href="/metrics""#) && landing.contains("/probe?target=docker"))
    }

    @Test("a hanging component gives up 0 within the scrape's deadline", .enabled(if: ExporterProcess.built))
    func deadline() async throws {
        let exporter = try await ExporterProcess.start(faults: [.docker: FaultPlan(hangRate: 1)])
        defer { Task { await exporter.stop() } }
        let started = ContinuousClock.now
        let response = try await exporter.get("/metrics", headers: [("X-Prometheus-Scrape-Timeout-Seconds", "2")])
        let elapsed = ContinuousClock.now - started
        #expect(response.status == 200)
        #expect(response.text.contains(#"homelab_up{component="docker"} 0"#))
        #expect(response.text.contains(#"homelab_collection_errors_total{component="docker",reason="timeout"} 1"#))
        #expect(elapsed < .milliseconds(2_000), "answered in \(elapsed), deadline 1.5 s")
        #expect(elapsed >= .milliseconds(1_400))
    }

    @Test("concurrent scrapes share one collection and agree", .enabled(if: ExporterProcess.built))
    func concurrentScrapes() async throws {
        let exporter = try await ExporterProcess.start(faults: [.docker: FaultPlan(latency: .milliseconds(300))])
        defer { Task { await exporter.stop() } }
        _ = try await exporter.get("/metrics")  // the API version is negotiated once
        let before = exporter.simulation.faults.stats[.docker]?.requests ?? 0
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await exporter.get("/metrics").text } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        let after = exporter.simulation.faults.stats[.docker]?.requests ?? 0
        let swarmLines = bodies.map { $0.split(separator: "\n").filter { $0.hasPrefix("homelab_swarm_") || $0.hasPrefix("homelab_up") } }
        #expect(Set(swarmLines.map { $0.joined(separator: "\n") }).count == 1, "every scrape saw the same values")
        #expect(swarmLines.first?.isEmpty == false)
        #expect(after - before <= 6, "at most two collections of three requests for 8 scrapes, saw \(after - before) requests")
    }

    @Test("SIGTERM during a scrape finishes the scrape, then exits 0", .enabled(if: ExporterProcess.built))
    func sigtermDuringScrape() async throws {
        let exporter = try await ExporterProcess.start(faults: [.docker: FaultPlan(latency: .milliseconds(1_500))])
        defer { Task { await exporter.stop() } }
        let before = exporter.simulation.faults.stats[.docker]?.requests ?? 0
        let scrape = Task { try await exporter.get("/metrics") }
        // SIGTERM once the scrape is inside its collection (the simulated engine has its request and holds it
        // 1.5 s), not after a fixed sleep: on a loaded machine the request may not even be accepted by then, and
        // a connection the exporter never read is closed at shutdown, which is not what this test is about.
        let deadline = ContinuousClock.now + .seconds(20)
        while (exporter.simulation.faults.stats[.docker]?.requests ?? 0) == before, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect((exporter.simulation.faults.stats[.docker]?.requests ?? 0) > before, "the scrape reached the engine")
        kill(exporter.process.pid, SIGTERM)
        let response = try await scrape.value
        #expect(response.status == 200)
        #expect(response.text.contains(#"homelab_up{component="docker"} 1"#))
        #expect(try await exporter.process.wait(timeout: .seconds(20)) == 0)
    }

    @Test("a real Prometheus scrapes it: replicas of a known service, then up 0 for a hanging component", .enabled(if: ExporterProcess.built))
    func realPrometheus() async throws {
        guard try RealServer.require("prometheus", available: Self.prometheus != nil, hint: "apt-get install prometheus") else { return }
        let exporter = try await ExporterProcess.start()
        defer { Task { await exporter.stop() } }
        let webPort = try freeLoopbackPort()
        let config = exporter.folder.file("prometheus.yml")
        try """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: homelab
                static_configs: [{targets: ['127.0.0.1:\(exporter.port)']}]
              - job_name: homelab-probe
                metrics_path: /probe
                params: {target: [docker]}
                static_configs: [{targets: ['127.0.0.1:\(exporter.port)']}]
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let server = try ChildProcess(
            try #require(Self.prometheus),
            ["--config.file=\(config)", "--storage.tsdb.path=\(exporter.folder.file("tsdb"))", "--web.listen-address=127.0.0.1:\(webPort)"],
            stdout: .null, stderr: .null)
        defer { server.stop() }
        let api = HTTPClient(transport: exporter.transport, endpoint: .url("http://127.0.0.1:\(webPort)"), component: "prometheus", middleware: [])
        func query(_ promql: String) async -> [(labels: [String: String], value: String)] {
            let encoded = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promql
            guard let response = try? await api.send(HTTPRequest(path: "/api/v1/query?query=\(encoded)", timeout: .seconds(5))),
                let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
            else { return [] }
            return result.compactMap { series in
                guard let metric = series["metric"] as? [String: String], let value = series["value"] as? [Any], value.count == 2,
                    let text = value[1] as? String
                else { return nil }
                return (metric, text)
            }
        }
        func waitFor(_ promql: String, _ condition: ([(labels: [String: String], value: String)]) -> Bool) async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if condition(await query(promql)) { return true }
                try await Task.sleep(for: .milliseconds(250))
            }
            return false
        }
        let replicas = #"homelab_swarm_service_replicas_desired{job="homelab",service="woodpecker_woodpecker-agent"}"#
        #expect(try await waitFor(replicas) { $0.count == 1 && $0[0].value == "2" && $0[0].labels["tier"] == "platform" })
        #expect(try await waitFor(#"homelab_up{job="homelab-probe",component="docker"}"#) { $0.first?.value == "1" })
        exporter.simulation.faults.set(FaultPlan(hangRate: 1), for: .docker)
        #expect(try await waitFor(#"homelab_up{job="homelab",component="docker"}"#) { $0.first?.value == "0" })
        #expect(try await waitFor(#"up{job="homelab"}"#) { $0.first?.value == "1" }, "the scrape itself never fails")
    }
}
