import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

@Suite("The simulated Proxmox VE against its API schema and real third-party peers", .serialized)
struct ProxmoxPeerTests {
    static let spec = SimulatorHarness.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/specs/proxmox-ve-api-schema.json").path

    /// Runs a Python script from ``ProxmoxPythonScripts`` and decodes its JSON report.
    func run(_ script: String, _ arguments: [String]) async throws -> [String: Any] {
        let (status, output) = try await PythonClient.run(script, arguments, timeout: .seconds(120))
        try #require(status == 0, "python exited \(status): \(output.suffix(1500))")
        let line = try #require(output.split(separator: "\n").last.map(String.init))
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(output.suffix(800))")
    }

    /// proxmoxer's token arguments: host, port, CA file, user, token name, secret.
    func tokenArguments(_ sim: SimulatorHarness) throws -> [String] {
        let url = try #require(URLComponents(string: sim.proxmoxBase))
        let (user, name) = try #require(sim.proxmoxCluster.tokenID.split(separator: "!").map(String.init).pair)
        return [url.host ?? "127.0.0.1", String(url.port ?? 0), sim.simulation.endpoints.caFile ?? "", user, name, sim.proxmoxCluster.tokenSecret]
    }

    @Test("Answers to reads, writes and errors fit pve-docs' API schema; the unknown fields added on purpose are there")
    func answersFitTheSchema() async throws {
        guard try PythonClient.require("json"),
            try RealServer.require(
                "the Proxmox VE API schema in ../shared/specs", available: FileManager.default.fileExists(atPath: Self.spec),
                hint: "check out the project beside its shared/ folder")
        else { return }
        try await withSimulation { sim in
            let cluster = sim.proxmoxCluster
            let http = HTTPClient(
                transport: sim.transport, endpoint: sim.proxmoxEndpoint, component: "proxmox",
                middleware: [try ProxmoxClient.tokenAuth(tokenID: cluster.tokenID, secret: Secret(cluster.tokenSecret))])
            var cases: [[String: Any]] = []
            func record(_ method: HTTPMethod, _ path: String, _ template: String, form: String? = nil) async throws -> Any? {
                var request = HTTPRequest(method: method, path: path)
                if let form {
                    request.body = Array(form.utf8)
                    request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                }
                let response = try await http.send(request)
                let body = try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
                cases.append(["method": method.rawValue, "path": path, "template": template, "status": response.status, "body": body])
                return (body as? [String: Any])?["data"]
            }
            let reads: [(String, String)] = [
                ("/version", "/version"), ("/cluster/status", "/cluster/status"), ("/cluster/resources", "/cluster/resources"),
                ("/cluster/resources?type=vm", "/cluster/resources"), ("/cluster/nextid", "/cluster/nextid"), ("/nodes", "/nodes"),
                ("/nodes/pve1/status", "/nodes/{node}/status"), ("/nodes/pve1/qemu", "/nodes/{node}/qemu"),
                ("/nodes/pve1/qemu/101/status/current", "/nodes/{node}/qemu/{vmid}/status/current"),
                ("/nodes/pve1/qemu/101/config", "/nodes/{node}/qemu/{vmid}/config"), ("/nodes/pve1/lxc", "/nodes/{node}/lxc"),
                ("/nodes/pve1/lxc/200/status/current", "/nodes/{node}/lxc/{vmid}/status/current"),
                ("/nodes/pve1/storage", "/nodes/{node}/storage"),
                ("/nodes/pve1/storage/local-lvm/content", "/nodes/{node}/storage/{storage}/content"),
            ]
            for (path, template) in reads { _ = try await record(.get, path, template) }
            let upid = try #require(try await record(.post, "/nodes/pve1/qemu/102/status/stop", "/nodes/{node}/qemu/{vmid}/status/stop") as? String)
            let encoded = upid.percentEncodedQueryComponent
            _ = try await record(.get, "/nodes/pve1/tasks/\(encoded)/status", "/nodes/{node}/tasks/{upid}/status")
            try await sim.proxmox().tasks.wait(try Proxmox.UPID(upid))
            _ = try await record(.get, "/nodes/pve1/tasks/\(encoded)/status", "/nodes/{node}/tasks/{upid}/status")
            _ = try await record(.get, "/nodes/pve1/tasks/\(encoded)/log", "/nodes/{node}/tasks/{upid}/log")
            _ = try await record(.get, "/nodes/pve1/tasks", "/nodes/{node}/tasks")
            _ = try await record(.put, "/nodes/pve1/qemu/101/config", "/nodes/{node}/qemu/{vmid}/config", form: "memory=9216")
            _ = try await record(.post, "/nodes/pve1/qemu/9000/clone", "/nodes/{node}/qemu/{vmid}/clone", form: "newid=150&name=x")
            _ = try await record(.post, "/access/ticket", "/access/ticket", form: "username=root%40pam&password=\(cluster.password)")
            // Errors: a missing VM, a stale digest, bad parameters.
            _ = try await record(.get, "/nodes/pve1/qemu/999/config", "/nodes/{node}/qemu/{vmid}/config")
            _ = try await record(.put, "/nodes/pve1/qemu/101/config", "/nodes/{node}/qemu/{vmid}/config", form: "digest=0000&memory=1")
            _ = try await record(.put, "/nodes/pve1/qemu/101/config", "/nodes/{node}/qemu/{vmid}/config", form: "memory=lots")
            #expect(cases.filter { ($0["status"] as? Int ?? 0) >= 400 }.count == 3)

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("pve-cases-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: file) }
            try JSONSerialization.data(withJSONObject: cases).write(to: file)
            let report = try await run(ProxmoxPythonScripts.validate, [file.path, Self.spec])
            #expect(report["cases"] as? Int == cases.count)
            #expect((report["problems"] as? [String]) == [], "\(report["problems"] ?? "")")
            let unknown = report["unknown"] as? [String] ?? []
            #expect(unknown.contains { $0.hasSuffix(".sim-cgroup-mode") } && unknown.contains { $0.hasSuffix(".sim-balloon-target") })
        }
    }

    @Test("proxmoxer (PyPI) lists nodes and VMs and stops and starts a VM, waiting on its tasks")
    func proxmoxer() async throws {
        guard try PythonClient.require("proxmoxer") else { return }
        try await withSimulation { sim in
            let report = try await run(ProxmoxPythonScripts.proxmoxer, try tokenArguments(sim))
            #expect(report["nodes"] as? [String] == ["pve1"])
            let vms = try #require(report["vms"] as? [[Any]])
            #expect(vms.compactMap { $0[1] as? String }.sorted() == ["angre", "ching", "debian-12-cloud"])
            #expect(report["stopped"] as? String == "OK" && report["after_stop"] as? String == "stopped")
            #expect(report["started"] as? String == "OK" && report["after_start"] as? String == "running")
            #expect(report["upid_type"] as? String == "qmstart" && report["upid_node"] as? String == "pve1")
            #expect(await sim.simulation.world.nodes.node("angre")?.power == .on)
        }
    }

    @Test("prometheus-pve-exporter (PyPI) scrapes the simulated Proxmox; its pve_* series equal ours in names and labels")
    func pveExporterMatchesOurs() async throws {
        guard try PythonClient.require("pve_exporter") else { return }
        try await withSimulation { sim in
            try await sim.proxmoxAdmin("/_sim/proxmox/guests/200/lock", ["lock": "backup"])
            let snapshot = try await ProxmoxMetrics.snapshot(of: try sim.proxmox())
            let ours = MetricsText.string(ProxmoxMetrics.families(snapshot))
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("ours-\(UUID().uuidString).prom")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data(ours.utf8).write(to: file)
            let report = try await run(ProxmoxPythonScripts.compare, try tokenArguments(sim) + [file.path])
            #expect((report["only_theirs"] as? [String]) == [], "series only prometheus-pve-exporter has")
            #expect((report["only_ours"] as? [String]) == [], "series only we have")
            #expect(report["labelsets_equal"] as? Bool == true)
            let names = report["names"] as? [String] ?? []
            for name in ["pve_up", "pve_cpu_usage_ratio", "pve_memory_usage_bytes", "pve_disk_usage_bytes", "pve_uptime_seconds",
                         "pve_guest_info", "pve_node_info", "pve_version_info", "pve_cluster_info", "pve_storage_info",
                         "pve_lock_state", "pve_ha_state", "pve_onboot_status", "pve_network_receive_bytes_total"] {
                #expect(names.contains(name), "\(name) is among the compared series")
            }
            #expect((report["theirs"] as? Int ?? 0) > 100)
        }
    }
}

extension Array {
    /// The two elements of a two-element array.
    fileprivate var pair: (Element, Element)? { count == 2 ? (self[0], self[1]) : nil }
}
