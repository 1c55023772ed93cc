import Foundation
import HomelabCore
import HomelabTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Two real dockerds, each in a network namespace this test makes (veth, 198.51.100.0/24 TEST-NET-2 inside them
/// only), each with its own data root, exec root, pidfile, containerd namespace and socket, and its own port 2377:
/// the manager's swarm is initialised on 198.51.100.1; `homelab provision`'s pipeline makes the worker (198.51.100.2)
/// join it through the worker's own Docker API with the token read from the manager, runs a setup step in the
/// worker's namespace (check, apply, check), labels it, and a service constrained to that label gets its task there.
/// Everything is stopped by pid and removed by name.
final class SwarmPair: Sendable {
    static let managerAddress = "198.51.100.1"
    static let workerAddress = "198.51.100.2"
    static let image = "homelab-test/busybox:1"

    let folder: String
    let managerNamespace: String
    let workerNamespace: String
    let managerSocket: String
    let workerSocket: String
    let ip: String
    let docker: String

    typealias Tools = NamespacedDockerd.Tools

    /// The tools, or `nil` after ``RealServer/require(_:available:hint:sourceLocation:)`` (skip, or fail under CI).
    static func tools() throws -> Tools? { try NamespacedDockerd.tools() }

    private init(folder: String, tag: String, ip: String, docker: String) {
        self.folder = folder
        managerNamespace = "hlprov-\(tag)-m"
        workerNamespace = "hlprov-\(tag)-w"
        managerSocket = folder + "/m/docker.sock"
        workerSocket = folder + "/w/docker.sock"
        self.ip = ip
        self.docker = docker
    }

    /// Builds the namespaces and starts both dockerds; stops and removes everything after `body`, whatever happens.
    static func with(tools: Tools, _ body: (SwarmPair) async throws -> Void) async throws {
        let tag = String(UUID().uuidString.filter(\.isHexDigit).prefix(6)).lowercased()
        // Short: containerd's socket under the exec root must fit a unix socket path.
        let folder = "/tmp/hlp-\(tag)"
        let pair = SwarmPair(folder: folder, tag: tag, ip: tools.ip, docker: tools.docker)
        let (managerLink, workerLink) = ("hp\(tag)m", "hp\(tag)w")
        var cleanups: [@Sendable () async -> Void] = []
        func cleanup() async { for step in cleanups.reversed() { await step() } }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            cleanups.append { try? FileManager.default.removeItem(atPath: folder) }
            try await ChildProcess.check(tools.ip, ["netns", "add", pair.managerNamespace])
            cleanups.append { _ = try? await ChildProcess.run(tools.ip, ["netns", "del", pair.managerNamespace]) }
            try await ChildProcess.check(tools.ip, ["netns", "add", pair.workerNamespace])
            cleanups.append { _ = try? await ChildProcess.run(tools.ip, ["netns", "del", pair.workerNamespace]) }
            for command in [
                ["link", "add", managerLink, "netns", pair.managerNamespace, "type", "veth", "peer", "name", workerLink, "netns", pair.workerNamespace],
                ["-n", pair.managerNamespace, "addr", "add", "\(managerAddress)/24", "dev", managerLink],
                ["-n", pair.managerNamespace, "link", "set", managerLink, "up"], ["-n", pair.managerNamespace, "link", "set", "lo", "up"],
                ["-n", pair.workerNamespace, "addr", "add", "\(workerAddress)/24", "dev", workerLink],
                ["-n", pair.workerNamespace, "link", "set", workerLink, "up"], ["-n", pair.workerNamespace, "link", "set", "lo", "up"],
            ] {
                try await ChildProcess.check(tools.ip, command)
            }
            for (name, namespace) in [("m", pair.managerNamespace), ("w", pair.workerNamespace)] {
                let directory = folder + "/" + name
                let daemon = try NamespacedDockerd.start(
                    tools: tools, namespace: namespace, directory: directory, socket: directory + "/docker.sock",
                    containerdNamespace: "hlprov-\(tag)\(name)")
                cleanups.append {
                    daemon.stop(grace: .seconds(20))
                    await NamespacedDockerd.unmountLeftovers(under: directory)
                }
                try await NamespacedDockerd.waitUntilAnswering(
                    daemon, socket: directory + "/docker.sock", directory: directory, docker: tools.docker, timeout: .seconds(60))
            }
            try await NamespacedDockerd.importBusybox(tools: tools, socket: pair.workerSocket, scratch: folder, tags: ["1"])
            try await body(pair)
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    /// Runs a command in the worker's namespace (the test's stand-in for SSH to the new node).
    struct WorkerShell: NodeMaintenanceShell {
        let ip: String
        let namespace: String

        func run(_ command: String, on node: Homelab.Node, timeout: Duration) async throws -> SSHCommandResult {
            let started = ContinuousClock.now
            let (status, output) = try await ChildProcess.run(ip, ["netns", "exec", namespace, "/bin/sh", "-c", command])
            return SSHCommandResult(
                command: command, stdout: Array(output.utf8), stderr: [], exitStatus: status, duration: ContinuousClock.now - started)
        }
    }
}

/// The machine is the worker namespace with its dockerd, already there.
struct NamespaceMachine: ProvisioningMachine {
    func provision(_ node: Homelab.Node) async throws -> (changed: Bool, detail: String) {
        (false, "the worker's namespace and dockerd are up")
    }
}

@Suite("A second dockerd in a network namespace joins the swarm, is labelled and receives a task", .serialized)
struct SwarmJoinNamespaceTests {
    @Test("provisioning the worker: setup step applied in its namespace, joined with the manager's token, labelled, a task placed on it")
    func joinLabelTask() async throws {
        guard let tools = try SwarmPair.tools() else { return }
        try await SwarmPair.with(tools: tools) { pair in
            let transport = try CurlTransport()
            defer { transport.shutdown() }
            let manager = SwarmClient(transport: transport, endpoint: .unixSocket(pair.managerSocket, host: "docker"))
            let worker = SwarmClient(transport: transport, endpoint: .unixSocket(pair.workerSocket, host: "docker"))
            try await manager.swarm.initialize(
                Swarm.SwarmInitRequest(listenAddr: "0.0.0.0:2377", advertiseAddr: SwarmPair.managerAddress))
            let label = "hl-it-\(UUID().uuidString.prefix(8).lowercased())"
            let node = Homelab.Node(
                name: "hlw-worker", role: .worker, platform: .bareMetal, address: SwarmPair.workerAddress, labels: [label: "true"])
            let marker = pair.folder + "/w/provisioned"
            var homelab = Homelab(name: "pair", nodes: [node], tiers: ["base"], stacks: [])
            homelab.provision = ProvisionSettings(steps: [
                ProvisionStep(name: "engine", check: "\(pair.docker) -H unix://\(pair.workerSocket) info >/dev/null", apply: "false"),
                ProvisionStep(name: "marker", check: "test -f \(marker)", apply: "touch \(marker)"),
            ])
            // A service only the labelled worker may run: pending until the pipeline labels it.
            let service = try await manager.services.create(
                Swarm.ServiceSpec(
                    name: label, labels: ["com.docker.stack.namespace": label],
                    taskTemplate: Swarm.TaskSpec(
                        containerSpec: Swarm.ContainerSpec(image: SwarmPair.image, command: ["/bin/sleep", "3600"]),
                        placement: Swarm.Placement(constraints: ["node.labels.\(label)==true"])),
                    mode: .replicated(replicas: 1)))
            let store = try StateStore(path: pair.folder + "/state.sqlite")
            let parts = NodeProvisioning.Parts(
                machine: NamespaceMachine(), shell: SwarmPair.WorkerShell(ip: pair.ip, namespace: pair.workerNamespace), manager: manager,
                joiner: DockerAPISwarmJoin(engine: worker), komodo: nil, journal: store.provisionJournal)
            let runner = NodeProvisioning(parts: parts, timeouts: .init(ssh: .seconds(10), join: .seconds(60)))
            let reports = try await runner.run(ProvisionPlan(node: node, homelab: homelab))
            #expect(
                reports.map { "\($0.step) \($0.outcome.rawValue)" } == [
                    "machine ok", "ssh ok", "setup:engine ok", "setup:marker changed", "join changed", "labels changed", "deploy skipped",
                ], "\(reports)")
            #expect(FileManager.default.fileExists(atPath: marker))
            let joined = try #require(try await manager.nodes.list().first { $0.status?.addr == SwarmPair.workerAddress })
            #expect(joined.spec?.role == .worker && joined.spec?.labels?[label] == "true" && joined.status?.state == .ready)

            // The task lands on the worker and runs there.
            var running = false
            for _ in 0..<150 where !running {
                let tasks = try await manager.tasks.list(filters: Swarm.Filters().adding("service", try #require(service.id)))
                running = tasks.contains { $0.nodeID == joined.id && $0.status?.state == .running }
                if !running { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(running, "the constrained task runs on the new worker")

            // Running again repeats nothing.
            let again = try await runner.run(ProvisionPlan(node: node, homelab: homelab, journal: try await store.provisionJournal.entries(node: node.name)))
            #expect(again.allSatisfy { $0.outcome == .skipped })
            try await manager.services.remove(try #require(service.id))
            try? await worker.swarm.leave(force: true)
            try? await manager.swarm.leave(force: true)
        }
    }
}
