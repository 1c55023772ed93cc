import ArgumentParser
import Foundation
import HomelabCommands

/// The command grammar as ArgumentParser describes it (`_dumpHelp()`, the tool-info JSON its manual and
/// completion generators read): every command group and command, its abstract, its options and arguments. The
/// REPL's contexts, `ls`, `help` and completion are built on it, so a command added to the root command's
/// subcommands appears in the REPL without any change here.
struct CommandTree: Sendable {
    /// One command or command group.
    struct Command: Decodable, Sendable {
        var commandName: String
        var aliases: [String]?
        var abstract: String?
        var discussion: String?
        var subcommands: [Command]?
        var arguments: [Argument]?
        var shouldDisplay: Bool?
        /// The subcommand that runs when the next word names none (`provision NODE` is `provision node NODE`).
        var defaultSubcommand: String?

        /// Its visible subcommands, in help order.
        var children: [Command] { (subcommands ?? []).filter { $0.shouldDisplay ?? true } }
        /// Whether it groups other commands (a context the REPL can enter).
        var isGroup: Bool { !children.isEmpty }

        /// The subcommand called `name` (or one of its aliases).
        func child(_ name: String) -> Command? {
            children.first { $0.commandName == name } ?? children.first { $0.aliases?.contains(name) ?? false }
        }

        /// Its options and flags with their names (`--output`, `-o`).
        var options: [Argument] { (arguments ?? []).filter { $0.kind != .positional && $0.shouldDisplay } }
        /// Its positional arguments, in order.
        var positionals: [Argument] { (arguments ?? []).filter { $0.kind == .positional } }

        /// The option or flag called `name` (`--output`, `-o`).
        func option(named name: String) -> Argument? { options.first { $0.spellings.contains(name) } }
    }

    /// One option, flag or positional argument.
    struct Argument: Decodable, Sendable {
        enum Kind: String, Decodable, Sendable { case positional, option, flag }
        struct Name: Decodable, Sendable {
            var kind: String
            var name: String
            var spelled: String { kind == "short" ? "-" + name : kind == "long" ? "--" + name : "-" + name }
        }

        var kind: Kind
        var shouldDisplay: Bool
        var isRepeating: Bool
        var names: [Name]?
        var valueName: String?
        var allValues: [String]?
        var abstract: String?
        var completionKind: CompletionKind?

        /// How ArgumentParser says the value completes; only lists and files matter to the REPL.
        enum CompletionKind: Decodable, Sendable {
            case list([String])
            case file
            case other

            private enum Keys: String, CodingKey { case list, file, directory }
            private struct ListValues: Decodable { var values: [String] }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Keys.self)
                if let list = try? container.decode(ListValues.self, forKey: .list) {
                    self = .list(list.values)
                } else if container.contains(.file) || container.contains(.directory) {
                    self = .file
                } else {
                    self = .other
                }
            }
        }

        /// Every way to write it on a command line (`--output`, `-o`).
        var spellings: [String] { (names ?? []).map(\.spelled) }
        /// Its longest spelling, the one completion offers.
        var preferred: String { spellings.max { $0.count < $1.count } ?? valueName ?? "" }
        /// Whether it takes a value (an option), rather than standing alone (a flag).
        var takesValue: Bool { kind == .option }
    }

    /// The root command (`homelab`).
    let root: Command

    /// The tree of ``HomelabCommand``.
    /// - Throws: when ArgumentParser's description cannot be read (a programming error, reported, not a crash).
    static func homelab() throws -> CommandTree {
        try CommandTree(json: HomelabCommand._dumpHelp())
    }

    init(json: String) throws {
        struct ToolInfo: Decodable { var command: Command }
        root = try JSONDecoder().decode(ToolInfo.self, from: Data(json.utf8)).command
    }

    /// The command at `path` below the root (`["swarm"]`, `["rollout", "plan"]`), or `nil`.
    func command(at path: [String]) -> Command? {
        var command = root
        for name in path {
            guard let next = command.child(name) else { return nil }
            command = next
        }
        return command
    }

    /// How many of `words` name commands, walking down from `path`: `["ps", "web"]` under `["swarm"]` is 1.
    func commandWords(_ words: [String], from path: [String]) -> Int {
        var command = self.command(at: path) ?? root
        var count = 0
        for word in words {
            guard let next = command.child(word) else { break }
            command = next
            count += 1
        }
        return count
    }
}
