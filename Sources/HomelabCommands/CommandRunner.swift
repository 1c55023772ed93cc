import ArgumentParser
import Foundation
import HomelabCore
import Logging

extension HomelabCommand {
    /// Parses `arguments`, runs the command and returns its exit status, writing on ``Terminal/active``: help and
    /// version on standard output; usage errors (64) as ArgumentParser words them; every other failure as an
    /// ``ErrorReport`` (with `--verbose`, its trace). The `homelab` executable exits with the result; tests and
    /// the REPL call it directly.
    public static func run(arguments: [String]) async -> Int32 {
        let terminal = Terminal.active
        var parsed: (any ParsableCommand)?
        do {
            // The async parse answers the shell's `---completion` requests for live names (LiveNames).
            var command = try await asyncParseAsRoot(arguments)
            parsed = command
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return ExitStatus.success.rawValue
        } catch let error as HomelabError {
            let config = parsed.flatMap(configOptions(of:))
            let source = try? config?.source(environment: terminal.environment)
            let inventory = source.flatMap { try? InventoryLoader.load(path: $0.path) }
            let report = ErrorReport(error, source: source, inventory: inventory)
            for line in report.lines { terminal.printError(line) }
            if config?.verbose == true { for line in report.trace { terminal.printError(line) } }
            return ExitStatus.error.rawValue
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error, columns: terminal.width)
            if error is ExitCode || code == .validationFailure || code == .success {
                if !message.isEmpty {
                    if code == .success { terminal.print(message) } else { terminal.printError(message) }
                }
                return code.rawValue
            }
            let report = ErrorReport(error)
            for line in report.lines { terminal.printError(line) }
            if parsed.flatMap(configOptions(of:))?.verbose == true { for line in report.trace { terminal.printError(line) } }
            return ExitStatus.error.rawValue
        }
    }

    /// The `homelab` executable's entry: ``run(arguments:)`` with libcurl loading on a background thread
    /// meanwhile (``preloadTransport(for:)``).
    ///
    /// Nonisolated on purpose: the call leaves the main actor first, so the concurrency runtime's worker threads
    /// exist before the loading starts. `dlopen` holds the dynamic loader's lock throughout, and `pthread_create`
    /// takes that lock (`_dl_allocate_tls_init`), so a worker thread started while libcurl loads would wait for all
    /// of it, and the command with it (which is what happened when the preload came before the first hop).
    public static func runFromCommandLine(arguments: [String]) async -> Int32 {
        preloadTransport(for: arguments)
        return await run(arguments: arguments)
    }

    /// Starts opening libcurl on a background thread when `arguments` name a command that may send requests, so
    /// that its loading (about thirty shared libraries) overlaps argument parsing and the inventory read instead of
    /// delaying the first request. Commands that only read local files or run another process (`demo`, `inventory`,
    /// `context`, `completion` scripts, `lint`, help, `--version`) skip it: a process that exits while the loader is
    /// still at work waits for it. Call it on a concurrency worker thread, as ``runFromCommandLine(arguments:)``
    /// does, not before the first hop off the main actor.
    public static func preloadTransport(for arguments: [String]) {
        guard let first = arguments.first, !localCommands.contains(first) else { return }
        if arguments.contains(where: { $0 == "--help" || $0 == "-h" || $0 == "--version" }) { return }
        CurlTransport.preloadLibrary()
    }

    private static let localCommands: Set<String> = ["demo", "inventory", "context", "completion", "lint", "help"]

    /// The `--config/--context/--verbose` options of a parsed command, found among its option groups.
    static func configOptions(of command: any ParsableCommand) -> ConfigOptions? {
        for child in Mirror(reflecting: command).children {
            if let group = child.value as? OptionGroup<ConfigOptions> { return group.wrappedValue }
        }
        return nil
    }
}

extension HomelabCommand {
    /// Sends log lines (`--verbose`) to standard error, so standard output holds only what the command shows.
    /// Call once per process, before any command runs.
    public static func bootstrapLogging() {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
    }
}
