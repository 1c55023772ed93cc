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

    struct Tools: Sendable {
        var ip: String
        var dockerd: String
        var docker: String
        var busybox: String
        var nsenter: String
    }

    /// The tools, or `nil` after ``RealServer/require(_:available:hint:sourceLocation:)`` (skip, or fail under CI).
    static func tools() throws -> Tools? {
        let ip = RealServer.executable(["ip"])
        let dockerd = RealServer.executable(["dockerd"])
        let docker = RealServer.executable(["docker"])
        let busybox = RealServer.executable(["busybox"])
        let nsenter = RealServer.executable(["nsenter"])
        guard try RealServer.require("root (network namespaces, dockerd)", available: geteuid() == 0, hint: "run the tests as root"),
            try RealServer.require("ip (iproute2)", available: ip != nil, hint: "apt install iproute2"),
            try RealServer.require("dockerd and docker", available: dockerd != nil && docker != nil, hint: "apt install docker.io"),
            try RealServer.require("busybox (the test image)", available: busybox != nil, hint: "apt install busybox-static"),
            // nsenter --net, not `ip netns exec`: that remounts /sys, hiding the cgroup file system dockerd needs.
            try RealServer.require("nsenter (util-linux)", available: nsenter != nil, hint: "apt install util-linux"),
            let ip, let dockerd, let docker, let busybox, let nsenter
        else { return nil }
        return Tools(ip: ip, dockerd: dockerd, docker: docker, busybox: busybox, nsenter: nsenter)
    }

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
                let daemon = try startDockerd(tools: tools, directory: folder + "/" + name, namespace: namespace, tag: "\(tag)\(name)")
                cleanups.append {
                    daemon.stop(grace: .seconds(20))
                    // vfs leaves no mounts; the exec root may hold netns bind mounts of containers.
                    _ = try? await ChildProcess.run("/bin/sh", ["-c", "grep -o ' \(folder)/\(name)/[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l"])
                }
                try await waitForSocket(folder + "/" + name + "/docker.sock", daemon: daemon, log: folder + "/" + name + "/dockerd.log")
            }
            try await pair.importImage(busybox: tools.busybox)
            try await body(pair)
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    private static func startDockerd(tools: Tools, directory: String, namespace: String, tag: String) throws -> ChildProcess {
        for sub in ["data", "exec"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true)
        }
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory + "/daemon.json"))
        let log = directory + "/dockerd.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        return try ChildProcess(
            "/bin/sh",
            [
                "-c", "nsenter=$0; ns=$1; dockerd=$2; log=$3; shift 3; exec \"$nsenter\" --net=/var/run/netns/\"$ns\" \"$dockerd\" \"$@\" >>\"$log\" 2>&1", tools.nsenter, namespace, tools.dockerd, log,
                "--config-file", directory + "/daemon.json", "--host", "unix://" + directory + "/docker.sock",
                "--data-root", directory + "/data", "--exec-root", directory + "/exec", "--pidfile", directory + "/docker.pid",
                "--containerd-namespace", "hlprov-\(tag)", "--containerd-plugins-namespace", "hlprov-\(tag)-plugins",
                "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--ip-forward=false", "--bridge=none", "--storage-driver=vfs",
            ],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DOCKER_SERVICE_PREFER_OFFLINE_IMAGE": "1"])
    }

    private static func waitForSocket(_ socket: String, daemon: ChildProcess, log: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let status = daemon.exitStatus {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw ChildProcessError("dockerd exited \(status): \(text.split(separator: "\n").suffix(5).joined(separator: " | "))")
            }
            if FileManager.default.fileExists(atPath: socket),
                (try? await ChildProcess.run("/bin/sh", ["-c", "exec \"$0\" -H unix://\"$1\" version >/dev/null", "docker", socket]))?.status == 0
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ChildProcessError("dockerd did not answer on \(socket) within 60 s (log: \(log))")
    }

    /// `docker import` of a root file system holding busybox-static (as scripts/dockerd-test.sh makes the image).
    private func importImage(busybox: String) async throws {
        let root = folder + "/rootfs"
        let script = """
            set -e
            mkdir -p "$1/bin" "$1/tmp" "$1/etc"
            cp "$2" "$1/bin/busybox"
            ln -sf busybox "$1/bin/sh"; ln -sf busybox "$1/bin/sleep"
            tar -C "$1" -cf "$1.tar" .
            "$3" -H "unix://$4" import "$1.tar" "$5" >/dev/null
            """
        try await ChildProcess.check("/bin/sh", ["-c", script, "sh", root, busybox, docker, workerSocket, Self.image])
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
