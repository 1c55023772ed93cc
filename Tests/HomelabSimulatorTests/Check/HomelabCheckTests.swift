import Foundation
import HomelabCore
import HomelabSimulator
import Testing

/// `homelab check`'s rules against the simulated homelab, which ships with one deliberate finding of each kind
/// (``SimulatedFindings``; forward auth's from the Caddy and Authentik simulators). Each rule's failing case is the
/// simulated homelab as it starts; its passing case is the same reading (or the live component) with the problem
/// fixed.
@Suite("homelab check rules on the simulated homelab")
struct HomelabCheckTests {
    /// Reads what `rules` need from the simulation.
    static func read(_ sim: SimulatorHarness, _ rules: Set<CheckRule>) async -> CheckSnapshot {
        let connections = HomelabConnections(
            homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        let snapshot = await CheckSnapshot.read(connections: connections, rules: rules, timeout: .seconds(30))
        await connections.close()
        return snapshot
    }

    static func result(_ snapshot: CheckSnapshot, _ rule: CheckRule) -> CheckRuleResult {
        HomelabCheck.evaluate(snapshot, rules: [rule]).results[0]
    }

    /// Replaces the live spec of the inventory service `name` in a reading.
    static func changeService(_ snapshot: inout CheckSnapshot, _ name: String, _ change: (inout Swarm.ServiceSpec) -> Void) throws {
        var swarm = try #require(snapshot.swarm.value)
        let service = try #require(snapshot.homelab.service(named: name))
        let index = try #require(swarm.services.firstIndex { $0.spec?.name == service.swarmName })
        var spec = try #require(swarm.services[index].spec)
        change(&spec)
        swarm.services[index].spec = spec
        snapshot.swarm = .read(swarm)
    }

    @Test("forward-auth: tautulli's route skips forward auth and maintainerr's provider has no outpost; fixed, the rule passes")
    func forwardAuth() async throws {
        try await withSimulation { sim in
            var snapshot = await Self.read(sim, [.forwardAuth])
            let failing = Self.result(snapshot, .forwardAuth)
            #expect(failing.unknown == nil, "\(failing.unknown ?? "")")
            #expect(failing.findings.map(\.service) == ["maintainerr", "tautulli"], "\(failing.findings)")
            #expect(failing.findings.first { $0.service == "tautulli" }?.found.contains("no forward_auth") == true)
            #expect(failing.findings.first { $0.service == "maintainerr" }?.expected.contains("bound to an outpost") == true)
            #expect(failing.checked > 10 && failing.findings.allSatisfy { !$0.hint.isEmpty })

            var routing = try #require(snapshot.routing.value)
            let protectedRoute = try #require(routing.live.first { $0.isProtected })
            for index in routing.live.indices where routing.live[index].host == "tautulli.home.arpa" {
                routing.live[index].forwardAuth = protectedRoute.forwardAuth
                routing.live[index].isProtected = true
            }
            snapshot.routing = .read(routing)
            var state = try #require(snapshot.authentik.value)
            let provider = try #require(state.proxyProviders.first { $0.externalHostName == "maintainerr.home.arpa" })
            let serving = try #require(state.outposts.firstIndex { !$0.providers.isEmpty })
            state.outposts[serving].providers.append(provider.pk)
            snapshot.authentik = .read(state)
            let passing = Self.result(snapshot, .forwardAuth)
            #expect(passing.findings.isEmpty && passing.state == "ok", "\(passing.findings)")
        }
    }

    @Test("backups: komodo-mongo keeps its data on a local volume; on its dataset it passes; a stale snapshot is found")
    func backups() async throws {
        try await withSimulation { sim in
            var snapshot = await Self.read(sim, [.backups])
            let failing = Self.result(snapshot, .backups)
            #expect(failing.unknown == nil, "\(failing.unknown ?? "")")
            #expect(failing.findings.map(\.service) == [SimulatedFindings.unbackedService], "\(failing.findings)")
            #expect(failing.findings.first?.found.contains("Docker volume 'komodo_komodo-mongo-data'") == true, "\(failing.findings)")
            #expect(failing.checked == sim.simulation.homelab.services.filter(\.isStateful).count)

            try Self.changeService(&snapshot, SimulatedFindings.unbackedService) { spec in
                spec.taskTemplate?.containerSpec?.mounts = [Swarm.Mount(target: "/data/db", source: "/mnt/tank/apps/komodo/komodo-mongo", type: .bind)]
            }
            let passing = Self.result(snapshot, .backups)
            #expect(passing.findings.isEmpty && passing.state == "ok", "\(passing.findings)")

            // The hourly task stopped two hours ago: its snapshots are older than 1.5 periods.
            snapshot.now = Date().addingTimeInterval(2 * 3_600)
            let stale = Self.result(snapshot, .backups)
            #expect(stale.findings.count == failing.checked, "every dataset's newest snapshot is now 3 h old")
            #expect(stale.findings.first?.found.hasPrefix("the newest is 3") == true, "\(stale.findings.first?.found ?? "")")
            #expect(stale.findings.first?.expected.contains("its task runs every 60 min") == true, "\(stale.findings.first?.expected ?? "")")
        }
    }

    @Test("monitoring: seerr runs without its kuma.* labels and loki's Prometheus target is down; fixed, the rule passes")
    func monitoring() async throws {
        try await withSimulation { sim in
            var snapshot = await Self.read(sim, [.monitoring])
            let failing = Self.result(snapshot, .monitoring)
            #expect(failing.unknown == nil, "\(failing.unknown ?? "")")
            #expect(
                failing.findings.map(\.service) == [SimulatedFindings.unscrapedService, SimulatedFindings.unmonitoredService], "\(failing.findings)")
            let kuma = failing.findings.first { $0.service == SimulatedFindings.unmonitoredService }
            #expect(kuma?.expected.hasPrefix("kuma.*") == true && kuma?.hint.contains("AutoKuma") == true, "\(failing.findings)")
            let scrape = failing.findings.first { $0.service == SimulatedFindings.unscrapedService }
            #expect(scrape?.expected == "its Prometheus target up", "\(failing.findings)")
            #expect(scrape?.found.contains("http://tasks.loki:3100/metrics is down") == true && scrape?.found.contains("connection refused") == true)
            let targets = try #require(snapshot.prometheus.value, "the simulated Prometheus was read")
            #expect(Set(targets.compactMap(\.job)) == Set(SimulatedFindings.metricsPorts.keys), "\(targets)")

            // Fixed: seerr's kuma.* label on its live service, loki's target up.
            try Self.changeService(&snapshot, SimulatedFindings.unmonitoredService) { spec in
                spec.labels?["kuma.seerr.http.url"] = "https://seerr.home.arpa"
            }
            snapshot.prometheus = .read(targets.map { target in
                var target = target
                target.health = "up"
                target.lastError = ""
                return target
            })
            let passing = Self.result(snapshot, .monitoring)
            #expect(passing.findings.isEmpty && passing.state == "ok", "\(passing.findings)")
            #expect(passing.checked == failing.checked && passing.checked > SimulatedFindings.metricsPorts.count)

            // Without Prometheus the scrape half is unknown; a labelled service with no target at all is a finding.
            snapshot.prometheus = .absent("no prometheus in the inventory")
            #expect(Self.result(snapshot, .monitoring).state == "unknown")
            snapshot.prometheus = .read(targets.filter { $0.job != "grafana" })
            let missing = Self.result(snapshot, .monitoring).findings.filter { $0.service == "grafana" }
            #expect(missing.map(\.found) == ["no active target has job or instance grafana"], "\(missing)")
        }
    }

    @Test("secrets: cloudflared's tunnel token is in Swarm, not in 1Password; once stored there the rule passes")
    func secrets() async throws {
        try await withSimulation { sim in
            let failing = Self.result(await Self.read(sim, [.secrets]), .secrets)
            #expect(failing.unknown == nil, "\(failing.unknown ?? "")")
            #expect(failing.findings.map(\.service) == ["cloudflared"], "\(failing.findings)")
            let finding = try #require(failing.findings.first)
            #expect(finding.expected.contains(SimulatedFindings.missingSecret) && finding.expected.contains("op://homelab/cloudflared/tunnel-token"))
            #expect(finding.found.contains("no item titled 'cloudflared'"), "\(finding.found)")

            let value = "tunnel-token-\(UUID().uuidString)"
            _ = await sim.simulation.connectVaults?.store(value: value, item: "cloudflared", field: "tunnel-token")
            let passing = Self.result(await Self.read(sim, [.secrets]), .secrets)
            #expect(passing.findings.isEmpty && passing.state == "ok", "\(passing.findings)")
            #expect(!"\(passing)".contains(value) && !"\(failing)".contains(value), "the value never appears in a result")
        }
    }

    @Test("placement: posterizarr is held by a node label, not its pin; re-pinned live, the rule passes; quorum findings")
    func placement() async throws {
        try await withSimulation { sim in
            let failing = Self.result(await Self.read(sim, [.placement]), .placement)
            #expect(failing.unknown == nil, "\(failing.unknown ?? "")")
            #expect(failing.findings.map(\.service) == [SimulatedFindings.looselyPinnedService], "\(failing.findings)")
            #expect(failing.findings.first?.found.contains("node.labels.storage==zfs") == true, "\(failing.findings)")

            let swarm = SwarmClient(transport: sim.transport, endpoint: .unixSocket(sim.simulation.endpoints.dockerSocket))
            _ = try await swarm.services.modify("media-enrichment_posterizarr") { spec in
                spec.taskTemplate?.placement?.constraints = ["node.hostname == barbary"]
            }
            var snapshot = await Self.read(sim, [.placement])
            let passing = Self.result(snapshot, .placement)
            #expect(passing.findings.isEmpty && passing.state == "ok", "\(passing.findings)")

            // Quorum: a drained manager, then an even number of managers.
            var reading = try #require(snapshot.swarm.value)
            let angre = try #require(reading.nodes.firstIndex { $0.nodeName == "angre" })
            reading.nodes[angre].spec?.availability = .drain
            snapshot.swarm = .read(reading)
            #expect(Self.result(snapshot, .placement).findings.map(\.found) == ["manager angre is drained"])
            reading.nodes[angre].spec?.availability = .active
            reading.nodes[angre].spec?.role = .worker
            reading.nodes[angre].managerStatus = nil
            snapshot.swarm = .read(reading)
            #expect(Self.result(snapshot, .placement).findings.map(\.found) == ["2 managers (barbary, ching)"])
        }
    }

    @Test("an unreachable component makes its rules unknown, never a pass; the others are still checked")
    func unreachable() async throws {
        try await withSimulation(faults: [.truenas: FaultPlan(resetRate: 1)]) { sim in
            let connections = HomelabConnections(
                homelab: sim.simulation.homelab, transport: sim.transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
            let report = await HomelabCheck.run(connections: connections, rules: [.backups, .placement], timeout: .seconds(10))
            await connections.close()
            #expect(report.unknownRules == [.backups], "\(report.results)")
            #expect(report.results.first?.unknown?.hasPrefix("TrueNAS:") == true, "\(report.results)")
            #expect(report.findingCounts[.backups] == nil && report.findingCounts[.placement] == 1)
            #expect(!report.isClean && !report.checkedNothing)
        }
    }
}
