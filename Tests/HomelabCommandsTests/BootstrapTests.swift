import Foundation
import HomelabCommands
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Logging
import Testing

/// `homelab bootstrap` and the rollout's create step: planning (tiers, dependencies, budgets) on a fake live swarm,
/// and runs against the simulated swarm (creation, idempotent resume, a blocked tier).
@Suite("homelab bootstrap")
struct BootstrapTests {
    /// Three small stacks, one per tier of the example inventory; `broken` gives the platform's `db` an image whose
    /// health check always fails in the simulator.
    typealias StackFile = (name: String, tier: String, services: [String], compose: String)

    static func stacks(prefix: String, broken: Bool = false) -> [StackFile] {
        let fast = "update_config: { monitor: 100ms, failure_action: rollback }"
        return [
            ("\(prefix)edge", "infrastructure", ["proxy"], """
                services:
                  proxy:
                    image: homelab/proxy:1
                    networks: [front]
                    secrets: [token]
                    configs: [routes]
                    deploy: { \(fast) }
                networks:
                  front: {}
                secrets:
                  token: { file: ./token.txt }
                configs:
                  routes: { file: ./routes.conf }
                """),
            ("\(prefix)data", "platform", ["db", "api", "cache"], """
                services:
                  db:
                    image: homelab/db:\(broken ? "broken" : "1")
                    networks: [backend]
                    deploy: { \(fast) }
                  api:
                    image: homelab/api:1
                    networks: [backend]
                    depends_on: [db]
                    deploy: { \(fast) }
                  cache:
                    image: homelab/cache:1
                    networks: [backend]
                    deploy: { \(fast) }
                networks:
                  backend: {}
                """),
            ("\(prefix)apps", "application", ["web"], """
                services:
                  web:
                    image: homelab/web:1
                    deploy: { \(fast) }
                """),
        ]
    }

    /// Writes an inventory (`homelab` plus the stacks) and `stacks/<stack>/compose.yaml` into `folder`; returns the
    /// inventory's path.
    static func writeLab(
        _ homelab: Homelab, stacks: [StackFile], in folder: TemporaryFolder, notes: [String] = []
    ) throws -> String {
        let lab = adding(stacks, to: homelab)
        for stack in stacks {
            let directory = folder.file("lab/stacks/\(stack.name)")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try stack.compose.write(toFile: directory + "/compose.yaml", atomically: true, encoding: .utf8)
            try "s3cr3t-token-value\n".write(toFile: directory + "/token.txt", atomically: true, encoding: .utf8)
            try "route /\n".write(toFile: directory + "/routes.conf", atomically: true, encoding: .utf8)
        }
        let path = folder.file("lab/homelab.yaml")
        try InventoryWriter.write(lab, to: path, notes: notes)
        return path
    }

    /// `homelab` with the stacks (and their services) in its inventory.
    static func adding(_ stacks: [StackFile], to homelab: Homelab) -> Homelab {
        var lab = homelab
        for stack in stacks {
            lab.stacks.append(
                Homelab.Stack(
                    name: stack.name, tier: stack.tier,
                    services: stack.services.map { Homelab.Service(name: $0, stack: stack.name, tier: stack.tier) }))
        }
        return lab
    }

    static func loaded(_ stacks: [StackFile], folder: TemporaryFolder) throws -> [BootstrapPlan.Stack] {
        try stacks.map { stack in
            let directory = folder.file("lab/stacks/\(stack.name)")
            let file = try ComposeLoader.load(path: directory + "/compose.yaml")
            return BootstrapPlan.Stack(stack: try ComposeConverter.convert(file, stack: stack.name), file: file, directory: directory)
        }
    }

    /// A homelab of three tiers and one node, without stacks.
    static let bare = Homelab(
        name: "lab", nodes: [Homelab.Node(name: "n1", role: .manager, platform: .bareMetal, address: "127.0.0.1", isLeader: true)],
        tiers: ["infrastructure", "platform", "application"], stacks: [])

    /// Nothing deployed, or only the services named in `present` (as their files describe them).
    struct FakeLive: StackLiveState {
        var specs: [String: Swarm.ServiceSpec] = [:]
        func liveSpecs() async throws -> [String: Swarm.ServiceSpec] { specs }
        func secretIDs() async throws -> [String: String] { [:] }
        func configIDs() async throws -> [String: String] { [:] }
        func networkNames() async throws -> [String: String] { [:] }
    }

    // MARK: planning

    @Test("missing services get create steps with their stack's networks, secrets and configs; tiers go in order")
    func planCreatesInTierOrder() async throws {
        let folder = try TemporaryFolder(prefix: "bootstrap-plan")
        let stacks = Self.stacks(prefix: "p")
        _ = try Self.writeLab(Self.bare, stacks: stacks, in: folder)
        let homelab = Self.adding(stacks, to: Self.bare)
        let plan = try await BootstrapPlan.make(homelab: homelab, stacks: try Self.loaded(stacks, folder: folder), live: FakeLive())
        #expect(plan.tiers.map(\.name) == ["infrastructure", "platform", "application"])
        #expect(plan.tiers.flatMap(\.services).allSatisfy { $0.action == .create })
        #expect(plan.plan.order.first == "pedge_proxy" && plan.plan.order.last == "papps_web", "\(plan.plan.order)")
        let order = plan.plan.order
        let index = { (name: String) in order.firstIndex(of: name) ?? -1 }
        #expect(index("pdata_db") < index("pdata_api"), "depends_on orders a tier's services")
        let change = try #require(plan.request.changes.first { $0.service == "pedge_proxy" })
        guard case .create(let creation) = change.change else { Issue.record("not a create step: \(change)"); return }
        #expect(creation.networks.map(\.name) == ["pedge_front"])
        #expect(creation.networks.first?.labels?[ComposeConverter.namespaceLabel] == "pedge")
        #expect(creation.secrets.map(\.name) == ["pedge_token"] && creation.secrets.first?.file?.hasSuffix("/pedge/token.txt") == true)
        #expect(creation.configs.map(\.name) == ["pedge_routes"])
        // Journaled as JSON: the path of the secret's file, never its content.
        let journaled = String(decoding: try JSONEncoder().encode(change.change), as: UTF8.self)
        #expect(!journaled.contains("s3cr3t") && journaled.contains("token.txt"))
        // The schedule keeps the tiers apart: every platform step starts after every infrastructure step ended.
        let entries = Dictionary(uniqueKeysWithValues: plan.plan.schedule.map { ($0.id, $0) })
        for (lowerTier, upperTier) in [(0, 1), (1, 2)] {
            let lowerEnd = plan.tiers[lowerTier].services.compactMap { entries[$0.name]?.end }.max() ?? .zero
            for service in plan.tiers[upperTier].services {
                #expect((entries[service.name]?.start ?? .zero) >= lowerEnd, "\(service.name) starts before tier \(lowerTier) is up")
            }
        }
    }

    @Test("services that exist as their file says are only checked; ones that differ are updated; the tier gate waits for all")
    func planLeavesPresentServices() async throws {
        let folder = try TemporaryFolder(prefix: "bootstrap-plan")
        let stacks = Self.stacks(prefix: "q")
        _ = try Self.writeLab(Self.bare, stacks: stacks, in: folder)
        let homelab = Self.adding(stacks, to: Self.bare)
        let loaded = try Self.loaded(stacks, folder: folder)
        var live = FakeLive()
        live.specs["qedge_proxy"] = loaded[0].stack.services["proxy"].map { spec in
            var spec = spec
            spec.taskTemplate?.containerSpec?.secrets = nil
            spec.taskTemplate?.containerSpec?.configs = nil
            return spec
        }
        live.specs["qdata_cache"] = loaded[1].stack.services["cache"]
        var changed = loaded[1].stack.services["api"]
        changed?.taskTemplate?.containerSpec?.image = "homelab/api:0"
        live.specs["qdata_api"] = changed
        // The proxy differs (its secrets and configs are missing live), so it is updated: give the fake their IDs.
        struct WithIDs: StackLiveState {
            var inner: FakeLive
            func liveSpecs() async throws -> [String: Swarm.ServiceSpec] { try await inner.liveSpecs() }
            func secretIDs() async throws -> [String: String] { ["qedge_token": "s1"] }
            func configIDs() async throws -> [String: String] { ["qedge_routes": "c1"] }
            func networkNames() async throws -> [String: String] { [:] }
        }
        let plan = try await BootstrapPlan.make(homelab: homelab, stacks: loaded, live: WithIDs(inner: live))
        let actions = Dictionary(uniqueKeysWithValues: plan.tiers.flatMap(\.services).map { ($0.name, $0.action) })
        #expect(actions["qdata_cache"] == .present && actions["qdata_api"] == .update && actions["qdata_db"] == .create)
        guard case .create? = plan.request.changes.first(where: { $0.service == "qdata_cache" })?.change else {
            Issue.record("a present service is checked by a create step, which finds it and creates nothing")
            return
        }
        let graph = plan.plan.graph
        let web = try #require(graph.index(of: "qapps_web"))
        #expect(Set(graph.predecessors[web].map { graph.steps[$0].id }) == ["qdata_db", "qdata_api", "qdata_cache"])

        // Everything present: nothing to do.
        var all = FakeLive()
        for source in loaded {
            for (name, spec) in source.stack.services where spec.taskTemplate?.containerSpec?.secrets == nil {
                all.specs[source.stack.swarmName(of: name)] = spec
            }
        }
        all.specs["qedge_proxy"] = nil
        let partial = try await BootstrapPlan.make(homelab: homelab, stacks: Array(loaded.dropFirst()), live: all)
        #expect(partial.isUpToDate)
    }

    @Test("budgets: at most --budget services start at once; a stack the inventory does not name is refused")
    func planBudgets() async throws {
        let folder = try TemporaryFolder(prefix: "bootstrap-plan")
        let stacks = Self.stacks(prefix: "b")
        _ = try Self.writeLab(Self.bare, stacks: stacks, in: folder)
        let homelab = Self.adding(stacks, to: Self.bare)
        let loaded = try Self.loaded(stacks, folder: folder)
        for budget in [1, 2] {
            let plan = try await BootstrapPlan.make(homelab: homelab, stacks: loaded, live: FakeLive(), options: .init(budget: budget))
            for entry in plan.plan.schedule {
                let overlapping = plan.plan.schedule.filter { $0.start <= entry.start && $0.end > entry.start }
                #expect(overlapping.count <= budget, "budget \(budget): \(overlapping.map(\.id)) at \(entry.start)")
            }
            if budget == 2 {
                let starts = Dictionary(uniqueKeysWithValues: plan.plan.schedule.map { ($0.id, $0.start) })
                #expect(starts["bdata_db"] == starts["bdata_cache"], "two independent platform services start together")
            }
        }
        await #expect(throws: HomelabError.self) {
            _ = try await BootstrapPlan.make(homelab: Self.bare, stacks: loaded, live: FakeLive())
        }
    }

    @Test("the report: a failed service blocks its tier and the tiers above, naming both")
    func reportBlockedTier() throws {
        let tiers = [
            BootstrapPlan.Tier(name: "infrastructure", services: [.init(name: "e_proxy", stack: "e", tier: "infrastructure", action: .create)]),
            BootstrapPlan.Tier(name: "platform", services: [
                .init(name: "d_db", stack: "d", tier: "platform", action: .create),
                .init(name: "d_cache", stack: "d", tier: "platform", action: .present),
            ]),
            BootstrapPlan.Tier(name: "application", services: [.init(name: "a_web", stack: "a", tier: "application", action: .create)]),
        ]
        func step(_ id: String, _ status: RolloutJournal.StepStatus, _ detail: String? = nil) -> RolloutJournal.Step {
            var step = RolloutJournal.Step(stepID: id, position: 0, status: status, payload: Data())
            step.detail = detail
            return step
        }
        let blocked = BootstrapReport(runID: "r", status: .failed, tiers: tiers, steps: [
            step("e_proxy", .succeeded), step("d_db", .failed, "did not converge within 3 seconds"), step("a_web", .blocked),
        ])
        #expect(blocked.tiers.map(\.state) == [.up, .blocked, .notStarted])
        #expect(blocked.blockedTier?.failed.map(\.service) == ["d_db"])
        #expect(blocked.tiers[2].blockedBy == "platform")
        let text = blocked.lines.joined(separator: "\n")
        #expect(text.contains("d_db never became healthy: did not converge within 3 seconds"))
        #expect(text.contains("tier application: not started (tier platform is blocked): a_web"))
        let up = BootstrapReport(runID: "r", status: .completed, tiers: tiers, steps: [
            step("e_proxy", .succeeded), step("d_db", .succeeded), step("a_web", .succeeded),
        ])
        #expect(up.isUp && up.blockedTier == nil && up.tiers[1].up == ["d_db", "d_cache"])
    }

    // MARK: against the simulated swarm

    @Test("bootstrap on the simulated swarm: --dry-run plans, the run creates every tier in order, a rerun creates nothing")
    func simulatedBootstrap() async throws {
        try await withCommandHarness { harness in
            let folder = try TemporaryFolder(prefix: "bootstrap-sim")
            let stacks = Self.stacks(prefix: "bsim")
            let config = try Self.writeLab(
                harness.simulation.homelab, stacks: stacks, in: folder, notes: InventoryWriter.notes(for: harness.simulation.endpoints))
            let swarm = try harness.swarm()
            let dry = await harness.run(["bootstrap", "--config", config, "--dry-run", "--budget", "2"], withConfig: false)
            #expect(dry.status == 0, "\(dry)")
            #expect(dry.output.contains("tier infrastructure") && dry.output.contains("create  bsimedge_proxy"), "\(dry)")
            let json = await harness.run(["bootstrap", "--config", config, "--dry-run", "-o", "json"], withConfig: false)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let tiers = try #require(document["tiers"] as? [[String: Any]])
            #expect(tiers.compactMap { $0["name"] as? String } == ["infrastructure", "platform", "application"], "\(json)")
            #expect(try await swarm.serviceExists(named: "bsimedge_proxy") == false, "--dry-run changes nothing")

            let run = await harness.run(["bootstrap", "--config", config, "--budget", "2", "--no-health-check"], withConfig: false)
            #expect(run.status == 0, "\(run)")
            #expect(run.output.contains("tier application: up (bsimapps_web)"), "\(run)")
            #expect(!run.output.contains("s3cr3t") && !run.error.contains("s3cr3t"))
            for name in ["bsimedge_proxy", "bsimdata_db", "bsimdata_api", "bsimdata_cache", "bsimapps_web"] {
                #expect(try await swarm.serviceExists(named: name), "\(name) was created")
            }
            let proxy = try await swarm.services.inspect("bsimedge_proxy")
            #expect(proxy.spec?.taskTemplate?.containerSpec?.secrets?.first?.secretID?.isEmpty == false)
            #expect(try await swarm.networks.list(filters: .name("bsimdata_backend")).filter { $0.name == "bsimdata_backend" }.count == 1)
            let created = try await swarm.services.list(status: false).compactMap(\.spec?.name).filter { $0.hasPrefix("bsim") }
            let webCreated = try #require(try await swarm.services.inspect("bsimapps_web").createdAt)
            for name in ["bsimedge_proxy", "bsimdata_db", "bsimdata_api", "bsimdata_cache"] {
                let at = try #require(try await swarm.services.inspect(name).createdAt)
                #expect(at <= webCreated, "\(name) was created before the application tier")
            }

            let again = await harness.run(["bootstrap", "--config", config, "--no-health-check"], withConfig: false)
            #expect(again.status == 0 && again.output.contains("checking that each is up"), "\(again)")
            #expect(try await swarm.services.list(status: false).compactMap(\.spec?.name).filter { $0.hasPrefix("bsim") } == created)
        }
    }

    @Test("a service that never becomes healthy blocks its tier and everything above: exit 5, naming them")
    func simulatedBlockedTier() async throws {
        try await withCommandHarness { harness in
            let folder = try TemporaryFolder(prefix: "bootstrap-sim")
            let stacks = Self.stacks(prefix: "bblk", broken: true)
            let config = try Self.writeLab(
                harness.simulation.homelab, stacks: stacks, in: folder, notes: InventoryWriter.notes(for: harness.simulation.endpoints))
            let run = await harness.run(
                ["bootstrap", "--config", config, "--budget", "3", "--timeout", "15", "--no-health-check"], withConfig: false)
            #expect(run.status == 5, "\(run)")
            #expect(run.output.contains("tier infrastructure: up"), "\(run)")
            #expect(run.output.contains("tier platform: BLOCKED") && run.output.contains("bblkdata_db never became healthy"), "\(run)")
            #expect(run.output.contains("not started in this tier: bblkdata_api"), "\(run)")
            #expect(run.output.contains("tier application: not started (tier platform is blocked): bblkapps_web"), "\(run)")
            let swarm = try harness.swarm()
            #expect(try await swarm.serviceExists(named: "bblkapps_web") == false)
            #expect(try await swarm.serviceExists(named: "bblkdata_api") == false)
            #expect(try await swarm.serviceExists(named: "bblkdata_cache"), "an independent service of the blocked tier still came up")
            let json = await harness.run(
                ["bootstrap", "--config", config, "--timeout", "10", "--no-health-check", "-o", "json"], withConfig: false)
            #expect(json.status == 5, "\(json)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let tiers = try #require(document["tiers"] as? [[String: Any]])
            #expect(tiers.compactMap { $0["state"] as? String } == ["up", "blocked", "not-started"], "\(json)")
        }
    }

    @Test("resume after a crash finishes the run without creating anything twice")
    func simulatedResume() async throws {
        try await withCommandHarness { harness in try await Self.crashAndResume(harness) }
    }

    static func creation(of service: String, in request: RolloutRequest) -> ServiceCreation? {
        for change in request.changes where change.service == service {
            if case .create(let creation) = change.change { return creation }
        }
        return nil
    }

    static func crashAndResume(_ harness: CommandHarness) async throws {
        let folder = try TemporaryFolder(prefix: "bootstrap-sim")
        let stacks = Self.stacks(prefix: "bres")
        _ = try Self.writeLab(harness.simulation.homelab, stacks: stacks, in: folder)
        let homelab = Self.adding(stacks, to: harness.simulation.homelab)
        let swarm = try harness.swarm()
        let loaded = try Self.loaded(stacks, folder: folder)
        let plan = try await BootstrapPlan.make(homelab: homelab, stacks: loaded, live: swarm, options: .init(budget: 2, healthChecks: false))
        // A crash right after the proxy's creation: its step journaled running, the service and its objects made.
        let store = try StateStore(path: folder.file("state.sqlite"))
        let journal = store.rolloutJournal
        var steps: [RolloutJournal.Step] = []
        for (position, id) in plan.plan.order.enumerated() {
            let change = try #require(plan.request.changes.first { $0.service == id })
            steps.append(RolloutJournal.Step(stepID: id, position: position, payload: try JSONEncoder().encode(change.change)))
        }
        try await journal.create(runID: "boot-crash", request: try JSONEncoder().encode(plan.request), steps: steps)
        try await journal.transition(runID: "boot-crash", stepID: "bresedge_proxy", to: .running)
        let proxy = try #require(Self.creation(of: "bresedge_proxy", in: plan.request))
        let first = try await proxy.ensure(on: swarm)
        let second = try await proxy.ensure(on: swarm)
        #expect(first && !second, "found by name the second time: not created twice")

        let runner = RolloutRunner(swarm: swarm, journal: journal, logger: Logger(label: "test"), owner: "test:1")
        let result = try await runner.resume(runID: "boot-crash")
        #expect(result.status == .completed, "\(result)")
        let finalSteps = try await journal.steps(runID: "boot-crash")
        let report = BootstrapReport(
            runID: result.runID, status: result.status, tiers: BootstrapPlan.tiers(of: plan.request, homelab: homelab), steps: finalSteps)
        #expect(report.isUp, "\(report.lines)")
        let networks = try await swarm.networks.list().filter { $0.name == "bresedge_front" }
        let secrets = try await swarm.secrets.list().filter { $0.spec?.name == "bresedge_token" }
        let services = try await swarm.services.list(status: false).compactMap(\.spec?.name).filter { $0.hasPrefix("bres") }
        #expect(networks.count == 1 && secrets.count == 1)
        #expect(services.sorted() == ["bresapps_web", "bresdata_api", "bresdata_cache", "bresdata_db", "bresedge_proxy"])
        var again: (any Error)?
        do { _ = try await runner.resume(runID: "boot-crash") } catch { again = error }
        #expect(again is HomelabError, "a finished run does not resume")

        // What a create step cannot make: an external secret that does not exist, a secret file that is missing.
        var orphan = proxy
        orphan.spec.name = "bres_orphan"
        orphan.secrets = [ServiceCreation.FileObject(name: "bres-external-missing", external: true)]
        var external: (any Error)?
        do { _ = try await orphan.ensure(on: swarm) } catch { external = error }
        #expect("\(external.map { "\($0)" } ?? "")".contains("external secret bres-external-missing, which does not exist"))
        orphan.secrets = [ServiceCreation.FileObject(name: "bres-nofile", file: folder.file("no-such-file"))]
        var unreadable: (any Error)?
        do { _ = try await orphan.ensure(on: swarm) } catch { unreadable = error }
        #expect((unreadable as? HomelabError)?.code == .invalidConfiguration, "\(String(describing: unreadable))")
        let orphanMade = try await swarm.serviceExists(named: "bres_orphan")
        #expect(!orphanMade, "nothing is created when an object it needs cannot be")
    }
}
