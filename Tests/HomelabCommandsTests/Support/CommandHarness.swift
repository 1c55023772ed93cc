import Foundation
import HomelabCommands
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// What one in-process `homelab` command did: its exit status and what it wrote.
struct CommandResult: CustomStringConvertible {
    var status: Int32
    var output: String
    var error: String

    var description: String { "exit \(status)\n--- stdout\n\(output)--- stderr\n\(error)" }
}

/// A simulated homelab (the example inventory, seeded IDs) with its inventory written to a file, private
/// `XDG_CONFIG_HOME`/`XDG_STATE_HOME`, and a canary secret in the environment; commands run in-process through
/// ``HomelabCommand/run(arguments:)`` on a capturing ``Terminal``. With `canaryComponent`, the inventory also has a
/// `forgejo` whose token is the canary, pointed at the simulated Docker's HTTP port (which answers it 404, or 401
/// under a `rejectCredentials` fault), so the token is resolved and sent.
final class CommandHarness: Sendable {
    /// A value that must never appear in any output: forgejo's token resolves to it.
    static let canary = "hl-canary-5f0c2d9e7b41"

    let simulation: HomelabSimulation
    let folder: TemporaryFolder
    /// The written inventory.
    let config: String
    /// What every command sees: the private XDG folders, the canary, `HOMELAB_CONFIG` unset.
    let environment: [String: String]

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let exampleInventory = repositoryRoot.appendingPathComponent("Examples/homelab.yaml").path

    private init(simulation: HomelabSimulation, folder: TemporaryFolder, config: String, environment: [String: String]) {
        self.simulation = simulation
        self.folder = folder
        self.config = config
        self.environment = environment
    }

    static func start(
        timeScale: Double = 0.005, faults: [ComponentKind: FaultPlan] = [:], canaryComponent: Bool = false
    ) async throws -> CommandHarness {
        let inventory = try InventoryLoader.load(path: exampleInventory)
        let simulation = try await HomelabSimulation.start(
            inventory: inventory, options: SimulationOptions(timeScale: timeScale, faults: faults, seed: 7))
        let folder = try TemporaryFolder(prefix: "homelab-cli")
        let config = folder.file("homelab.yaml")
        var homelab = simulation.homelab
        if canaryComponent, let docker = simulation.endpoints.components[.docker] {
            homelab.components[.forgejo] = ComponentEndpoint(
                kind: .forgejo, endpoint: .url(docker), credentials: ["token": .env("HOMELAB_TEST_FORGEJO_TOKEN")])
        }
        try InventoryWriter.write(homelab, to: config, notes: InventoryWriter.notes(for: simulation.endpoints))
        let environment = [
            "HOME": folder.path, "XDG_CONFIG_HOME": folder.file("config"), "XDG_STATE_HOME": folder.file("state"),
            "HOMELAB_KNOWN_HOSTS": folder.file("known_hosts"), "HOMELAB_TEST_FORGEJO_TOKEN": canary, "PATH": "/usr/bin:/bin",
        ]
        return CommandHarness(simulation: simulation, folder: folder, config: config, environment: environment)
    }

    func stop() async { await simulation.shutdown() }

    /// Runs `homelab ARGUMENTS --config <the simulated inventory>` in-process.
    /// - Parameters:
    ///   - interactive: whether standard output is to look like a terminal (colour unless NO_COLOR/TERM=dumb).
    ///   - width: the terminal's columns; `nil` for none (piped).
    ///   - withConfig: whether to add `--config` (false: the rules of ConfigSource choose).
    func run(
        _ arguments: [String], interactive: Bool = false, width: Int? = nil, withConfig: Bool = true,
        environment extra: [String: String] = [:]
    ) async -> CommandResult {
        var environment = self.environment
        for (key, value) in extra { environment[key] = value }
        let (terminal, captured) = Terminal.capturing(
            interactive: interactive, width: width, environment: environment, now: { Date() })
        let status = await Terminal.$current.withValue(terminal) {
            await HomelabCommand.run(arguments: arguments + (withConfig ? ["--config", config] : []))
        }
        return CommandResult(status: status, output: captured.output, error: captured.error)
    }

    /// The swarm of the simulation, for set-up and checks.
    func swarm() throws -> SwarmClient {
        SwarmClient(transport: try CurlTransport(), endpoint: .unixSocket(simulation.endpoints.dockerSocket, host: "docker"))
    }
}

/// Runs `body` against a fresh harness and stops it afterwards, whatever happens.
func withCommandHarness(
    timeScale: Double = 0.005, faults: [ComponentKind: FaultPlan] = [:], canaryComponent: Bool = false,
    _ body: (CommandHarness) async throws -> Void
) async throws {
    let harness = try await CommandHarness.start(timeScale: timeScale, faults: faults, canaryComponent: canaryComponent)
    do {
        try await body(harness)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}
