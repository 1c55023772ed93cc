import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// The Prometheus targets client and `homelab check`'s monitoring rule against a real `prometheus`: it scrapes
/// itself (up) and a closed loopback port (down).
@Suite("Prometheus /api/v1/targets from a real prometheus", .serialized)
struct PrometheusTargetsTests {
    @Test("active targets with job, instance and health; a service labelled prometheus.scrape=true whose target is down is a finding")
    func realTargets() async throws {
        let binary = RealServer.executable(["prometheus"])
        guard try RealServer.require("prometheus", available: binary != nil, hint: "scripts/install-deps.sh test (apt-get install prometheus)") else {
            return
        }
        let folder = try TemporaryFolder(prefix: "homelab-prometheus-targets")
        let webPort = try freeLoopbackPort()
        let closedPort = try freeLoopbackPort()
        try """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: prometheus
                static_configs: [{targets: ['127.0.0.1:\(webPort)']}]
              - job_name: exporter
                static_configs: [{targets: ['127.0.0.1:\(closedPort)']}]
            """.write(toFile: folder.file("prometheus.yml"), atomically: true, encoding: .utf8)
        let server = try ChildProcess(
            try #require(binary),
            ["--config.file=\(folder.file("prometheus.yml"))", "--storage.tsdb.path=\(folder.file("tsdb"))", "--web.listen-address=127.0.0.1:\(webPort)"],
            stdout: .null, stderr: .null)
        defer { server.stop() }
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let client = PrometheusClient(transport: transport, endpoint: .url("http://127.0.0.1:\(webPort)"))

        var targets: [Prometheus.Target] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            targets = (try? await client.targets().activeTargets) ?? []
            if targets.count == 2, targets.allSatisfy({ $0.health != "unknown" }) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let byJob = Dictionary(targets.compactMap { target in target.job.map { ($0, target) } }, uniquingKeysWith: { first, _ in first })
        #expect(byJob["prometheus"]?.isUp == true && byJob["prometheus"]?.instance == "127.0.0.1:\(webPort)", "\(targets)")
        #expect(byJob["prometheus"]?.scrapeUrl == "http://127.0.0.1:\(webPort)/metrics")
        #expect(byJob["exporter"]?.health == "down" && byJob["exporter"]?.lastError?.isEmpty == false, "\(targets)")

        // The monitoring rule over this Prometheus: both services ask to be scraped; only the exporter is down.
        let services = [
            Homelab.Service(name: "prometheus", stack: "monitoring", tier: "platform"),
            Homelab.Service(name: "exporter", stack: "monitoring", tier: "platform"),
        ]
        let homelab = Homelab(
            name: "t", nodes: [Homelab.Node(name: "n1", role: .manager, platform: .bareMetal, address: "127.0.0.1")], tiers: ["platform"],
            stacks: [Homelab.Stack(name: "monitoring", tier: "platform", services: services)])
        let live = services.map { service in
            Swarm.Service(id: service.name, spec: Swarm.ServiceSpec(name: service.swarmName, labels: [HomelabCheck.scrapeLabel: "true"]))
        }
        let snapshot = CheckSnapshot(
            homelab: homelab, swarm: .read(CheckSwarmReading(services: live, nodes: [], secrets: [])), prometheus: .read(targets))
        let result = HomelabCheck.evaluate(snapshot, rules: [.monitoring]).results[0]
        #expect(result.findings.map(\.service) == ["exporter"] && result.checked == 2, "\(result)")
        #expect(result.findings.first?.found.contains("is down") == true, "\(result.findings)")

    }
}
