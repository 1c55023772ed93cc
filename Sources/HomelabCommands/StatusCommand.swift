import ArgumentParser
import HomelabCore

/// `homelab status`: nodes, services tier by tier with replicas and health, and each component's state.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the homelab: nodes, services by tier with replicas and health, components.",
        discussion: """
            Every component is asked its own version or health call, each under --deadline. A component that is \
            down is reported with its reason; the command still prints everything else. Exit status 0 when every \
            component with an API is up, 5 (degraded) otherwise. -q prints what is not up: components, then services.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Seconds each component (and the swarm listing) may take.")
    var deadline: Double = 5

    func validate() throws {
        guard deadline > 0, deadline <= 600 else { throw ValidationError("--deadline must be between 0 and 600 seconds") }
    }

    func run() async throws {
        let allUp = try await HomelabContext.withConnections(options) { connections in
            let overview = await HomelabOverview.collect(
                homelab: connections.homelab, connections: connections, deadline: .milliseconds(Int(deadline * 1000)),
                logger: connections.logger)
            let document = StatusJSON(overview, name: connections.homelab.name)
            let terminal = output.writer.terminal
            try output.show(document, ids: document.notUp) { wide in
                OverviewRenderer.render(
                    overview, name: connections.homelab.name, colour: terminal.usesColour, width: wide ? nil : terminal.width)
            }
            return overview.isAllUp
        }
        if !allUp { throw ExitStatus.degraded.code }
    }
}
