import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// `homelab provision NODE`'s pipeline on the simulated homelab: the bare-metal worker `dhow` is taken out of the
/// simulated swarm, then provisioned again: its PXE registration in the simulated matchbox, SSH (a scripted shell),
/// the default setup steps, the join with the simulated manager's worker token, its inventory label, and Komodo
/// deploying the one stack whose constraint (`node.labels.transcode==true`) the node satisfies.
@Suite("Provisioning a node end to end on the simulator: journaled, resumable, checks before applies", .serialized)
struct NodeProvisioningTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct World {
        var simulation: HomelabSimulation
        var connections: HomelabConnections
        var node: Homelab.Node
        var machine: CountingMachine
        var shell: ScriptedShell
        var joiner: SimulatedSwarmJoin
        var journal: ProvisionJournal
        var runner: NodeProvisioning

        /// The plan as the command makes it: from the inventory and the journal now.
        func plan() async throws -> ProvisionPlan {
            ProvisionPlan(node: node, homelab: simulation.homelab, journal: try await journal.entries(node: node.name))
        }

        func swarmNode() async throws -> Swarm.Node? {
            try await connections.swarm().nodes.list().first { $0.nodeName == node.name && $0.status?.state == .ready }
        }
    }

    static func withWorld(broken: Set<String> = [], _ body: (World) async throws -> Void) async throws {
        var inventory = try InventoryLoader.load(path: repositoryRoot.appendingPathComponent("Examples/homelab.yaml").path)
        let index = try #require(inventory.nodes.firstIndex { $0.name == "dhow" })
        inventory.nodes[index].labels = ["transcode": "true"]
        let simulation = try await HomelabSimulation.start(inventory: inventory, options: SimulationOptions(timeScale: 0.005, seed: 7))
        let transport = try CurlTransport()
        let connections = HomelabConnections(
            homelab: simulation.homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        let folder = try TemporaryFolder(prefix: "homelab-provision")
        do {
            let manager = try await connections.swarm()
            // dhow leaves the swarm (its machine "was wiped"); a transcoder service of media-core waits for a node
            // labelled transcode=true.
            let old = try #require(try await manager.nodes.list().first { $0.nodeName == "dhow" }?.id)
            try await manager.nodes.remove(old, force: true)
            _ = try await manager.services.create(
                Swarm.ServiceSpec(
                    name: "media-core_transcoder", labels: ["com.docker.stack.namespace": "media-core"],
                    taskTemplate: Swarm.TaskSpec(
                        containerSpec: Swarm.ContainerSpec(image: "registry.home.arpa/transcoder:1"),
                        placement: Swarm.Placement(constraints: ["node.labels.transcode==true"])),
                    mode: .replicated(replicas: 1)))
            let node = try #require(simulation.homelab.node(named: "dhow"))
            let dnsmasq = simulation.homelab.components[.dnsmasq] == nil ? nil : try connections.dnsmasqFile()
            let pxe = BareMetalProvisioning(homelab: simulation.homelab, matchbox: try connections.matchboxDirectory(), dnsmasq: dnsmasq)
            let machine = CountingMachine(PXEMachine(provisioning: pxe, request: .init(node: node, operatingSystem: .debian)))
            let shell = ScriptedShell(steps: simulation.homelab.provisionSteps(for: node), inPlace: ["docker-engine"], broken: broken)
            let joiner = SimulatedSwarmJoin(world: try #require(simulation.dockerWorld))
            let journal = try StateStore(path: folder.file("state.sqlite")).provisionJournal
            let parts = NodeProvisioning.Parts(
                machine: machine, shell: shell, manager: manager, joiner: joiner, komodo: try await connections.komodo(), journal: journal)
            let runner = NodeProvisioning(parts: parts, timeouts: .init(ssh: .seconds(10), join: .seconds(30), deploy: .seconds(60)))
            try await body(
                World(
                    simulation: simulation, connections: connections, node: node, machine: machine, shell: shell, joiner: joiner,
                    journal: journal, runner: runner))
        } catch {
            await connections.close()
            transport.shutdown()
            await simulation.shutdown()
            throw error
        }
        await connections.close()
        transport.shutdown()
        await simulation.shutdown()
    }

    static func outcomes(_ reports: [ProvisionStepReport]) -> [String] {
        reports.map { "\($0.step) \($0.outcome.rawValue)" }
    }

    @Test("every step runs once in order; the node joins as a worker, is labelled, and Komodo deploys the stack it fits")
    func endToEnd() async throws {
        try await Self.withWorld { world in
            let komodo = try await world.connections.komodo()
            let deploysBefore = try await komodo.updates.forStack("media-core", limit: 50).filter { $0.operation == "DeployStack" }.count
            let reports = try await world.runner.run(try await world.plan())
            #expect(
                Self.outcomes(reports) == [
                    "machine changed", "ssh ok", "setup:packages changed", "setup:docker-engine ok", "setup:sshd-hardening changed",
                    "join changed", "labels changed", "deploy changed",
                ], "\(reports)")
            #expect(reports.last?.detail == "deployed media-core", "\(reports)")
            let joined = try #require(try await world.swarmNode(), "dhow is back in the swarm")
            #expect(joined.spec?.role == .worker && joined.spec?.labels?["transcode"] == "true")
            let deploysAfter = try await komodo.updates.forStack("media-core", limit: 50).filter { $0.operation == "DeployStack" }.count
            #expect(deploysAfter == deploysBefore + 1)
            let dockerEngine = try #require(world.simulation.homelab.provisionSteps(for: world.node).first { $0.name == "docker-engine" })
            #expect(world.shell.commands.filter { $0 == dockerEngine.check }.count == 1, "a passing check is run once")
            #expect(!world.shell.commands.contains(dockerEngine.apply), "a passing check skips its apply")
            #expect(try await world.journal.entries(node: "dhow").allSatisfy { $0.status == .succeeded })

            // Again: the journal says everything is done; nothing is repeated.
            let again = try await world.runner.run(try await world.plan())
            #expect(again.allSatisfy { $0.outcome == .skipped && $0.detail.hasPrefix("done in an earlier run") }, "\(again)")
            #expect(world.machine.runs == 1 && world.joiner.joins == 1)
        }
    }

    @Test("a node another live process is provisioning is refused, naming it, with nothing run; a dead process's hold is taken over")
    func heldByAnotherProcess() async throws {
        try await Self.withWorld { world in
            let host = ProcessInfo.processInfo.hostName
            let live = "\(host):1"  // init: alive for as long as the machine is
            try await world.journal.claim(node: "dhow", owner: live)
            do {
                let reports = try await world.runner.run(try await world.plan())
                Issue.record("ran while \(live) held the node: \(reports)")
            } catch let error as HomelabError {
                #expect(error.code == .conflict && error.description.contains(live), "\(error)")
            }
            #expect(try await world.journal.entries(node: "dhow").isEmpty, "nothing was journaled, so nothing ran")
            #expect(world.machine.runs == 0 && world.shell.commands.isEmpty)

            // A crashed run's hold (its pid is gone) does not block the next run, which releases the node at its end.
            try await world.journal.release(node: "dhow", owner: live)
            try await world.journal.claim(node: "dhow", owner: "\(host):999999999")
            let reports = try await world.runner.run(try await world.plan())
            #expect(reports.allSatisfy { $0.outcome != .failed }, "\(reports)")
            try await world.journal.claim(node: "dhow", owner: live)  // refused (.conflict) had the run kept its hold
        }
    }

    @Test("a setup step whose check still fails after apply stops the run; the next run resumes there and repeats nothing")
    func resumeAfterFailure() async throws {
        try await Self.withWorld(broken: ["sshd-hardening"]) { world in
            let first = try await world.runner.run(try await world.plan())
            #expect(
                Self.outcomes(first) == [
                    "machine changed", "ssh ok", "setup:packages changed", "setup:docker-engine ok", "setup:sshd-hardening failed",
                ], "\(first)")
            let failed = try #require(first.last)
            #expect(!failed.isError && failed.detail.contains("the check still fails after apply"))
            #expect(failed.output?.contains("passwordauthentication yes") == true, "the failing check's output is shown")
            #expect(try await world.swarmNode() == nil, "nothing after the failed step ran")
            let stored = try await world.journal.entries(node: "dhow")
            #expect(stored.map(\.status) == [.succeeded, .succeeded, .succeeded, .succeeded, .failed])

            world.shell.repair("sshd-hardening")
            let packages = try #require(world.simulation.homelab.provisionSteps(for: world.node).first)
            let second = try await world.runner.run(try await world.plan())
            #expect(
                Self.outcomes(second) == [
                    "machine skipped", "ssh skipped", "setup:packages skipped", "setup:docker-engine skipped", "setup:sshd-hardening ok",
                    "join changed", "labels changed", "deploy changed",
                ], "the failed step runs again, its check first (now passing: the fix was made by hand): \(second)")
            #expect(world.machine.runs == 1, "the machine step is not repeated")
            #expect(world.shell.commands.filter { $0 == packages.apply }.count == 1, "a completed step's apply is not repeated")
            #expect(try await world.swarmNode() != nil)
        }
    }

    @Test("a join the swarm refuses (a stale token) fails as an error; running again joins with a fresh token")
    func joinRefused() async throws {
        try await Self.withWorld { world in
            let manager = try await world.connections.swarm()
            let stale = StaleTokenJoin(world: try #require(world.simulation.dockerWorld), manager: manager)
            let parts = NodeProvisioning.Parts(
                machine: world.machine, shell: world.shell, manager: manager, joiner: stale, komodo: nil, journal: world.journal)
            let runner = NodeProvisioning(parts: parts, timeouts: .init(ssh: .seconds(10), join: .seconds(30)))
            let first = try await runner.run(try await world.plan())
            let failed = try #require(first.last)
            #expect(failed.step == "join" && failed.outcome == .failed && failed.isError, "\(first)")
            #expect(failed.detail.contains("join token is not this swarm's"), "\(failed)")
            let second = try await runner.run(try await world.plan())
            #expect(Self.outcomes(second).suffix(3) == ["join changed", "labels changed", "deploy skipped"], "\(second)")
            #expect(second.last?.detail == "no components.komodo in the inventory")
        }
    }
}

/// Joins with the worker token it saw first, rotated away since: the simulated swarm refuses it once.
final class StaleTokenJoin: SwarmJoining {
    let world: DockerWorld
    let manager: SwarmClient
    private let attempts = Locked(0)
    init(world: DockerWorld, manager: SwarmClient) {
        self.world = world
        self.manager = manager
    }

    func join(_ node: Homelab.Node, _ request: Swarm.SwarmJoinRequest, timeout: Duration) async throws {
        let attempt = attempts.withLock { count in
            count += 1
            return count
        }
        if attempt == 1 { _ = try await manager.swarm.rotateJoinToken(.worker) }
        try await world.join(node, token: request.joinToken.reveal())
    }
}
