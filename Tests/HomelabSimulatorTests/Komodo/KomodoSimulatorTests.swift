import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The example homelab simulated with its Komodo, and connections opened from the written inventory.
struct KomodoHarness: Sendable {
    let sim: SimulatorHarness

    var core: KomodoCore { sim.simulation.komodoCore! }

    func connections() -> HomelabConnections {
        HomelabConnections(
            homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
    }

    /// The SDK's client through the inventory (key and secret from the simulation's files).
    func client() async throws -> KomodoClient {
        var client = try await connections().komodo()
        client.pollSchedule = .every(.milliseconds(20))
        return client
    }

    /// A client with the right endpoint and wrong credentials.
    func client(key: String, secret: String) -> KomodoClient {
        KomodoClient(
            transport: sim.transport, endpoint: sim.simulation.homelab.components[.komodo]!.endpoint!, apiKey: Secret(key),
            apiSecret: Secret(secret))
    }

    /// `{type, params}` posted to `/family` with the right credentials: the raw answer.
    func raw(_ family: String, _ type: String, _ params: [String: Any] = [:]) async throws -> (Int, Any?) {
        let http = HTTPClient(
            transport: sim.transport, endpoint: sim.simulation.homelab.components[.komodo]!.endpoint!, component: "komodo",
            middleware: [
                HeaderAuthMiddleware(name: "X-Api-Key", secret: Secret(core.apiKey)),
                HeaderAuthMiddleware(name: "X-Api-Secret", secret: Secret(core.apiSecret)),
            ])
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        let body = try JSONSerialization.data(withJSONObject: ["type": type, "params": params])
        let response = try await http.send(HTTPRequest(method: .post, path: "/" + family, headers: headers, body: Array(body)))
        return (response.status, try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed]))
    }
}

func withKomodo(_ body: (KomodoHarness) async throws -> Void) async throws {
    try await withSimulation { sim in try await body(KomodoHarness(sim: sim)) }
}

@Suite("Komodo client against the simulated Core")
struct KomodoSimulatorTests {
    @Test("servers follow the shared node table: a node powered off is NotOk with an error and an open alert")
    func servers() async throws {
        try await withKomodo { komodo in
            let client = try await komodo.client()
            let servers = try await client.servers.list()
            #expect(servers.map(\.name).sorted() == komodo.sim.simulation.homelab.nodes.map(\.name).sorted())
            #expect(servers.allSatisfy { $0.info.state == .ok })
            try await komodo.sim.simulation.world.nodes.setPower("dhow", .off)
            let dhow = try #require(try await client.servers.list().first { $0.name == "dhow" })
            #expect(dhow.info.state == .notOk)
            #expect(dhow.info.err?.error.contains("Failed to reach Periphery") == true)
            let alerts = try await client.alerts.list(unresolvedOnly: true).collect()
            #expect(alerts.contains { $0.data.type == "ServerUnreachable" && $0.target.id == dhow.id })
            #expect(try await client.servers.get("dhow").config?["address"] != nil)
            try await komodo.sim.simulation.world.nodes.setPower("dhow", .on)
            #expect(try await client.servers.list().allSatisfy { $0.info.state == .ok })
            #expect(try await client.alerts.list(unresolvedOnly: true).collect().isEmpty)
        }
    }

    @Test("stacks: the inventory's, with state, services, hashes; one stack, its services; deployments page")
    func stacks() async throws {
        try await withKomodo { komodo in
            let client = try await komodo.client()
            let stacks = try await client.stacks.list()
            #expect(stacks.map(\.name).sorted() == komodo.sim.simulation.homelab.stacks.map(\.name).sorted())
            let monitoring = try #require(stacks.first { $0.name == "monitoring" })
            #expect(monitoring.info.state == .running)
            #expect(monitoring.info.swarmName == "homelab")
            #expect(monitoring.info.deployedHash != monitoring.info.latestHash)
            let stack = try await client.stacks.get("media-core")
            #expect(stack.config?["repo"] == .string("homelab/stacks"))
            let services = try await client.stacks.services("media-core")
            #expect(services.map(\.service).contains("plex"))
            let missing = await #expect(throws: HomelabError.self) { _ = try await client.stacks.get("no-such-stack") }
            #expect(missing?.code == .notFound)
            #expect(missing?.serverMessage == "Did not find any Stack matching no-such-stack")
        }
    }

    @Test("paging against Core: 0 deployments, exactly 50, then 123 over three pages; limit 0 is everything", arguments: [0, 50, 123])
    func paging(count: Int) async throws {
        try await withKomodo { komodo in
            await komodo.core.addDeployments(count)
            let client = try await komodo.client()
            let deployments = try await client.deployments.list()
            #expect(deployments.count == count)
            #expect(Set(deployments.map(\.name)).count == count)
            let (status, all) = try await komodo.raw("read", "ListDeployments", ["limit": 0])
            #expect(status == 200)
            #expect((all as? [Any])?.count == count)
            let (_, first) = try await komodo.raw("read", "ListDeployments", [:])
            #expect((first as? [Any])?.count == min(50, count), "Core's default page is 50 items")
        }
    }

    @Test("updates: more than one 100-item page, newest first; per stack with their commit hashes")
    func updates() async throws {
        try await withKomodo { komodo in
            let client = try await komodo.client()
            let all = try await client.updates.list().collect()
            #expect(all.count > 100)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.startTs >= $1.startTs })
            let plex = try await client.updates.forStack("media-core", limit: 3)
            #expect(plex.count == 3)
            let stack = try await client.stacks.list().first { $0.name == "media-core" }
            #expect(plex.first?.operation == "DeployStack")
            #expect(plex.first?.commitHash == stack?.info.deployedHash)
            #expect(plex.allSatisfy { $0.target.id == stack?.id })
        }
    }

    @Test("deploy: queued, polled to complete with its logs and commit; deploy-if-changed deploys only a stack that changed")
    func deploy() async throws {
        try await withKomodo { komodo in
            let client = try await komodo.client()
            let started = try await client.stacks.deploy("ingress")
            #expect(started.status == .queued)
            let done = try await client.waitForUpdate(started, timeout: .seconds(30))
            #expect(done.success)
            #expect(done.logs.map(\.stage) == ["Clone Repo", "Deploy"])
            #expect(done.commitHash != nil)
            let unchanged = try await client.waitForUpdate(try await client.stacks.deployIfChanged("ingress"), timeout: .seconds(30))
            #expect(unchanged.logs.map(\.stage) == ["Check"])
            let changed = try await client.waitForUpdate(try await client.stacks.deployIfChanged("monitoring"), timeout: .seconds(30))
            let monitoring = try await client.stacks.list().first { $0.name == "monitoring" }
            #expect(changed.success && changed.commitHash == monitoring?.info.latestHash)
            #expect(monitoring?.info.deployedHash == monitoring?.info.latestHash)
            #expect(try await client.waitForUpdate(try await client.stacks.restart("ingress"), timeout: .seconds(30)).success)
            #expect(try await client.waitForUpdate(try await client.stacks.pull("ingress"), timeout: .seconds(30)).success)
        }
    }

    @Test("an execute whose update fails: completed, unsuccessful, the failing stage's error kept; fail-next on any type")
    func failing() async throws {
        try await withKomodo { komodo in
            let client = try await komodo.client()
            let done = try await client.waitForUpdate(try await client.stacks.deploy(komodo.core.failingStack), timeout: .seconds(30))
            #expect(done.isComplete && !done.success)
            #expect(done.failureText?.contains("Missing compose files") == true)
            await komodo.core.failNext("RestartStack", message: "periphery timed out")
            let restart = try await client.waitForUpdate(try await client.stacks.restart("ingress"), timeout: .seconds(30))
            #expect(!restart.success && restart.failureText?.contains("periphery timed out") == true)
        }
    }

    @Test("the resource sync: pending changes, applied by RunSync, then nothing pending")
    func sync() async throws {
        try await withKomodo { komodo in
            let client = try await komodo.client()
            let syncs = try await client.syncs.list()
            #expect(syncs.map(\.name) == ["homelab"])
            #expect(syncs.first?.info.state == .pending)
            let pending = try await client.syncs.pending("homelab")
            #expect(pending.resourceUpdates?.map { "\($0.data.type) \($0.target.type)" } == ["Update Stack", "Create Procedure"])
            let done = try await client.waitForUpdate(try await client.syncs.run("homelab"), timeout: .seconds(30))
            #expect(done.success && done.commitHash == pending.pendingHash)
            #expect(try await client.syncs.list().first?.info.state == .ok)
            #expect(try await client.syncs.pending("homelab", refresh: true).resourceUpdates?.isEmpty == true)
            #expect(try await client.stacks.get("media-core").config?["environment"] == .string("TZ=UTC\nPUID=1000\nPGID=1000\n"))
        }
    }

    @Test("rejected credentials: 401 for a wrong secret and for missing headers, as .unauthorized")
    func rejected() async throws {
        try await withKomodo { komodo in
            let error = await #expect(throws: HomelabError.self) {
                _ = try await komodo.client(key: komodo.core.apiKey, secret: "S-wrong").stacks.list()
            }
            #expect(error?.code == .unauthorized)
            #expect(error?.status == 401)
            let bare = HTTPClient(
                transport: komodo.sim.transport, endpoint: komodo.sim.simulation.homelab.components[.komodo]!.endpoint!, component: "komodo",
                middleware: [])
            let response = try await bare.send(HTTPRequest(method: .post, path: "/read", body: Array(#"{"type":"GetVersion","params":{}}"#.utf8)))
            #expect(response.status == 401)
            let overview = await ComponentProbe.probe(.komodo, connections: komodo.connections())
            if case .up(let version) = overview.state { #expect(version == "v2.3.2") } else { Issue.record("probe: \(overview.state)") }
        }
    }

    @Test("the exported resource file validates clean and plans no change against the live resources")
    func exportRoundTrip() async throws {
        try await withKomodo { komodo in
            let client = try await komodo.client()
            let text = try await client.exportResources()
            let file = KomodoResourceFile.parse(text, file: "export.toml")
            #expect(!file.hasErrors, "\(file.issues)")
            #expect(file.resources("stack").count == komodo.sim.simulation.homelab.stacks.count)
            let plan = KomodoSyncPlan.compute(file: file, live: try await KomodoSyncPlan.readLive(for: file, from: client))
            #expect(plan.isEmpty, "\(plan.changes)")
            var edited = text.replacingOccurrences(of: "TZ=Europe/Paris", with: "TZ=UTC")
            edited += "\n[[stack]]\nname = \"paperless\"\nconfig = { swarm = \"homelab\", repo = \"homelab/stacks\" }\n"
            let changed = KomodoResourceFile.parse(edited)
            let second = KomodoSyncPlan.compute(file: changed, live: try await KomodoSyncPlan.readLive(for: changed, from: client), deleteMissing: true)
            #expect(second.changes.contains { $0.action == .create && $0.name == "paperless" })
            #expect(second.changes.filter { $0.action == .update }.allSatisfy { $0.fields.map(\.field) == ["config.environment"] })
            #expect(!second.changes.contains { $0.action == .delete })
        }
    }

    @Test("metrics: server and stack state one-hot, sync state, version")
    func metrics() async throws {
        try await withKomodo { komodo in
            try await komodo.sim.simulation.world.nodes.setPower("barbary", .off)
            let families = KomodoMetrics.families(try await KomodoMetrics.read(try await komodo.client()))
            let text = MetricsText.string(families)
            #expect(text.contains(#"homelab_komodo_server_up{server="barbary"} 0"#))
            #expect(text.contains(#"homelab_komodo_server_state{server="barbary",state="NotOk"} 1"#))
            #expect(text.contains(#"homelab_komodo_stack_state{stack="ingress",state="unhealthy"} 1"#))
            #expect(text.contains(#"homelab_komodo_stack_behind_repo{stack="monitoring"} 1"#))
            #expect(text.contains(#"homelab_komodo_sync_state{sync="homelab",state="Pending"} 1"#))
            #expect(text.contains(#"homelab_komodo_info{version="v2.3.2"} 1"#))
            let collector = HomelabCollector(source: ConnectionsMetricsSource(connections: komodo.connections()))
            let all = MetricsText.string(await collector.collectAll(deadline: .now + .seconds(20)))
            #expect(all.contains(#"homelab_up{component="komodo"} 1"#))
            #expect(all.contains("homelab_komodo_stack_running"))
        }
    }
}
