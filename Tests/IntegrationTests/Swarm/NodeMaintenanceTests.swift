import Foundation
import HomelabCore
import HomelabTestSupport
import Logging
import Testing

extension DockerSwarm {
    /// Node maintenance on the single-node test swarm (its only node is the only manager, hence allowQuorumLoss),
    /// with the command run over SSH on the loopback sshd fixture.
    @Suite("node maintenance against the real dockerd and sshd", .sshServer)
    struct NodeMaintenance {
        struct Setup {
            let client: SwarmClient
            let server: SSHTestServer
            let node: Swarm.Node
            let nodeID: String
            let homelab: Homelab
            /// A folder the SSH login user may write to.
            let folder: TemporaryFolder
        }

        /// The engine, the sshd, the swarm's only node, and an inventory that reaches that node over the sshd.
        func setup() async throws -> Setup? {
            guard let client = try DockerTestEngine.client(), let server = try SSHTestServer.require() else { return nil }
            let nodes = try await client.nodes.list()
            #expect(nodes.count == 1)
            let node = try #require(nodes.first)
            let folder = try TemporaryFolder(prefix: "homelab-maintenance")
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
            let homelab = Homelab(
                name: "it",
                nodes: [
                    Homelab.Node(
                        name: node.nodeName, role: .manager, platform: .bareMetal, address: "127.0.0.1",
                        ssh: .init(user: server.user, port: server.port, identityFile: server.userKey), isLeader: true)
                ],
                tiers: ["apps"], stacks: [])
            return Setup(client: client, server: server, node: node, nodeID: try #require(node.id), homelab: homelab, folder: folder)
        }

        func options(_ command: String, confirm: Bool = true) -> NodeMaintenanceOptions {
            NodeMaintenanceOptions(
                command: command, confirmStatefulDrain: confirm, allowQuorumLoss: true, drainTimeout: .seconds(60),
                commandTimeout: .seconds(30), downTimeout: .seconds(30), readyTimeout: .seconds(60),
                pollInterval: .milliseconds(250))
        }

        func runner(_ setup: Setup, audit: AuditLog?) throws -> NodeMaintenanceRunner {
            let shell = SSHNodeShell(
                knownHostsFile: try setup.server.trustingKnownHosts(), logger: LogCapture().logger())
            return NodeMaintenanceRunner(
                swarm: setup.client, shell: shell, audit: audit, user: "integration", logger: LogCapture().logger())
        }

        func running(_ client: SwarmClient, service: String, node: String) async throws -> Int {
            try await client.tasks.list(filters: Swarm.Filters.service(service).merging(.node(node)))
                .filter { $0.status?.state == .running }.count
        }

        @Test("drain -> tasks stop -> the command runs over SSH -> Ready -> active -> the pinned service's task returns")
        func maintainsTheNode() async throws {
            guard let setup = try await setup() else { return }
            let client = setup.client
            try await DockerScratch.with(client) { scratch in
                let name = DockerTestEngine.uniqueName("maint")
                var spec = DockerTestEngine.serviceSpec(
                    name: name, replicas: 1, container: DockerTestEngine.container(healthCheck: false))
                spec.taskTemplate?.placement = Swarm.Placement(constraints: ["node.hostname==\(setup.node.nodeName)"])
                let serviceID = try await scratch.createService(spec)
                #expect(try await client.waitForConvergence(service: serviceID, timeout: .seconds(90)) == .completed)
                #expect(try await running(client, service: serviceID, node: setup.nodeID) == 1)

                let nodes = try await client.nodes.list()
                let services = try await client.services.list()
                let marker = setup.folder.file("marker")
                let command = "echo maintained > \(marker) && echo done-stdout && echo done-stderr >&2"
                let refused = #expect(throws: HomelabError.self) {
                    try NodeMaintenancePlan(
                        nodes: nodes, services: services, homelab: setup.homelab, requested: [setup.node.nodeName],
                        options: options(command, confirm: false))
                }
                #expect(refused?.message.contains(name) == true, "the live constraint pins the service to the node")
                var plainOptions = options(command)
                plainOptions.allowQuorumLoss = false
                let quorum = #expect(throws: HomelabError.self) {
                    try NodeMaintenancePlan(
                        nodes: nodes, services: services, homelab: setup.homelab, requested: [setup.node.nodeName],
                        options: plainOptions)
                }
                #expect(quorum?.message.contains("only manager") == true)

                let plan = try NodeMaintenancePlan(
                    nodes: nodes, services: services, homelab: setup.homelab, requested: [setup.node.nodeName],
                    options: options(command))
                #expect(plan.losesQuorum)
                #expect(plan.targets.first?.pinnedServices.map(\.name) == [name])

                let temp = try TemporaryFolder()
                let audit = try StateStore(path: temp.file("state.sqlite")).auditLog
                let runner = try runner(setup, audit: audit)
                let watcher = Task {
                    var events: [NodeMaintenanceEvent] = []
                    var runningWhenDrained: Int?
                    for await event in runner.events {
                        if case .drained = event {
                            runningWhenDrained = try? await running(client, service: serviceID, node: setup.nodeID)
                        }
                        events.append(event)
                    }
                    return (events, runningWhenDrained)
                }
                let result = await runner.run(plan)
                if !result.succeeded { try? await client.nodes.setAvailability(setup.nodeID, .active) }
                let (events, runningWhenDrained) = await watcher.value
                #expect(result.succeeded, "\(result.failed)")
                #expect(result.completed == [setup.node.nodeName])
                #expect(runningWhenDrained == 0, "no task ran on the node once it was reported drained")

                #expect(try String(contentsOfFile: marker, encoding: .utf8) == "maintained\n")
                let finished = events.compactMap { event -> NodeMaintenanceEvent.CommandOutcome? in
                    if case .commandFinished(_, let outcome) = event { return outcome }
                    return nil
                }
                #expect(finished.first?.exitStatus == 0)
                #expect(finished.first?.stdoutTail == "done-stdout")
                #expect(finished.first?.stderrTail == "done-stderr")
                let order = events.map { event -> String in
                    switch event {
                    case .draining: "draining"
                    case .drained: "drained"
                    case .commandFinished: "command"
                    case .nodeReady: "ready"
                    case .activated: "activated"
                    default: "other"
                    }
                }
                #expect(order == ["other", "draining", "drained", "command", "ready", "activated"])

                let after = try await client.nodes.inspect(setup.nodeID)
                #expect(after.spec?.availability == .active)
                #expect(after.status?.state == .ready)
                #expect(try await client.waitForConvergence(service: serviceID, timeout: .seconds(90)) == .completed)
                try await eventually(timeout: .seconds(60)) {
                    guard try await running(client, service: serviceID, node: setup.nodeID) == 1 else {
                        throw HomelabError(.timedOut, "the task did not return")
                    }
                }
                let entries = try await audit.entries()
                #expect(entries.map(\.outcome) == [.succeeded, .started])
                #expect(entries.allSatisfy { $0.operation == "node.maintain" && $0.target == setup.node.nodeName })
            }
        }

        @Test("a command that exits non-zero leaves the node drained and says how to reactivate it")
        func failingCommandLeavesDrained() async throws {
            guard let setup = try await setup() else { return }
            let client = setup.client
            let plan = try NodeMaintenancePlan(
                nodes: try await client.nodes.list(), services: try await client.services.list(),
                homelab: setup.homelab, requested: [setup.node.nodeName],
                options: options("echo cannot-upgrade >&2; exit 7"))
            let runner = try runner(setup, audit: nil)
            let result = await runner.run(plan)
            let availability = try await client.nodes.inspect(setup.nodeID).spec?.availability
            try await client.nodes.setAvailability(setup.nodeID, .active)
            let message = try #require(result.failed[setup.node.nodeName])
            #expect(message.contains("exit status 7"))
            #expect(message.contains("cannot-upgrade"))
            #expect(message.contains("homelab node activate \(setup.node.nodeName)"))
            #expect(availability == .drain)
            #expect(try await client.nodes.inspect(setup.nodeID).spec?.availability == .active)
        }

        @Test("with --reboot, an SSH connection that drops mid-command is expected; a node that then never leaves Ready fails")
        func droppedConnectionDuringReboot() async throws {
            guard let setup = try await setup() else { return }
            let client = setup.client
            var rebooting = options("echo going-down; kill -9 $PPID")  // ends sshd's session process: the link drops
            rebooting.expectsReboot = true
            rebooting.downTimeout = .seconds(2)
            let plan = try NodeMaintenancePlan(
                nodes: try await client.nodes.list(), services: try await client.services.list(),
                homelab: setup.homelab, requested: [setup.node.nodeName], options: rebooting)
            let runner = try runner(setup, audit: nil)
            let collector = Task { await runner.events.reduce(into: [NodeMaintenanceEvent]()) { $0.append($1) } }
            let result = await runner.run(plan)
            let events = await collector.value
            let availability = try await client.nodes.inspect(setup.nodeID).spec?.availability
            try await client.nodes.setAvailability(setup.nodeID, .active)
            let outcome = events.compactMap { event -> NodeMaintenanceEvent.CommandOutcome? in
                if case .commandFinished(_, let outcome) = event { return outcome }
                return nil
            }.first
            #expect(outcome?.connectionDropped == true, "\(events)")
            #expect(outcome?.exitStatus == nil)
            let message = try #require(result.failed[setup.node.nodeName])
            #expect(message.contains("timed out after 2 s waiting for \(setup.node.nodeName) to leave Ready"), "\(message)")
            #expect(message.contains("may not have rebooted"))
            #expect(availability == .drain)
        }
    }
}

extension DockerSwarm.NodeMaintenance {
    @Test("a rollout updates the service pinned to the node, then maintains the node: drained, command over SSH, active")
    func rolloutWithNodeStep() async throws {
        guard let setup = try await setup() else { return }
        let client = setup.client
        try await DockerScratch.with(client) { scratch in
            let name = DockerTestEngine.uniqueName("rollnode")
            var spec = DockerTestEngine.serviceSpec(name: name, replicas: 1, container: DockerTestEngine.container())
            spec.taskTemplate?.placement = Swarm.Placement(constraints: ["node.hostname==\(setup.node.nodeName)"])
            _ = try await scratch.createService(spec)
            #expect(try await client.waitForConvergence(service: name, timeout: .seconds(90)) == .completed)

            let marker = setup.folder.file("rollout-marker")
            let plan = try NodeMaintenancePlan(
                nodes: try await client.nodes.list(), services: try await client.services.list(), homelab: setup.homelab,
                requested: [setup.node.nodeName], options: options("echo maintained > \(marker)"))
            let update = RolloutRequest.Change(
                service: name, change: .image(DockerTestEngine.image2), nodes: [setup.node.nodeName])
            let (steps, edges) = RolloutRequest.nodeSteps(plan, after: [update])
            let request = RolloutRequest(
                changes: [update] + steps, dependencies: edges, budget: 2, convergenceTimeoutSeconds: 120)
            let store = try StateStore(path: setup.folder.file("state.sqlite"))
            let runner = RolloutRunner(
                swarm: client, journal: store.rolloutJournal, logger: LogCapture().logger(),
                nodes: RolloutNodeTools(
                    swarm: client,
                    shell: SSHNodeShell(knownHostsFile: try setup.server.trustingKnownHosts(), logger: LogCapture().logger()),
                    pollInterval: .milliseconds(250)))
            let result = try await runner.apply(request, runID: "it-node-\(name)")
            #expect(result.status == .completed, "\(result)")
            #expect((try? String(contentsOfFile: marker, encoding: .utf8)) == "maintained\n")
            let node = try await client.nodes.inspect(setup.nodeID)
            #expect(node.spec?.availability == .active && node.status?.state == .ready)
            #expect(try await client.services.inspect(name).spec?.taskTemplate?.containerSpec?.image == DockerTestEngine.image2)
            #expect(try await client.waitForConvergence(service: name, timeout: .seconds(90)) == .completed)
            let log = try await store.rolloutJournal.transitions(runID: result.runID)
            let updated = try #require(log.firstIndex { $0.stepID == name && $0.to == "succeeded" })
            let drained = try #require(log.firstIndex { $0.stepID == steps.first?.service && $0.to == "running" })
            #expect(updated < drained, "the pinned service is updated before its node is drained")
        }
    }
}

extension DockerSwarm.NodeMaintenance {
    @Test("homelab rollout apply --maintain killed during the node's command: resume does not run it again and says the node is left drained")
    func killedDuringNodeCommand() async throws {
        guard let setup = try await setup(), let socket = try DockerTestEngine.socketPath(),
            let binary = DockerTestEngine.homelabBinary()
        else { return }
        let client = setup.client
        let name = setup.node.nodeName
        let marker = setup.folder.file("command-marker")
        let inventory = """
            version: 1
            name: "kill-node"
            nodes:
              - name: "\(name)"
                role: manager
                platform: bare-metal
                address: "127.0.0.1"
                leader: true
                ssh: { user: "\(setup.server.user)", port: \(setup.server.port), identity_file: "\(setup.server.userKey)" }
            tiers: ["apps"]
            stacks: []
            components:
              docker:
                socket: "\(socket)"

            """
        let config = setup.folder.file("homelab.yaml")
        try inventory.write(toFile: config, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = setup.folder.path
        environment["HOMELAB_CONFIG"] = config
        environment["HOMELAB_KNOWN_HOSTS"] = try setup.server.trustingKnownHosts()
        let runID = "kill-node-\(UUID().uuidString.prefix(6).lowercased())"
        let command = "echo started >> \(marker); sleep 6; echo done >> \(marker)"
        let apply = try ChildProcess(
            binary,
            ["rollout", "apply", "--id", runID, "--maintain", name, "--command", command, "--allow-quorum-loss",
             "--confirm-stateful"],
            environment: environment)
        defer { apply.stop(grace: .zero) }
        do {
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline, apply.isRunning,
                !((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "").contains("started")
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(apply.isRunning, "the rollout ended before its command ran")
            kill(apply.pid, SIGKILL)
            _ = try await apply.wait(timeout: .seconds(30))
            // The command outlives the killed client (no pty: sshd does not hang it up); let it finish.
            try await Task.sleep(for: .seconds(7))

            let resume = try await ChildProcess.run(binary, ["rollout", "resume", runID], environment: environment, timeout: .seconds(120))
            #expect(resume.status == 3, "\(resume.output)")
            #expect(resume.output.contains("not run again"), "\(resume.output)")
            #expect(resume.output.contains("homelab node activate \(name)"), "\(resume.output)")
            let lines = ((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "").split(separator: "\n")
            #expect(lines.filter { $0 == "started" }.count == 1, "the command ran again: \(lines)")
            #expect(try await client.nodes.inspect(setup.nodeID).spec?.availability == .drain)
        } catch {
            _ = try? await client.nodes.modify(setup.nodeID) { $0.availability = .active }
            throw error
        }
        // As the message says: reactivating brings the node back.
        let activate = try await ChildProcess.run(binary, ["node", "activate", name], environment: environment, timeout: .seconds(120))
        #expect(activate.status == 0, "\(activate.output)")
        if try await client.nodes.inspect(setup.nodeID).spec?.availability != .active {
            _ = try? await client.nodes.modify(setup.nodeID) { $0.availability = .active }
            Issue.record("homelab node activate left \(name) drained")
        }
    }
}
