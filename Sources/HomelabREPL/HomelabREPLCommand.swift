import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import CLibEdit
import HomelabCommands
import HomelabCore

/// `homelab-repl`: an interactive shell over the same grammar as the `homelab` CLI.
@main
struct HomelabREPLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homelab-repl",
        abstract: "Interactive shell for the homelab: the same commands as `homelab`, with completion and history.",
        version: HomelabVersion.string)

    @Option(name: .long, help: "Inventory file (homelab.yaml).")
    var config: String?

    func run() async throws {
        // Commands that talk to the homelab read their default --config from HOMELAB_CONFIG.
        if let config { setenv("HOMELAB_CONFIG", config, 1) }
        while let raw = readline("homelab> ") {
            let line = String(cString: raw)
            free(raw)
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if words.isEmpty { continue }
            if words == ["quit"] || words == ["exit"] { break }
            add_history(line)
            do {
                var command = try HomelabCommand.parseAsRoot(words)
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch {
                print(HomelabCommand.fullMessage(for: error))
            }
        }
    }
}

