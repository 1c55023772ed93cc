import ArgumentParser
import Foundation
import HomelabCommands
import HomelabCore

#if canImport(Glibc)
    import Glibc
#endif

/// The REPL's interpreter: reads lines from a ``LineSource``, runs REPL words (`use`, `..`, `ls`, `help`, `set`,
/// `watch`, `exit`) itself and everything else as a `homelab` command line, prefixed by the current context
/// (the command group the prompt shows).
final class REPLShell: Sendable {
    /// What the shell remembers between lines.
    struct State: Sendable {
        /// The command group the lines run in (`["swarm"]`), empty at the root.
        var path: [String] = []
        /// `set output FORMAT`: added as `--output FORMAT` to every command that has that option.
        var output: String?
    }

    let tree: CommandTree
    let interactive: Bool
    let interrupts: Interrupts
    private let state = Locked(State())

    init(tree: CommandTree, interactive: Bool, interrupts: Interrupts) {
        self.tree = tree
        self.interactive = interactive
        self.interrupts = interrupts
    }

    /// The context now.
    var path: [String] { state.withLock { $0.path } }

    /// The prompt for context `path`: `homelab> `, `homelab swarm> `.
    static func prompt(_ path: [String]) -> String {
        (["homelab"] + path).joined(separator: " ") + "> "
    }

    /// Reads and runs lines until the end of input or `exit`; returns the status of the last command that failed
    /// (0 when none did).
    func run(lines: any LineSource, history: REPLHistory) async -> Int32 {
        var lastFailure: Int32 = 0
        var number = 0
        defer { if interactive { Self.write("") } }  // Ctrl-D leaves the cursor after the prompt
        while let line = await lines.next(prompt: interactive ? Self.prompt(path) : "") {
            number += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if interactive, REPLHistory.mayKeep(trimmed, path: path) {
                lines.remember(trimmed)
                history.append(trimmed)
            }
            guard let status = await execute(trimmed, where: interactive ? "" : "line \(number): ") else { break }
            if status != 0 { lastFailure = status }
            // Ctrl-C stops a script (at a terminal it only cancels the command).
            if !interactive, status == 130 { break }
        }
        return lastFailure
    }

    /// Runs one line; `nil` when it asks to leave. `location` prefixes error messages (a script's line number).
    func execute(_ line: String, where location: String = "") async -> Int32? {
        guard let words = ShellWords.split(line) else {
            return fail("\(location)unclosed quote or trailing backslash: \(line)", status: 64)
        }
        guard let first = words.first else { return 0 }
        let here = tree.command(at: path) ?? tree.root
        // A command of the current group wins over a REPL word of the same name (`ls` inside `node`); `help` is
        // always the REPL's.
        if here.child(first) == nil || first == "help" {
            switch first {
            case "exit", "quit": return nil
            case "..": return enter([".."], location: location)
            case "use", "cd": return enter(Array(words.dropFirst()), location: location)
            case "ls": return list(Array(words.dropFirst()), location: location)
            case "help" where words.count == 1:
                explain()
                return 0
            case "help": return await runCommand(path + words.dropFirst() + ["--help"], location: location)
            case "set": return set(Array(words.dropFirst()), location: location)
            case "watch": return await watch(Array(words.dropFirst()), location: location)
            default: break
            }
        }
        // `homelab node ls`, typed out of habit, runs from the top whatever the context.
        if first == "homelab", here.child(first) == nil {
            return await runCommand(withOutput(Array(words.dropFirst())), location: location)
        }
        return await runCommand(withOutput(path + words), location: location)
    }

    // MARK: Contexts

    /// `use GROUP`, `cd GROUP/SUB`, `cd ..`, `cd /`, `cd` (back to the root).
    private func enter(_ arguments: [String], location: String) -> Int32 {
        guard arguments.count <= 1 else { return fail("\(location)use: one command group at a time", status: 64) }
        let target = arguments.first ?? "/"
        var path = target.hasPrefix("/") ? [] : self.path
        for part in target.split(separator: "/").map(String.init) where part != "." {
            if part == ".." {
                if !path.isEmpty { path.removeLast() }
                continue
            }
            guard let group = tree.command(at: path + [part]), group.isGroup else {
                let groups = (tree.command(at: path) ?? tree.root).children.filter(\.isGroup).map(\.commandName)
                return fail(
                    "\(location)no command group '\(part)' here; groups: \(groups.isEmpty ? "none" : groups.joined(separator: ", "))",
                    status: 64)
            }
            path.append(part)
        }
        state.withLock { $0.path = path }
        return 0
    }

    /// `ls [GROUP]`: the commands and groups of the context (groups end in `/`), each with its abstract.
    private func list(_ arguments: [String], location: String) -> Int32 {
        guard let command = tree.command(at: path + arguments) else {
            return fail("\(location)ls: no command group '\(arguments.joined(separator: " "))' here", status: 64)
        }
        let rows = command.children.map { ($0.commandName + ($0.isGroup ? "/" : ""), $0.abstract ?? "") }
        write(Self.columns(rows))
        return 0
    }

    /// `help` alone: what the current context is, what it holds, and the REPL's own words.
    private func explain() {
        let command = tree.command(at: path) ?? tree.root
        var text = path.isEmpty ? "homelab-repl: the homelab CLI's commands, one per line." : "\(path.joined(separator: " ")): \(command.abstract ?? "")"
        if !path.isEmpty {
            text += "\nLines run as `homelab \(path.joined(separator: " ")) ...`."
        }
        text += "\n\nCommands here:\n" + Self.columns(command.children.map { ("  " + $0.commandName + ($0.isGroup ? "/" : ""), $0.abstract ?? "") })
        text += """


            REPL words:
              use GROUP, cd GROUP   enter a command group (cd /, cd .., .. go back up)
              ls [GROUP]            list the commands of this context
              help [COMMAND]        this text, or a command's help
              set output FORMAT     add --output FORMAT (table, wide, json, yaml) to commands that show data
              watch [-n SECONDS] COMMAND   run a command every SECONDS (2) until a key is pressed
              exit, quit, Ctrl-D    leave; Ctrl-C cancels the running command
            """
        write(text)
    }

    // MARK: Settings

    /// `set`, `set output FORMAT`, `set output` (back to each command's default).
    private func set(_ arguments: [String], location: String) -> Int32 {
        switch arguments.count {
        case 0:
            let output = state.withLock { $0.output }
            write("output \(output ?? "(each command's default)")")
            return 0
        case 1 where arguments[0] == "output":
            state.withLock { $0.output = nil }
            return 0
        case 2 where arguments[0] == "output":
            guard let formats = Completion.settings["output"], formats.contains(arguments[1]) else {
                return fail("\(location)set output: one of table, wide, json, yaml; got \(arguments[1])", status: 64)
            }
            state.withLock { $0.output = arguments[1] == "table" ? nil : arguments[1] }
            return 0
        default:
            return fail("\(location)set: only `set output FORMAT` is known", status: 64)
        }
    }

    /// `words` with `--output FORMAT` added when an output is set, the command has `--output`, accepts that
    /// format, and the line does not choose one itself.
    func withOutput(_ words: [String]) -> [String] {
        guard let output = state.withLock({ $0.output }) else { return words }
        let count = tree.commandWords(words, from: [])
        guard let command = tree.command(at: Array(words.prefix(count))), let option = command.option(named: "--output"),
            option.allValues?.contains(output) ?? true,
            !words.contains(where: { $0 == "-o" || $0 == "--output" || $0.hasPrefix("--output=") })
        else { return words }
        if let terminator = words.firstIndex(of: "--") {
            return Array(words[..<terminator]) + ["--output", output] + Array(words[terminator...])
        }
        return words + ["--output", output]
    }

    // MARK: Running commands

    /// Parses `arguments` with the `homelab` grammar and runs the command as the task Ctrl-C cancels. Returns
    /// its exit status (ArgumentParser's: 0, 64 for usage, the command's own codes; 130 when cancelled).
    func runCommand(_ arguments: [String], location: String) async -> Int32 {
        let (status, interrupted) = await interrupts.run { await Self.invoke(arguments, location: location) }
        flushStandardOutput()
        if interrupted { Self.write("cancelled", to: .standardError) }
        return interrupted && status == 0 ? 130 : status
    }

    /// Runs one command line through ``HomelabCommand/run(arguments:)`` (the CLI's own error reports and exit
    /// codes); in a script, error lines start with `location` (`line 3: `).
    static func invoke(_ arguments: [String], location: String) async -> Int32 {
        var terminal = Terminal.standard()
        if !location.isEmpty {
            let plain = terminal
            terminal = Terminal(
                isInteractive: plain.isInteractive, width: plain.width, environment: plain.environment,
                output: { text in plain.print(String(text.dropLast())) },
                error: { text in plain.printError(location + String(text.dropLast())) })
        }
        let status = await Terminal.$current.withValue(terminal) { await HomelabCommand.run(arguments: arguments) }
        return Task.isCancelled ? 130 : status
    }

    private func fail(_ message: String, status: Int32) -> Int32 { Self.fail(message, status: status) }

    /// Writes `message` to standard error and returns `status`.
    static func fail(_ message: String, status: Int32) -> Int32 {
        write(message, to: .standardError)
        return status
    }

    private func write(_ text: String) { Self.write(text) }

    /// Writes a line to standard output or standard error at once.
    static func write(_ text: String, to handle: FileHandle = .standardOutput) {
        flushStandardOutput()
        handle.write(Data((text + "\n").utf8))
    }

    /// Two columns, the first padded to its widest entry.
    static func columns(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { name, text in name + String(repeating: " ", count: width + 3 - name.count) + text }
            .joined(separator: "\n")
    }
}

/// Pushes what `print` buffered to the terminal or pipe, so command output and messages keep their order.
func flushStandardOutput() {
    fflush(nil)
}
