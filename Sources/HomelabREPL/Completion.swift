import HomelabCore

/// Tab completion for a REPL line: builtins, commands and groups, option names, option values and positional
/// arguments, from the command tree and the cached live names. Pure and synchronous: it never waits on the
/// network (the names come from ``ResourceNames``, refreshed in the background).
struct Completion: Sendable {
    /// What a completion offers.
    struct Answer: Equatable, Sendable {
        /// Whole words that may replace the word being typed, sorted.
        var candidates: [String]
        /// What follows a single match: a blank, or nothing (after `SERVICE=` the value follows).
        var appendBlank = true
        /// When nothing matched: whether the terminal may fall back to completing file names.
        var filesAllowed = false
    }

    let tree: CommandTree
    /// The REPL's builtin words, offered first on a line.
    static let builtins = ["..", "cd", "exit", "help", "ls", "quit", "set", "use", "watch"]
    /// `set` keys and their values.
    static let settings = ["output": ["table", "wide", "json", "yaml"]]

    /// The candidates for the word that ends `line` (the text before the cursor), in context `path`.
    func complete(_ line: String, path: [String], names: ResourceNames.Snapshot) -> Answer {
        let split = Self.split(line)
        var words = split.words
        let partial = split.partial
        var builtins = words.isEmpty
        // `watch [-n SECONDS] COMMAND`: complete the command.
        if words.first == "watch" {
            builtins = false
            words.removeFirst()
            if words.first == "-n" || words.first == "--interval" {
                if words.count < 2 { return Answer(candidates: []) }
                words.removeFirst(2)
            }
        } else if let first = words.first {
            switch first {
            case "use", "cd":
                guard words.count == 1 else { return Answer(candidates: []) }
                let here = tree.command(at: path) ?? tree.root
                let groups = here.children.filter(\.isGroup).map(\.commandName) + (path.isEmpty ? [] : [".."])
                return Answer(candidates: Self.matching(groups, partial))
            case "help", "ls":
                let here = tree.command(at: path + words.dropFirst()) ?? tree.root
                return Answer(candidates: Self.matching(here.children.map(\.commandName), partial))
            case "set":
                if words.count == 1 { return Answer(candidates: Self.matching(Array(Self.settings.keys), partial)) }
                if words.count == 2, let values = Self.settings[words[1]] {
                    return Answer(candidates: Self.matching(values, partial))
                }
                return Answer(candidates: [])
            default: break
            }
        }
        return completeCommand(words, partial: partial, path: path, names: names, builtins: builtins)
    }

    /// Completes within a command line: subcommands, then options and arguments of the command reached.
    private func completeCommand(
        _ words: [String], partial: String, path: [String], names: ResourceNames.Snapshot, builtins: Bool
    ) -> Answer {
        var command = tree.command(at: path) ?? tree.root
        var commandPath = path
        var rest = words[...]
        while let word = rest.first, let next = command.child(word) {
            command = next
            commandPath.append(word)
            rest = rest.dropFirst()
        }
        if rest.isEmpty, command.isGroup, !partial.hasPrefix("-") {
            let children = command.children.map(\.commandName)
            // A group with a default subcommand (`provision NODE`) also takes that subcommand's first argument here.
            var defaults: [String] = []
            if let name = command.defaultSubcommand, let fallback = command.child(name), let argument = fallback.positionals.first {
                defaults = values(for: argument, partial: partial, commandPath: commandPath + [name], names: names).candidates
            }
            let own = Self.matching(children + (builtins ? Self.builtins : []), partial)
            return Answer(candidates: (own + defaults.filter { !own.contains($0) }).sorted())
        }
        if let name = command.defaultSubcommand, let fallback = command.child(name), command.isGroup {
            command = fallback
            commandPath.append(name)
        }
        // Which argument the partial word fills: the value of the option before it, or the next positional.
        var positionalIndex = 0
        var pendingOption: CommandTree.Argument?
        var afterTerminator = false
        for word in rest {
            if pendingOption != nil {
                pendingOption = nil
            } else if word == "--" {
                afterTerminator = true
            } else if !afterTerminator, word.hasPrefix("-"), word.count > 1 {
                if let option = command.option(named: String(word.split(separator: "=", maxSplits: 1)[0])),
                    option.takesValue, !word.contains("=")
                {
                    pendingOption = option
                }
            } else {
                positionalIndex += 1
            }
        }
        if let option = pendingOption {
            return values(for: option, partial: partial, commandPath: commandPath, names: names)
        }
        if partial.hasPrefix("-"), !afterTerminator {
            let spellings = command.options.flatMap { option in option.spellings.filter { $0.hasPrefix("--") } }
            return Answer(candidates: Self.matching(spellings + ["--help"], partial))
        }
        let positionals = command.positionals
        guard !positionals.isEmpty else { return Answer(candidates: []) }
        let argument =
            positionalIndex < positionals.count
            ? positionals[positionalIndex] : positionals.last.flatMap { $0.isRepeating ? $0 : nil }
        guard let argument else { return Answer(candidates: []) }
        return values(for: argument, partial: partial, commandPath: commandPath, names: names)
    }

    /// The values an option or positional argument takes: its listed values, live names, or file names.
    private func values(
        for argument: CommandTree.Argument, partial: String, commandPath: [String], names: ResourceNames.Snapshot
    ) -> Answer {
        if let listed = argument.allValues, !listed.isEmpty {
            return Answer(candidates: Self.matching(listed, partial))
        }
        switch argument.completionKind {
        case .list(let values)?: return Answer(candidates: Self.matching(values, partial))
        case .file?: return Answer(candidates: [], filesAllowed: true)
        default: break
        }
        guard let kind = ResourceNames.Kind.of(argument, commandPath: commandPath) else {
            return Answer(candidates: [])
        }
        let assigns = ResourceNames.Kind.assigns(argument)
        if assigns, partial.contains("=") { return Answer(candidates: []) }
        let found = names.matching(kind, prefix: partial)
        return Answer(candidates: assigns ? found.map { $0 + "=" } : found, appendBlank: !assigns)
    }

    /// The words before the one being typed, and that word (empty after a blank). Quotes follow shell rules;
    /// an unclosed quote is closed for the purpose.
    static func split(_ line: String) -> (words: [String], partial: String) {
        let endsWord = line.last.map { $0 == " " || $0 == "\t" } ?? true
        let words = ShellWords.split(line) ?? ShellWords.split(line + "'") ?? ShellWords.split(line + "\"") ?? []
        if endsWord || words.isEmpty { return (words, "") }
        return (Array(words.dropLast()), words[words.count - 1])
    }

    /// The `words` that begin with `prefix`, sorted, without repeats.
    static func matching(_ words: [String], _ prefix: String) -> [String] {
        Array(Set(words.filter { $0.hasPrefix(prefix) })).sorted()
    }
}
