import ArgumentParser
import Foundation
import HomelabCore

/// `homelab inventory show|validate FILE`: draw or check the homelab's inventory (`homelab.yaml`).
public struct InventoryCommand: ParsableCommand {
    /// The `inventory` command group.
    public static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Show or check the homelab inventory (homelab.yaml).",
        subcommands: [Show.self, Validate.self]
    )

    /// Parsed from arguments by ArgumentParser.
    public init() {}

    /// How `show` prints the inventory.
    public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Tables and a tier tree for people.
        case text
        /// Pretty-printed JSON with sorted keys, for scripts.
        case json
    }

    /// `homelab inventory show FILE [--format text|json]`: nodes, tiers with their stacks and services, components.
    public struct Show: ParsableCommand {
        /// `show`'s name and help.
        public static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Draw the topology: nodes, tiers with their stacks and services, component endpoints.",
            discussion: "Credentials are shown by kind only (op://…, env:…, file:…), never their names or values."
        )

        /// The inventory file.
        @Argument(help: "The inventory file.", completion: .file(extensions: ["yaml", "yml"]))
        public var file: String

        /// The output format.
        @Option(help: "Output format: text or json.")
        public var format: Format = .text

        /// Parsed from arguments by ArgumentParser.
        public init() {}

        /// The drawing `run()` prints.
        /// - Throws: the loader's ``HomelabError`` when the file cannot be read or has problems.
        public func output() throws -> String {
            let homelab = try InventoryLoader.load(path: file)
            switch format {
            case .text: return InventoryRenderer.text(homelab)
            case .json: return try InventoryRenderer.json(homelab)
            }
        }

        /// Prints the drawing.
        /// - Throws: `ExitCode(1)` after printing the problems to standard error when the file is invalid.
        public func run() throws {
            do {
                print(try output())
            } catch let error as HomelabError {
                StandardError.print(error.description)
                throw ExitCode(1)
            }
        }
    }

    /// `homelab inventory validate FILE`: exit 0 on a valid file, 1 after printing every located problem.
    public struct Validate: ParsableCommand {
        /// `validate`'s name and help.
        public static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check an inventory file; print every problem as file:line:column keyPath: message.",
            discussion: "Exits 0 when the file is valid and 1 when it is not."
        )

        /// The inventory file.
        @Argument(help: "The inventory file.", completion: .file(extensions: ["yaml", "yml"]))
        public var file: String

        /// Parsed from arguments by ArgumentParser.
        public init() {}

        /// Whether the file is valid, and the text `run()` prints: one summary line when valid, else every
        /// problem one per line followed by a count.
        public func outcome() -> (isValid: Bool, text: String) {
            do {
                let homelab = try InventoryLoader.load(path: file)
                let nodes = homelab.nodes.count
                let services = homelab.services.count
                return (true, "\(file): valid (\(nodes) node\(nodes == 1 ? "" : "s"), \(services) service\(services == 1 ? "" : "s"))")
            } catch let error as HomelabError {
                let issues = error.inventoryIssues
                guard !issues.isEmpty else { return (false, error.description) }
                let lines = issues.map(\.description)
                let summary = "\(file): invalid (\(issues.count) problem\(issues.count == 1 ? "" : "s"))"
                return (false, (lines + [summary]).joined(separator: "\n"))
            } catch {
                return (false, "\(file): \(error)")
            }
        }

        /// Prints the outcome: the summary on standard output, or the problems on standard error.
        /// - Throws: `ExitCode(1)` when the file is invalid or unreadable.
        public func run() throws {
            let outcome = outcome()
            if outcome.isValid {
                print(outcome.text)
            } else {
                StandardError.print(outcome.text)
                throw ExitCode(1)
            }
        }
    }
}
