import ArgumentParser
import Foundation
import HomelabCommands
import HomelabCore

#if canImport(Glibc)
    import Glibc
#endif

/// `homelab-repl`: an interactive shell over the same grammar as the `homelab` CLI, with one long-lived
/// connection to the homelab, contexts, history and completion of live names.
@main
struct HomelabREPLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homelab-repl",
        abstract: "Interactive shell for the homelab: the same commands as `homelab`, with completion and history.",
        discussion: """
            On a terminal: line editing (libedit), history in $XDG_STATE_HOME/homelab/repl_history (lines that \
            name or reveal secrets are never kept), Tab completion of commands, options and live names, contexts \
            (`use swarm`, `..`, `ls`, `help`), `set output json`, `watch -n 2 COMMAND`. Ctrl-C cancels the running \
            command, Ctrl-D leaves. Otherwise standard input is a script: one command per line, plain output, and \
            the exit status of the last command that failed.
            """,
        version: HomelabVersion.string)

    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("refresh"), help: "Seconds between background refreshes of the names Tab completes.")
    var refresh: Double = 10

    func validate() throws {
        guard refresh >= 0.5, refresh <= 3600 else { throw ValidationError("--refresh must be between 0.5 and 3600 seconds") }
    }

    func run() async throws {
        let interactive = isatty(0) == 1
        HomelabCommand.bootstrapLogging()
        // Commands that resolve the inventory themselves find the REPL's through the environment.
        if let config = options.config {
            setenv("HOMELAB_CONFIG", config, 1)
            unsetenv("HOMELAB_CONTEXT")
        } else if let context = options.context {
            setenv("HOMELAB_CONTEXT", context, 1)
        }
        if !interactive { setenv("NO_COLOR", "1", 1) }
        let environment = ProcessInfo.processInfo.environment
        let tree = try CommandTree.homelab()
        let session: HomelabSession?
        do {
            session = try HomelabSession.open(options, environment: environment)
        } catch {
            // Commands that need no inventory still work; the others say what is wrong when run.
            session = nil
            if interactive { REPLShell.write("homelab-repl: \(error)", to: .standardError) }
        }
        let shell = REPLShell(tree: tree, interactive: interactive, interrupts: Interrupts())
        let names = ResourceNames()
        let history = REPLHistory(environment: environment)
        let lines: any LineSource
        var refresher: Task<Void, Never>?
        if interactive {
            let completion = Completion(tree: tree)
            lines = LineEditor(history: history.load(), timings: environment["HOMELAB_REPL_COMPLETION_TIMES"]) { line in
                completion.complete(line, path: shell.path, names: names.snapshot)
            }
            refresher = names.keepFresh(session: session, environment: environment, interval: .milliseconds(Int(refresh * 1000)))
        } else {
            lines = ScriptLines()
        }
        let status = await HomelabSession.$current.withValue(session) {
            await shell.run(lines: lines, history: history)
        }
        refresher?.cancel()
        await session?.close()
        if status != 0 { throw ExitCode(status) }
    }
}
