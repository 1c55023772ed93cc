import ArgumentParser
import HomelabCore

/// `homelab-exporter`: Prometheus metrics for the homelab.
@main
struct HomelabExporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homelab-exporter",
        abstract: "Serve Prometheus metrics (/metrics) about the homelab's components.",
        version: HomelabVersion.string)

    @Option(name: .long, help: "Inventory file (homelab.yaml).")
    var config: String = "homelab.yaml"

    @Option(name: .long, help: "Address to listen on.")
    var listen: String = "127.0.0.1:9477"

    func run() async throws {
        throw ValidationError("the metrics endpoint is not implemented in this version (\(HomelabVersion.string))")
    }
}

