import ArgumentParser
import Foundation
import HomelabCore
import Logging

/// `homelab demo`: the whole tour on a machine with no homelab. Starts the simulated homelab in-process,
/// shows the overview, rolls a service with live progress, shows a bad release being rolled back, and says
/// how to point the other frontends at a standalone `homelab-sim`.
///
/// The simulator (Hummingbird, SwiftNIO) is not linked into `homelab`, whose start-up it would slow for every
/// other command: `homelab demo` runs the `homelab-demo` executable (``DemoExecutable``), which runs this same
/// command with its ``simulator`` set.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Try everything against a simulated homelab on 127.0.0.1 (no homelab needed).")

    @Option(name: .long, help: "Inventory to simulate.")
    var inventory: String = "Examples/homelab.yaml"

    @Option(name: .long, help: "Simulated seconds per real second are 1/time-scale (0.02: 50x faster).")
    var timeScale: Double = 0.02

    @Option(name: .long, help: "The service that gets a broken release (stack/service).")
    var brokenService: String = "forgejo/forgejo"

    /// Starts the simulated homelab: set by `homelab-demo`; `nil` in `homelab`, which then runs `homelab-demo`.
    @TaskLocal static var simulator: (any DemoSimulator)?

    func run() async throws {
        guard let simulator = Self.simulator else {
            let status = try await DemoExecutable.run(
                ["--inventory", inventory, "--time-scale", "\(timeScale)", "--broken-service", brokenService])
            if status != 0 { throw ExitCode(status) }
            return
        }
        let source = try InventoryLoader.load(path: inventory)
        print("Starting a simulated homelab from \(inventory) on 127.0.0.1 (time runs \(Int(1 / timeScale))x faster)...")
        let simulation = try await simulator.start(inventory: source, timeScale: timeScale)
        do {
            try await tour(simulation)
        } catch {
            await simulation.shutdown()
            throw error
        }
        await simulation.shutdown()
    }

    private func tour(_ simulation: any DemoSimulation) async throws {
        print(simulation.endpointsDescription.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        let transport = try CurlTransport()
        let swarm = SwarmClient(transport: transport, endpoint: .unixSocket(simulation.dockerSocket, host: "docker"))
        let homelab = simulation.homelab

        section("1. The homelab")
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        let overview = await HomelabOverview.collect(homelab: homelab, connections: connections)
        await connections.close()
        print(OverviewRenderer.render(overview, name: homelab.name))
        try await driftPart(homelab: homelab, transport: transport)

        section("2. An ordered rollout: new releases for the platform tier, two services at a time")
        let bumps = [
            "postgres=17.6", "authentik-server=2026.2.3", "authentik-worker=2026.2.3", "grafana=12.1.1",
            "forgejo=12.0.1", "woodpecker-server=v3.1", "woodpecker-agent=v3.1",
        ]
        let options = try await RolloutOptions.parsed(bumps.flatMap { ["--image", $0] } + ["--budget", "2"])
        let request = try options.request(for: homelab).withDefaultEstimates(homelab: homelab)
        let plan = RolloutScheduler().plan(try request.graph(), limits: try RolloutLimits(budget: request.budget))
        // The same plan `homelab rollout plan` prints (with --output mermaid for a diagram).
        let planText = RolloutPlanRenderer.text(plan, request: request, stacks: nil, historySamples: [])
        print(planText.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
        let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-demo-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let store = try StateStore(path: stateDirectory + "/state.sqlite")
        let runner = RolloutRunner(
            swarm: swarm, journal: store.rolloutJournal,
            logger: Logger(label: "homelab.demo", factory: { _ in SwiftLogNoOpLogHandler() }))
        let printer = Task {
            var printer = RolloutProgressPrinter(indent: "  ", printsFinish: false) { step, running, desired in
                "\(Self.bar(running, desired)) \(running)/\(desired)  \(step)"
            }
            await printer.print(runner.events)
        }
        let result = try await runner.apply(request)
        await printer.value
        print("  rollout \(result.runID): \(result.status.rawValue) (every transition journaled in a temporary state store)")

        section("3. A bad release: \(brokenService) gets an image whose health check fails")
        let broken = try swarmName(brokenService, in: homelab)
        let brokenImage = Self.brokenTag(of: try await swarm.services.inspect(broken).spec?.taskTemplate?.containerSpec?.image ?? "app")
        print("  \(broken): -> \(brokenImage) (update_config: failure_action rollback)")
        _ = try await swarm.services.modify(broken) { spec in
            spec.taskTemplate?.containerSpec?.image = brokenImage
            var update = spec.updateConfig ?? Swarm.UpdateConfig()
            update.failureAction = .rollback
            spec.updateConfig = update
        }
        let brokenOutcome = try await follow(swarm, broken)
        print("  outcome: \(describe(brokenOutcome))")
        let after = try await swarm.services.inspect(broken).spec?.taskTemplate?.containerSpec?.image ?? "?"
        print("  \(broken) runs \(after) again")
        try await trueNASPart(homelab: homelab, transport: transport)

        section("4. Proxmox VE: the VMs under the swarm's proxmox-vm nodes")
        try await DemoProxmox.tour(homelab, transport: transport, swarm: swarm)
        try await komodoPart(homelab: homelab, transport: transport)
        try await caddyPart(homelab: homelab, transport: transport)
        try await pxePart(homelab: homelab, transport: transport)
        try await provisionPart(simulation: simulation, transport: transport, store: store)
        try await platformPart(homelab: homelab, transport: transport)
        try await gitAndCIPart(homelab: homelab, transport: transport)
        await checkPart(homelab: homelab, transport: transport)
        try await bootstrapPart(homelab: homelab, swarm: swarm, journal: store.rolloutJournal)

        section("5. Metrics: what homelab-exporter serves for this homelab")
        let metricsConnections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        let collector = HomelabCollector(source: ConnectionsMetricsSource(connections: metricsConnections, journal: store.rolloutJournal))
        let families = await collector.collectAll(deadline: .now + .seconds(10))
        await metricsConnections.close()
        let text = MetricsText.string(families).split(separator: "\n").filter { !$0.hasPrefix("#") }
        func samples(_ name: String, _ keep: (Substring) -> Bool = { _ in true }) -> [Substring] {
            text.filter { $0.hasPrefix(name + "{") && keep($0) }
        }
        let sampleCount = families.reduce(0) { $0 + $1.samples.count }
        print("  \(families.count) metric families, \(sampleCount) samples, among them:")
        let picked = samples("homelab_up") + samples("homelab_swarm_service_replicas_running").prefix(3)
            + samples("homelab_rollout_last_run_status") { $0.hasSuffix(" 1") } + samples("pve_up") { $0.contains("qemu/") }
            + samples("homelab_caddy_upstream_healthy") { $0.hasSuffix(" 0") }
        for line in picked { print("    " + line) }
        print("  Serve them: homelab-exporter --config /tmp/homelab-sim.yaml  (then curl http://127.0.0.1:9089/metrics)")

        section("6. Your turn")
        print(
            """
              Run the simulator on its own and point every frontend at it:
                homelab-sim --inventory \(inventory) --write-config /tmp/homelab-sim.yaml
                homelab status --config /tmp/homelab-sim.yaml
                homelab-repl --config /tmp/homelab-sim.yaml      (then: status, inventory show /tmp/homelab-sim.yaml)
                DOCKER_HOST=unix://<docker socket printed by homelab-sim> docker service ls
            """)
    }

    /// Waits for convergence, drawing `running/desired` as the docker CLI counts it.
    private func follow(_ swarm: SwarmClient, _ service: String) async throws -> Swarm.ConvergenceOutcome {
        let lastLine = Locked("")
        let outcome = try await swarm.waitForConvergence(
            service: service, deadline: .now + .seconds(120), pollInterval: .milliseconds(100)
        ) { progress in
            let line = "  \(Self.bar(progress.running, progress.desired)) \(progress.running)/\(progress.desired) tasks on the new spec"
                + (progress.updateState.map { " (\($0))" } ?? "")
            let changed = lastLine.withLock { last -> Bool in
                defer { last = line }
                return last != line
            }
            if changed { print(line) }
        }
        return outcome
    }

    private func describe(_ outcome: Swarm.ConvergenceOutcome) -> String {
        switch outcome {
        case .completed: return "completed: every task runs the new spec and stayed healthy through the monitor window"
        case .paused(let message): return "paused: \(message)"
        case .rollbackCompleted(let message): return "rolled back: \(message)"
        case .rollbackPaused(let message): return "rollback paused: \(message)"
        case .timedOut: return "timed out"
        }
    }

    private func section(_ title: String) {
        print("\n" + title)
        print(String(repeating: "-", count: title.count))
    }

    private func swarmName(_ qualified: String, in homelab: Homelab) throws -> String {
        let parts = qualified.split(separator: "/").map(String.init)
        guard parts.count == 2, let service = homelab.stack(named: parts[0])?.services.first(where: { $0.name == parts[1] }) else {
            throw ValidationError("'\(qualified)' is not a stack/service of \(inventory)")
        }
        return service.swarmName
    }

    static func bar(_ done: Int, _ total: Int) -> String {
        let width = 20
        let filled = total > 0 ? min(width, done * width / total) : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    static func nextTag(of image: String) -> String {
        let (name, tag) = split(image)
        if let number = Int(tag.split(separator: ".").last ?? ""), tag.contains(".") {
            return name + ":" + tag.split(separator: ".").dropLast().joined(separator: ".") + ".\(number + 1)"
        }
        return name + ":" + (tag == "latest" ? "next" : tag + "-next")
    }

    static func brokenTag(of image: String) -> String { split(image).name + ":broken" }

    static func split(_ image: String) -> (name: String, tag: String) {
        let lastSlash = image.lastIndex(of: "/") ?? image.startIndex
        if let colon = image[lastSlash...].lastIndex(of: ":") {
            return (String(image[..<colon]), String(image[image.index(after: colon)...]))
        }
        return (image, "latest")
    }
}
