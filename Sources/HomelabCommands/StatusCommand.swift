import ArgumentParser
import HomelabCore

/// `homelab status`: nodes, services tier by tier with replicas and health, and component reachability.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the homelab: nodes, services by tier with replicas and health, components.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        try await HomelabContext.with(options) { context in
            let overview = try await HomelabOverview.collect(
                homelab: context.homelab, swarm: context.swarm, transport: context.transport, logger: context.logger)
            print(OverviewRenderer.render(overview, name: context.homelab.name))
        }
    }
}
