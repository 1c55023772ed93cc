import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The built `homelab-repl` against an in-process simulation of the example homelab, in a private folder
/// (its own XDG_STATE_HOME, so history and the state store are the test's).
final class REPLHarness: Sendable {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = repositoryRoot.appendingPathComponent(".build/debug/homelab-repl").path
    static let built = FileManager.default.isExecutableFile(atPath: binary)
    static let exampleInventory = repositoryRoot.appendingPathComponent("Examples/homelab.yaml").path

    let simulation: HomelabSimulation
    let folder: TemporaryFolder
    let config: String

    private init(simulation: HomelabSimulation, folder: TemporaryFolder, config: String) {
        self.simulation = simulation
        self.folder = folder
        self.config = config
    }

    /// Starts the simulation and writes its inventory.
    static func start() async throws -> REPLHarness {
        let folder = try TemporaryFolder(prefix: "homelab-repl-test")
        let inventory = try InventoryLoader.load(path: exampleInventory)
        let simulation = try await HomelabSimulation.start(inventory: inventory, options: SimulationOptions(timeScale: 0.005))
        let config = folder.file("homelab.yaml")
        try simulation.writeConfig(to: config)
        return REPLHarness(simulation: simulation, folder: folder, config: config)
    }

    /// The environment the REPL runs with: the test's state folder, a terminal type, no inherited config.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = folder.file("state")
        environment["HOME"] = folder.path
        environment["TERM"] = "xterm"
        environment.removeValue(forKey: "HOMELAB_CONFIG")
        return environment
    }

    /// The history file the REPL writes.
    var historyFile: String { folder.file("state/homelab/repl_history") }

    /// Starts `homelab-repl --config CONFIG` in a tmux window and waits for its prompt.
    func terminal() async throws -> TmuxTerminal {
        let terminal = try await TmuxTerminal(
            Self.binary, ["--config", config, "--refresh", "1"], environment: environment, socket: folder.file("tmux.sock"))
        try await terminal.waitFor("the prompt") { $0.hasSuffix("homelab>") }
        return terminal
    }

    /// Runs `homelab-repl --config CONFIG` with `script` on standard input.
    func runScript(_ script: String) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(Self.binary, ["--config", config], environment: environment, input: Array(script.utf8), timeout: .seconds(120))
    }

    func stop() async {
        await simulation.shutdown()
    }
}
