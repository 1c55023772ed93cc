import Foundation
import HomelabCore
import HomelabTestSupport
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A swarm-mode dockerd of this test's own, in a network namespace the test makes (its port 2377 is the namespace's,
/// so the shared test engine keeps 127.0.0.1:2377), with its own data root, exec root, pidfile, containerd namespace
/// and a unix socket in a folder outside the namespace. It can be stopped (SIGTERM, by pid) and started again on the
/// same data root; everything is stopped by pid and removed by name at the end.
final class RestartableEngine: Sendable {
    let folder: String
    let namespace: String
    let socket: String
    let tools: NamespacedDockerd.Tools
    let tag: String
    private let daemon = Locked<ChildProcess?>(nil)

    private init(tools: NamespacedDockerd.Tools, tag: String) {
        self.tools = tools
        self.tag = tag
        // Short: containerd's socket under the exec root must fit a unix socket path.
        folder = "/tmp/hlr-\(tag)"
        namespace = "hlrestart-\(tag)"
        socket = folder + "/docker.sock"
    }

    /// The dockerd's pid while it runs.
    var pid: pid_t? { daemon.withLock { $0?.isRunning == true ? $0?.pid : nil } }

    /// Makes the namespace, starts dockerd, initialises its swarm on the namespace's loopback and imports the two
    /// test images; after `body` (whatever it did) stops dockerd by pid and removes the namespace and folder.
    static func with(tools: NamespacedDockerd.Tools, _ body: (RestartableEngine) async throws -> Void) async throws {
        let tag = String(UUID().uuidString.filter(\.isHexDigit).prefix(6)).lowercased()
        let engine = RestartableEngine(tools: tools, tag: tag)
        var cleanups: [@Sendable () async -> Void] = []
        func cleanup() async { for step in cleanups.reversed() { await step() } }
        do {
            try FileManager.default.createDirectory(atPath: engine.folder, withIntermediateDirectories: true)
            cleanups.append { try? FileManager.default.removeItem(atPath: engine.folder) }
            try await ChildProcess.check(tools.ip, ["netns", "add", engine.namespace])
            cleanups.append { _ = try? await ChildProcess.run(tools.ip, ["netns", "del", engine.namespace]) }
            try await ChildProcess.check(tools.ip, ["-n", engine.namespace, "link", "set", "lo", "up"])
            cleanups.append {
                engine.stop()
                await NamespacedDockerd.unmountLeftovers(under: engine.folder)
            }
            try await engine.start()
            let client = try engine.client()
            try await client.swarm.initialize(Swarm.SwarmInitRequest(listenAddr: "127.0.0.1:2377", advertiseAddr: "127.0.0.1"))
            try await NamespacedDockerd.importBusybox(tools: tools, socket: engine.socket, scratch: engine.folder, tags: ["1", "2"])
            try await body(engine)
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    /// A client with short request timeouts: a request to a stopping engine costs seconds, not a minute.
    func client() throws -> SwarmClient {
        let transport = try CurlTransport(configuration: .init(connectTimeout: .seconds(2), totalTimeout: .seconds(5)))
        return SwarmClient(transport: transport, endpoint: .unixSocket(socket, host: "docker"))
    }

    /// Starts dockerd on the data root (again, after ``stop()``) and waits until it answers.
    func start() async throws {
        let process = try NamespacedDockerd.start(
            tools: tools, namespace: namespace, directory: folder, socket: socket, containerdNamespace: "hlrestart-\(tag)")
        daemon.withLock { $0 = process }
        try await NamespacedDockerd.waitUntilAnswering(process, socket: socket, directory: folder, docker: tools.docker, timeout: .seconds(90))
    }

    /// SIGTERM to the dockerd this test started (by pid), then waits until it exited (SIGKILL after 30 s).
    func stop() {
        daemon.withLock { $0 }?.stop(grace: .seconds(30))
    }
}

@Suite("The engine restarted during a rollout", .serialized)
struct EngineRestartTests {
    @Test("dockerd stopped mid-rollout: the runner retries, then pauses saying the engine is gone; the journal is consistent; resume after the restart finishes the work")
    func engineRestartedMidRollout() async throws {
        guard let tools = try NamespacedDockerd.tools() else { return }
        try await RestartableEngine.with(tools: tools) { engine in
            let client = try engine.client()
            let services = (1...4).map { "hl-restart-\(engine.tag)-\($0)" }
            for name in services {
                _ = try await client.services.create(
                    DockerTestEngine.serviceSpec(name: name, replicas: 1, container: DockerTestEngine.container()))
            }
            for name in services {
                #expect(try await client.waitForConvergence(service: name, timeout: .seconds(120)) == .completed, "\(name)")
            }
            let folder = try TemporaryFolder()
            let journal = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
            let runID = "restart-\(engine.tag)"
            // One at a time, a chain: the engine goes away while one step runs and the later ones have not started.
            let request = RolloutRequest(
                changes: services.map { .init(service: $0, change: .image(DockerTestEngine.image2), estimateSeconds: 5) },
                dependencies: zip(services.dropFirst(), services).map { .init(service: $0.0, dependsOn: $0.1) },
                budget: 1, convergenceTimeoutSeconds: 20)
            let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let runner = RolloutRunner(swarm: client, journal: journal, logger: quiet)
            let events = Task {
                var seen: [RolloutProgressEvent] = []
                for await event in runner.events { seen.append(event) }
                return seen
            }
            let rollout = Task { try await runner.apply(request, runID: runID) }

            // Stop the engine once a step succeeded and the next one runs.
            var before: [RolloutJournal.Step] = []
            let deadline = ContinuousClock.now + .seconds(180)
            while ContinuousClock.now < deadline {
                before = (try? await journal.steps(runID: runID)) ?? []
                if before.contains(where: { $0.status == .succeeded }), before.contains(where: { $0.status == .running }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let finishedBefore = Set(before.filter { $0.status == .succeeded }.map(\.stepID))
            try #require(!finishedBefore.isEmpty, "no step finished before the engine was to be stopped: \(before.map(\.status))")
            let stoppedPid = try #require(engine.pid)
            engine.stop()
            #expect(kill(stoppedPid, 0) != 0, "dockerd \(stoppedPid) still runs after SIGTERM")

            // The runner outlives the engine: it retries until the step's deadline (20 s), then pauses.
            let result = try await rollout.value
            let seen = await events.value
            #expect(result.status == .paused, "\(result)")
            #expect(seen.contains { if case .engineUnreachable(_, _, true) = $0 { true } else { false } }, "no retry announced")
            #expect(seen.contains { if case .engineUnreachable(_, _, false) = $0 { true } else { false } }, "the pause was not announced")
            #expect(!seen.contains { if case .failed = $0 { true } else { false } }, "a step failed because the engine was away")
            let run = try #require(try await journal.run(runID))
            #expect(run.status == .paused && run.owner == nil)
            #expect(run.detail?.contains("the engine did not answer") == true, "\(run.detail ?? "")")
            let paused = try await journal.steps(runID: runID)
            #expect(paused.allSatisfy { $0.status == .succeeded || $0.status == .pending }, "\(paused.map { "\($0.stepID) \($0.status) \($0.detail ?? "")" })")
            #expect(Set(paused.filter { $0.status == .succeeded }.map(\.stepID)).isSuperset(of: finishedBefore))

            // The engine comes back on the same data root, with its swarm and services.
            try await engine.start()
            let again = try engine.client()
            var manager = false
            for _ in 0..<150 where !manager {
                let ready = (try? await again.nodes.list())?.contains { $0.status?.state == .ready } == true
                let listed = (try? await again.services.list())?.count
                manager = ready && listed == services.count
                if !manager { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(manager, "the restarted engine did not come back as a manager with its services")
            // The journal agrees with the engine: done steps run the new image.
            for step in paused where step.status == .succeeded {
                #expect(try await again.services.inspect(step.stepID).spec?.taskTemplate?.containerSpec?.image == DockerTestEngine.image2)
            }

            let resumed = try await RolloutRunner(swarm: again, journal: journal, logger: quiet).resume(runID: runID)
            #expect(resumed.status == .completed, "\(resumed)")
            #expect(try await journal.steps(runID: runID).allSatisfy { $0.status == .succeeded })
            for name in services {
                #expect(try await again.services.inspect(name).spec?.taskTemplate?.containerSpec?.image == DockerTestEngine.image2, "\(name)")
            }
            // Steps done before the engine went away were not started again.
            let log = try await journal.transitions(runID: runID)
            for step in finishedBefore {
                #expect(log.filter { $0.stepID == step && $0.to == "running" }.count == 1, "\(step) was started again")
            }
            for name in services { try? await again.services.remove(name) }
            try? await again.swarm.leave(force: true)
        }
    }
}
