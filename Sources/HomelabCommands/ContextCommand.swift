import ArgumentParser
import Foundation
import HomelabCore

/// `homelab context ls|use|show|create|rm`: named inventories to switch between, as `docker context` and
/// `kubectl config use-context` (see ``ContextStore``).
struct ContextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Switch between homelabs: named inventories, the current one kept in $XDG_CONFIG_HOME/homelab/.",
        subcommands: [List.self, Use.self, Show.self, Create.self, Remove.self])

    /// One context in `context ls -o json` (a row of the README's table).
    struct Row: Encodable {
        var name: String
        var config: String
        var description: String?
        var current: Bool

        static let table = Table<Row>([
            .init("NAME") { .text($0.current ? $0.name + " *" : $0.name) },
            .init("CONFIG") { .text($0.config) },
            .init("DESCRIPTION") { .text($0.description ?? "") },
        ])
    }
}

extension ContextCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls", abstract: "List the contexts; the current one is marked *.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let store = ContextStore(environment: Terminal.active.environment)
            let current = try store.currentName()
            let rows = try store.contexts().map {
                Row(name: $0.name, config: $0.config, description: $0.description, current: $0.name == current)
            }
            try output.list(rows, table: Row.table, id: \.name)
        }
    }

    struct Use: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "use",
            abstract: "Make NAME the current context (default: none, the other rules choose again).")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The context's name, or default.") var name: String

        func run() throws {
            let store = ContextStore(environment: Terminal.active.environment)
            try store.use(name == "default" ? nil : name)
            Terminal.active.print(name == "default" ? "no current context" : "current context: \(name)")
        }
    }

    /// `context show -o json`: the inventory in force and why.
    struct Shown: Encodable {
        var context: String?
        var config: String
        var chosen_by: String
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show the inventory this command line would use, and the rule that chose it.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let source = try config.source()
            let shown = Shown(context: source.rule.contextName, config: source.path, chosen_by: source.rule.description)
            try output.show(shown, ids: [shown.context ?? "default"]) { _ in
                "context: \(shown.context ?? "default")\nconfig:  \(shown.config)\nchosen by \(shown.chosen_by)"
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Add (or replace) a context naming an inventory file.")
        @Argument(help: "The context's name.") var name: String
        @Argument(help: "Its inventory file.", completion: .file(extensions: ["yaml", "yml"])) var file: String
        @Option(name: .long, help: "What it is, for context ls.") var description: String?

        func run() throws {
            let path = URL(fileURLWithPath: file).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: path) else {
                throw HomelabError(.invalidArgument, "\(path): no such file", component: "context")
            }
            try ContextStore(environment: Terminal.active.environment)
                .save(ContextStore.Context(name: name, config: path, description: description))
            Terminal.active.print("context \(name): \(path)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a context.")
        @Argument(help: "The context's name.") var name: String

        func run() throws {
            try ContextStore(environment: Terminal.active.environment).remove(name)
            Terminal.active.print("removed context \(name)")
        }
    }
}
