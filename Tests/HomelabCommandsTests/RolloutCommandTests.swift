import ArgumentParser
import Foundation
import HomelabCore
import Testing

@testable import HomelabCommands

@Suite("homelab rollout")
struct RolloutCommandTests {
    static let homelab: Homelab? = try? InventoryLoader.load(path: InventoryCommandTests.example)

    @Test("--image and --restart become changes of Swarm services, with tier and depends_on edges")
    func request() async throws {
        let homelab = try #require(Self.homelab)
        let options = try await RolloutOptions.parsed([
            "--image", "caddy=2.10-alpine", "--restart", "connect-sync", "--budget", "2", "--on-failure", "pause-all", "--rollback",
        ])
        let request = try options.request(for: homelab)
        #expect(request.changes.map(\.service).sorted() == ["ingress_caddy", "secrets_connect-sync"])
        #expect(request.changes.first { $0.service == "ingress_caddy" }?.change == .image("lucaslorentz/caddy-docker-proxy:2.10-alpine"))
        #expect(request.changes.first { $0.service == "secrets_connect-sync" }?.change == .restart(forceUpdate: nil))
        #expect(request.dependencies.contains(.init(service: "ingress_caddy-docker-proxy", dependsOn: "ingress_caddy")))
        #expect(request.budget == 2 && request.onFailure == .pauseAll && request.rollbackFailed && !request.rollbackAll)
        _ = try request.graph()
        // The tiers travel as lists, not as edges, and mean exactly the edges they replace.
        #expect(request.tiers?.count == homelab.tiers.count)
        #expect(request.dependencies == RolloutRequest.dependsOnEdges(of: homelab))
        var spelledOut = RolloutDependencies()
        for edge in RolloutRequest.dependencies(of: homelab) { spelledOut.add(edge.service, dependsOn: [edge.dependsOn]) }
        #expect(spelledOut.dependencies.values.map(\.count).reduce(0, +) > request.dependencies.count)
        #expect(request.dependencyMap() == spelledOut)
    }

    @Test("nothing to do, an unknown service or a bad policy is refused", arguments: [
        [String](), ["--image", "nosuch=1.0"], ["--restart", "caddy", "--on-failure", "sometimes"],
    ])
    func refused(arguments: [String]) async throws {
        let homelab = try #require(Self.homelab)
        await #expect(throws: (any Error).self) { try await RolloutOptions.parsed(arguments).request(for: homelab) }
    }

    @Test("exit codes say how the run ended")
    func exitCodes() {
        #expect(RolloutCommand.exitCode(.completed) == .success)
        #expect(RolloutCommand.exitCode(.paused).rawValue == 2)
        #expect(RolloutCommand.exitCode(.failed).rawValue == 3)
        #expect(RolloutCommand.exitCode(.rolledBack).rawValue == 4)
    }
}

@Suite("homelab rollout: stack files and plan output")
struct RolloutStackAndPlanTests {
    @Test("a stack is named as given, after its file, or after its folder for a generic file name", arguments: [
        ("media=deploy/x.yml", "media", "deploy/x.yml"),
        ("/srv/stacks/monitoring.yaml", "monitoring", "/srv/stacks/monitoring.yaml"),
        ("/srv/stacks/photos/docker-compose.yml", "photos", "/srv/stacks/photos/docker-compose.yml"),
        ("/srv/a=b/compose.yaml", "a=b", "/srv/a=b/compose.yaml"),
    ])
    func stackNames(argument: String, name: String, path: String) async throws {
        let files = try await RolloutOptions.parsed(["--stack", argument]).stackFiles()
        #expect(files == [RolloutOptions.StackFile(name: name, path: path)])
    }

    @Test("a service changed by a stack file cannot also get --image")
    func stackAndImage() async throws {
        let homelab = try #require(RolloutCommandTests.homelab)
        let stacks = StackChanges(
            changed: [.init(name: "ingress_caddy", stack: "ingress", fields: [], desired: Swarm.ServiceSpec(name: "ingress_caddy"))],
            unchanged: [], notDeployed: [], dependencies: [])
        let options = try await RolloutOptions.parsed(["--image", "caddy=2.10-alpine"])
        #expect(throws: ValidationError.self) { try options.request(for: homelab, stacks: stacks) }
        let restart = try await RolloutOptions.parsed(["--restart", "caddy", "--restart", "connect-sync"]).request(for: homelab, stacks: stacks)
        #expect(restart.changes.first { $0.service == "ingress_caddy" }?.change == .spec(Swarm.ServiceSpec(name: "ingress_caddy")))
        #expect(restart.changes.first { $0.service == "secrets_connect-sync" }?.change == .restart(forceUpdate: nil))
    }

    /// a → b → d, a → c → d, plus the implied a → d (as tiers produce).
    static func diamond() throws -> RolloutPlan {
        let steps = ["a", "b", "c", "d"].map { RolloutStep(service: $0, estimate: .seconds(10)) }
        let graph = try RolloutGraph(steps: steps, dependsOn: ["b": ["a"], "c": ["a"], "d": ["b", "c", "a"]])
        return RolloutScheduler().plan(graph, limits: try RolloutLimits(budget: 2))
    }

    @Test("the drawn graph leaves out edges implied by others; Mermaid groups steps by wave")
    func graphOutput() throws {
        let plan = try Self.diamond()
        let edges = RolloutPlanRenderer.drawnEdges(plan.graph).map { "\(plan.graph.steps[$0.from].id)>\(plan.graph.steps[$0.to].id)" }
        #expect(Set(edges) == ["a>b", "a>c", "b>d", "c>d"])
        let mermaid = RolloutPlanRenderer.mermaid(plan)
        #expect(mermaid.hasPrefix("flowchart LR\n"))
        #expect(mermaid.contains("subgraph wave2[\"wave 2\"]\n    s1[\"b<br/>10s\"]\n    s2[\"c<br/>10s\"]\n  end"))
        #expect(mermaid.contains("  s0 --> s1\n") && !mermaid.contains("s0 --> s3"))
    }

    @Test("the text plan shows estimates, waits, waves and the bound; JSON carries the same schedule")
    func textAndJSON() throws {
        let plan = try Self.diamond()
        let text = RolloutPlanRenderer.text(plan, request: RolloutRequest(changes: [], budget: 2), stacks: nil, historySamples: ["b"])
        #expect(text.contains("  b  10s (history)  after a"))
        #expect(text.contains("  d  10s  after b, c"))
        #expect(text.contains("wave 2 at 10s: b c"))
        #expect(text.contains("predicted makespan 30s; lower bound 30s"))
        let json = try JSONSerialization.jsonObject(with: Data(try RolloutPlanRenderer.json(plan, stacks: nil).utf8)) as? [String: Any]
        #expect(json?["makespan_seconds"] as? Double == 30)
        #expect((json?["waves"] as? [[String]]) == [["a"], ["b", "c"], ["d"]])
    }

    @Test("durations read as people write them", arguments: [(42.0, "42s"), (65.0, "1m 05s"), (3720.0, "1h 02m")])
    func durations(seconds: Double, text: String) {
        #expect(RolloutPlanRenderer.seconds(seconds) == text)
    }
}

@Suite("homelab rollout: node options")
struct RolloutNodeOptionTests {
    @Test("--maintain needs --command; node options without --maintain are refused", arguments: [
        ["--maintain", "lorcha"], ["--command", "apt-get -y upgrade"], ["--reboot"], ["--confirm-stateful", "--image", "caddy=2"],
    ])
    func refused(arguments: [String]) async throws {
        await #expect(throws: ValidationError.self) { try await RolloutOptions.parsed(arguments).maintenanceOptions() }
    }

    @Test("--maintain with --command becomes maintenance options; without --maintain there are none")
    func options() async throws {
        let options = try #require(
            try await RolloutOptions.parsed([
                "--maintain", "lorcha", "--command", "apt-get -y upgrade && reboot", "--reboot", "--confirm-stateful",
                "--worker-budget", "2",
            ]).maintenanceOptions())
        #expect(options.command == "apt-get -y upgrade && reboot")
        #expect(options.expectsReboot && options.confirmStatefulDrain && !options.allowQuorumLoss)
        #expect(options.workerBudget == 2)
        #expect(try await RolloutOptions.parsed(["--image", "caddy=2"]).maintenanceOptions() == nil)
    }
}

@Suite("homelab rollout: progress lines")
struct RolloutProgressPrinterTests {
    @Test("a step's task count is printed only when it changes; node events have their own lines")
    func lines() {
        var printer = RolloutProgressPrinter()
        #expect(printer.lines(.progress(step: "db", running: 0, desired: 1)) == ["         db 0/1"])
        #expect(printer.lines(.progress(step: "db", running: 0, desired: 1)).isEmpty)
        #expect(printer.lines(.progress(step: "db", running: 1, desired: 1)) == ["         db 1/1"])
        #expect(printer.lines(.node(step: "node:w1", .draining(node: "w1"))) == ["draining w1"])
    }
}
