import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The simulated Prometheus: the SDK's targets client (the assertions of the real-prometheus
/// `PrometheusTargetsTests`, mirrored), the documented JSON shapes, and prometheus-api-client (PyPI) as a peer.
@Suite("The simulated Prometheus: targets from the swarm's prometheus.scrape labels")
struct PrometheusSimulatorTests {
    /// A plain client for the simulated Prometheus.
    static func client(_ sim: SimulatorHarness) throws -> HTTPClient {
        let url = try #require(sim.simulation.endpoints.listening[.prometheus]?.url, "prometheus is simulated")
        return HTTPClient(transport: sim.transport, endpoint: .url(url), component: "prometheus", middleware: [])
    }

    /// `path` answered as a JSON object, with its status.
    static func json(_ client: HTTPClient, _ path: String) async throws -> (status: Int, object: [String: Any]) {
        let response = try await client.send(HTTPRequest(path: path))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], "\(path): \(response.text)")
        return (response.status, object)
    }

    @Test("active targets with job, instance and health; loki's is down; the monitoring rule finds it (as against a real prometheus)")
    func targetsClient() async throws {
        try await withSimulation { sim in
            let connections = HomelabConnections(
                homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
            let targets = try await connections.prometheus().targets().activeTargets
            await connections.close()
            let byJob = Dictionary(targets.compactMap { target in target.job.map { ($0, target) } }, uniquingKeysWith: { first, _ in first })
            #expect(Set(byJob.keys) == Set(SimulatedFindings.metricsPorts.keys), "\(targets)")
            #expect(byJob["prometheus"]?.isUp == true && byJob["prometheus"]?.instance == "tasks.prometheus:9090", "\(targets)")
            #expect(byJob["prometheus"]?.scrapeUrl == "http://tasks.prometheus:9090/metrics")
            let loki = try #require(byJob[SimulatedFindings.unscrapedService])
            #expect(loki.health == "down" && loki.lastError?.contains("connection refused") == true, "\(loki)")
            #expect(targets.filter { !$0.isUp }.count == 1, "one deliberate finding only")
            for target in targets {
                #expect(target.scrapePool == target.job && target.globalUrl == target.scrapeUrl, "\(target)")
                #expect(target.scrapeInterval == "30s" && target.scrapeTimeout == "10s" && (target.lastScrapeDuration ?? 0) > 0)
                #expect(target.lastScrape.flatMap { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0) } != nil)
                #expect(target.discoveredLabels?["__address__"] == target.instance, "\(target)")
            }

            // The monitoring rule over these targets: both services ask to be scraped; only loki is down.
            let services = [
                Homelab.Service(name: "prometheus", stack: "monitoring", tier: "platform"),
                Homelab.Service(name: "loki", stack: "monitoring", tier: "platform"),
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
            #expect(result.findings.map(\.service) == ["loki"] && result.checked == 2, "\(result)")
            #expect(result.findings.first?.found.contains("is down") == true, "\(result.findings)")
        }
    }

    @Test("the documented shapes: state=active|dropped|any, buildinfo, /-/healthy and /-/ready, bad_data errors; targets follow the live swarm")
    func documentedShapes() async throws {
        try await withSimulation { sim in
            let client = try Self.client(sim)
            let any = try await Self.json(client, "/api/v1/targets")
            #expect(any.status == 200 && any.object["status"] as? String == "success")
            let data = try #require(any.object["data"] as? [String: Any])
            let active = try #require(data["activeTargets"] as? [[String: Any]])
            let dropped = try #require(data["droppedTargets"] as? [[String: Any]])
            #expect(active.count == SimulatedFindings.metricsPorts.count && dropped.count == sim.simulation.homelab.services.count - active.count)
            for target in active {
                for key in ["scrapePool", "scrapeUrl", "globalUrl", "lastError", "lastScrape", "health", "scrapeInterval", "scrapeTimeout"] {
                    #expect(target[key] is String, "\(key) is a string in \(target)")
                }
                #expect(target["lastScrapeDuration"] is Double, "\(target)")
                #expect(target["labels"] is [String: String] && target["discoveredLabels"] is [String: String], "\(target)")
                #expect(["up", "down", "unknown"].contains(target["health"] as? String ?? ""))
            }
            #expect(dropped.allSatisfy { $0.keys.sorted() == ["discoveredLabels"] }, "dropped targets carry only their discovered labels")

            let onlyActive = try #require(try await Self.json(client, "/api/v1/targets?state=active").object["data"] as? [String: Any])
            #expect((onlyActive["activeTargets"] as? [Any])?.count == active.count && (onlyActive["droppedTargets"] as? [Any])?.isEmpty == true)
            let onlyDropped = try #require(try await Self.json(client, "/api/v1/targets?state=DROPPED").object["data"] as? [String: Any])
            #expect((onlyDropped["activeTargets"] as? [Any])?.isEmpty == true && (onlyDropped["droppedTargets"] as? [Any])?.count == dropped.count)
            let pool = try #require(try await Self.json(client, "/api/v1/targets?state=active&scrapePool=grafana").object["data"] as? [String: Any])
            #expect((pool["activeTargets"] as? [[String: Any]])?.map { $0["scrapePool"] as? String } == ["grafana"])

            let build = try await Self.json(client, "/api/v1/status/buildinfo")
            #expect((build.object["data"] as? [String: Any])?["version"] as? String == "3.5.0")
            for path in ["/-/healthy", "/-/ready"] {
                let answer = try await client.send(HTTPRequest(path: path))
                #expect(answer.status == 200 && answer.text.hasPrefix("Prometheus Server is"), "\(path): \(answer.text)")
            }
            let bad = try await Self.json(client, "/api/v1/query")
            #expect(bad.status == 400 && bad.object["status"] as? String == "error" && bad.object["errorType"] as? String == "bad_data", "\(bad)")
            #expect((bad.object["error"] as? String)?.contains("query") == true)
            let up = try #require(try await Self.json(client, "/api/v1/query?query=up").object["data"] as? [String: Any])
            let samples = try #require(up["result"] as? [[String: Any]])
            let lokiUp = samples.first { ($0["metric"] as? [String: String])?["job"] == "loki" }?["value"] as? [Any]
            #expect(up["resultType"] as? String == "vector" && samples.count == active.count && lokiUp?.last as? String == "0", "\(samples)")

            // Unlabelled live, grafana is no longer a target but a dropped one.
            let grafana = "monitoring_grafana"
            let updated = try await sim.update(grafana) { spec in spec.labels?[HomelabCheck.scrapeLabel] = nil }
            #expect(updated.status == 200, "\(updated.text)")
            let after = try #require(try await Self.json(client, "/api/v1/targets").object["data"] as? [String: Any])
            #expect((after["activeTargets"] as? [[String: Any]])?.contains { $0["scrapePool"] as? String == "grafana" } == false)
            #expect((after["droppedTargets"] as? [Any])?.count == dropped.count + 1)
        }
    }

    @Test("a failing Prometheus answers faults in its own error shape, and the monitoring rule is unknown, never a pass")
    func faultyPrometheus() async throws {
        try await withSimulation(faults: [.prometheus: FaultPlan(errorRate: 1, errorStatuses: [503])]) { sim in
            let answer = try await Self.json(try Self.client(sim), "/api/v1/targets")
            #expect(answer.status == 503 && answer.object["status"] as? String == "error" && answer.object["errorType"] as? String == "unavailable")
            #expect((answer.object["error"] as? String)?.isEmpty == false, "\(answer.object)")
            let connections = HomelabConnections(
                homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
            let snapshot = await CheckSnapshot.read(connections: connections, rules: [.monitoring], timeout: .seconds(10))
            await connections.close()
            let result = HomelabCheck.evaluate(snapshot, rules: [.monitoring]).results[0]
            #expect(result.state == "unknown" && result.unknown?.contains("Prometheus could not be read") == true, "\(result)")
        }
    }

    /// prometheus-api-client's calls against the simulated Prometheus, reported as one JSON line.
    static let peerScript = """
        import json, sys
        from prometheus_api_client import PrometheusConnect
        from prometheus_api_client.exceptions import PrometheusApiClientException
        prom = PrometheusConnect(url=sys.argv[1], disable_ssl=True)
        report = {"connected": prom.check_prometheus_connection(), "pools": sorted(prom.get_scrape_pools())}
        report["active"] = sorted([t["labels"]["job"], t["health"], t["lastError"]] for t in prom.get_targets(state="active")["activeTargets"])
        report["dropped"] = len(prom.get_targets(state="dropped")["droppedTargets"])
        report["up"] = sorted([r["metric"]["job"], r["value"][1]] for r in prom.custom_query("up"))
        try:
            prom.custom_query("")
            report["error"] = None
        except PrometheusApiClientException as error:
            report["error"] = str(error)
        print(json.dumps(report))
        """

    @Test("prometheus-api-client (PyPI) reads the simulated targets, scrape pools and `up`, and sees bad_data as an error")
    func pythonPeer() async throws {
        guard try PythonClient.require("prometheus_api_client") else { return }
        try await withSimulation { sim in
            let url = try #require(sim.simulation.endpoints.listening[.prometheus]?.url)
            let (status, output) = try await PythonClient.run(Self.peerScript, [url], timeout: .seconds(120))
            try #require(status == 0, "python exited \(status): \(output.suffix(1500))")
            let line = try #require(output.split(separator: "\n").last.map(String.init))
            let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(output.suffix(800))")
            #expect(report["connected"] as? Bool == true)
            #expect(report["pools"] as? [String] == SimulatedFindings.metricsPorts.keys.sorted())
            let active = try #require(report["active"] as? [[String]])
            #expect(active.filter { $0[1] == "down" }.map(\.[0]) == [SimulatedFindings.unscrapedService], "\(active)")
            #expect(active.allSatisfy { ($0[1] == "up") == $0[2].isEmpty }, "\(active)")
            #expect((report["dropped"] as? Int ?? 0) > 0)
            let up = try #require(report["up"] as? [[String]])
            #expect(up.first { $0[0] == "loki" }?[1] == "0" && up.filter { $0[1] == "1" }.count == active.count - 1, "\(up)")
            #expect((report["error"] as? String)?.contains("400") == true, "\(report)")
        }
    }
}
