import ArgumentParser
import HomelabCore
import HomelabSimulator

/// `homelab-sim`: serve a simulated homelab on 127.0.0.1.
@main
struct HomelabSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homelab-sim",
        abstract: "Serve a simulated homelab (every component's API) on 127.0.0.1.",
        version: HomelabVersion.string)

    @Option(name: .long, help: "Inventory to simulate.")
    var inventory: String = "Examples/homelab.yaml"

    func run() async throws {
        throw ValidationError("the simulator is not implemented in this version (\(HomelabVersion.string))")
    }
}

