import Foundation
import HomelabCore
import Logging

extension DemoCommand {
    /// The demo's bootstrap part: two small stacks the simulated swarm does not run yet (an infrastructure one and
    /// an application one that needs it) brought up as `homelab bootstrap` does: the plan, then create steps tier by
    /// tier, journaled in the demo's state store.
    func bootstrapPart(homelab: Homelab, swarm: SwarmClient, journal: RolloutJournal) async throws {
        let title = "Bootstrap: two new stacks created tier by tier (homelab bootstrap)"
        print("\n" + title + "\n" + String(repeating: "-", count: title.count))
        let fast = "deploy: { update_config: { monitor: 100ms, failure_action: rollback } }"
        let files = [
            ("demo-edge", "infrastructure", ["whoami"], "services:\n  whoami:\n    image: traefik/whoami:v1.10\n    \(fast)\n"),
            ("demo-hello", "application", ["hello", "worker"], """
                services:
                  hello:
                    image: nginxdemos/hello:0.4
                    depends_on: [worker]
                    \(fast)
                  worker:
                    image: busybox:1.37
                    \(fast)

                """),
        ]
        var lab = homelab
        var stacks: [BootstrapPlan.Stack] = []
        for (name, tier, services, yaml) in files {
            lab.stacks.append(
                Homelab.Stack(name: name, tier: tier, services: services.map { Homelab.Service(name: $0, stack: name, tier: tier) }))
            let file = try ComposeLoader.load(yaml: yaml, file: "\(name)/compose.yaml")
            stacks.append(BootstrapPlan.Stack(stack: try ComposeConverter.convert(file, stack: name), file: file))
        }
        let plan = try await BootstrapPlan.make(
            homelab: lab, stacks: stacks, live: swarm, options: .init(budget: 2, healthChecks: false))
        print(BootstrapCommand.text(plan).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        let runner = RolloutRunner(
            swarm: swarm, journal: journal, logger: Logger(label: "homelab.demo", factory: { _ in SwiftLogNoOpLogHandler() }))
        let printer = Task {
            var printer = RolloutProgressPrinter(indent: "  ", printsFinish: false) { step, running, desired in
                "\(Self.bar(running, desired)) \(running)/\(desired)  \(step)"
            }
            await printer.print(runner.events)
        }
        let result = try await runner.apply(plan.request)
        await printer.value
        let report = BootstrapReport(
            runID: result.runID, status: result.status, tiers: plan.tiers, steps: try await journal.steps(runID: result.runID))
        print(report.lines.map { "  " + $0 }.joined(separator: "\n"))
    }
}
