import ArgumentParser
import Dispatch
import Foundation
import HomelabCore
import HomelabSimulator
import Logging

/// `homelab-sim`: serve a simulated homelab on 127.0.0.1 until SIGINT or SIGTERM.
@main
struct HomelabSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homelab-sim",
        abstract: "Serve a simulated homelab (every simulated component's API) on 127.0.0.1.",
        discussion: """
            The Docker Engine API answers on a loopback port and on a unix socket:
              DOCKER_HOST=unix://<socket> docker service ls
            With --tls docker the port serves HTTPS signed by a CA made for the run (--write-config names it):
              docker --tlsverify --tlscacert <ca.pem> -H tcp://127.0.0.1:<port> node ls
            Power a node off for every component: curl -X POST <admin>/_sim/nodes/<name>/power -d '{"power":"off"}'.
            Faults: --fault docker:latency=250ms, docker:error-rate=0.2, docker:errors=3, docker:status=503,
            docker:reset-rate=0.1, docker:resets=1, docker:hang-rate=0.05, docker:hangs=1, docker:reject-credentials.
            At run time: curl -X POST <admin>/_sim/faults -d '{"component":"docker","error_rate":0.5}'.
            """,
        version: HomelabVersion.string)

    @Option(name: .long, help: "Inventory to simulate.")
    var inventory: String = "Examples/homelab.yaml"

    @Option(name: .customLong("write-config"), help: "Write a homelab.yaml pointing at the simulation here, once every API listens.")
    var writeConfig: String?

    @Option(name: .long, help: "Simulate a generated homelab instead: nodes=N,services=M.")
    var scale: String?

    @Option(name: .customLong("time-scale"), help: "Real seconds per simulated second (0.05 = 20x faster).")
    var timeScale: Double = 0.05

    @Option(name: .customLong("fault"), help: "A fault to inject, component:kind=value (repeatable).")
    var faults: [String] = []

    @Option(name: .customLong("docker-socket"), help: "Path of the Docker unix socket (default: in a private temp dir).")
    var dockerSocket: String?

    @Option(name: .customLong("tls"), help: "Serve this component over HTTPS with a CA made for the run (repeatable).")
    var tls: [String] = []

    @Option(name: .customLong("port-base"), help: "Admin port; components on the next ports (0 = ephemeral ports).")
    var portBase: Int = 0

    @Flag(name: .long, help: "Measure listing every service with status (median of 25), print it and exit.")
    var measure = false

    @Flag(name: .long, help: "Log what the simulation does (update steps, requests).")
    var verbose = false

    func run() async throws {
        let homelab: Homelab
        if let scale {
            homelab = ScaleGenerator.homelab(try ScaleGenerator.Size(parsing: scale))
        } else {
            homelab = try InventoryLoader.load(path: inventory)
        }
        let board = FaultBoard()
        for fault in faults { try board.apply(fault) }
        var logger = Logger(label: "homelab-sim")
        logger.logLevel = verbose ? .debug : .notice
        var listeners: [ComponentKind: ListenerOptions] = [:]
        if let dockerSocket { listeners[.docker] = ListenerOptions(socketPath: dockerSocket) }
        for name in tls {
            guard let kind = ComponentKind(rawValue: name) else {
                throw ValidationError("--tls \(name): no such component (\(ComponentKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            listeners[kind, default: ListenerOptions()].tls = true
        }
        let options = SimulationOptions(
            timeScale: timeScale, portBase: portBase, listeners: listeners, faults: board.plans, logger: logger)
        let started = ContinuousClock.now
        let simulation = try await HomelabSimulation.start(inventory: homelab, options: options)
        let counts = await simulation.dockerWorld?.counts() ?? (nodes: 0, services: 0, tasks: 0)
        let speed = timeScale < 1 ? String(format: "%gx faster", 1 / timeScale) : String(format: "%gx slower", timeScale)
        say("homelab-sim: simulating \"\(homelab.name)\": \(counts.nodes) nodes, \(counts.services) services, \(counts.tasks) tasks; time \(speed)")
        say(simulation.endpoints.rendered())
        if !board.plans.isEmpty {
            say("faults: " + board.plans.keys.sorted().map(\.rawValue).joined(separator: ", "))
        }
        if let writeConfig {
            try simulation.writeConfig(to: writeConfig)
            say("wrote \(writeConfig) (use it with --config \(writeConfig))")
        }
        say(String(format: "ready in %.2f s", (ContinuousClock.now - started).seconds))
        if measure {
            guard let docker = simulation.endpoints.listening[.docker] else {
                throw ValidationError("--measure needs the Docker component")
            }
            let report = try await ListingMeasurement.run(against: docker.urlEndpoint, services: counts.services)
            say(report)
            await simulation.shutdown()
            return
        }
        let signal = await Self.waitForTermination()
        say("homelab-sim: \(signal == SIGINT ? "SIGINT" : "SIGTERM"), stopping")
        await simulation.shutdown()
        say("homelab-sim: stopped")
    }

    /// Waits for SIGINT or SIGTERM and returns which one came.
    static func waitForTermination() async -> Int32 {
        Foundation.signal(SIGINT, SIG_IGN)
        Foundation.signal(SIGTERM, SIG_IGN)
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        var iterator = stream.makeAsyncIterator()
        let received = await iterator.next() ?? SIGTERM
        for source in sources { source.cancel() }
        return received
    }
}

/// Writes a line to standard output at once (no buffering: scripts wait for these lines).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

extension Duration {
    /// The length in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
