import ArgumentParser
import Foundation
import HomelabCore

/// `homelab inventory show|validate [FILE]`: draw or check the homelab's inventory (`homelab.yaml`).
public struct InventoryCommand: ParsableCommand {
    /// The `inventory` command group.
    public static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Show or check the homelab inventory (homelab.yaml).",
        subcommands: [Show.self, Validate.self]
    )

    /// Parsed from arguments by ArgumentParser.
    public init() {}

    /// `homelab inventory show [FILE] [-o table|json|yaml]`: nodes, tiers with their stacks and services, components.
    public struct Show: ParsableCommand {
        /// `show`'s name and help.
        public static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Draw the topology: nodes, tiers with their stacks and services, component endpoints.",
            discussion: """
                Credentials are shown by kind only (op://…, env:…, file:…), never their names or values. \
                Without FILE, the inventory in force (--config, --context, ...). -q prints the swarm service names.
                """
        )

        /// The inventory file; the one in force when not given.
        @Argument(help: "The inventory file (default: the one in force).", completion: .file(extensions: ["yaml", "yml"]))
        public var file: String?

        /// `--config`, `--context`, `--verbose`.
        @OptionGroup public var config: ConfigOptions

        /// `-o`, `-q`.
        @OptionGroup public var outputOptions: OutputOptions

        /// Parsed from arguments by ArgumentParser.
        public init() {}

        /// The inventory shown.
        /// - Throws: the loader's ``HomelabError`` when the file cannot be read or has problems.
        public func inventory() throws -> Homelab {
            if let file { return try InventoryLoader.load(path: file) }
            return try config.loadInventory()
        }

        /// The drawing `run()` prints for `table`/`wide`, or the document for `json`/`yaml`.
        /// - Throws: the loader's ``HomelabError`` when the file cannot be read or has problems.
        public func output() throws -> String {
            let homelab = try inventory()
            switch outputOptions.format {
            case .json, .yaml: return try StructuredOutput.encode(InventoryJSON(homelab), as: outputOptions.format)
            case .table, .wide, .mermaid: return InventoryRenderer.text(homelab)
            }
        }

        /// Prints the drawing.
        /// - Throws: the loader's ``HomelabError`` (located problems); `ValidationError` for `-o mermaid`.
        public func run() throws {
            let homelab = try inventory()
            try outputOptions.show(InventoryJSON(homelab), ids: homelab.services.map(\.swarmName)) { _ in InventoryRenderer.text(homelab) }
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

        /// The inventory file; the one in force when not given.
        @Argument(help: "The inventory file (default: the one in force).", completion: .file(extensions: ["yaml", "yml"]))
        public var file: String?

        /// `--config`, `--context`, `--verbose`.
        @OptionGroup public var config: ConfigOptions

        /// Parsed from arguments by ArgumentParser.
        public init() {}

        /// Whether the file is valid, and the text `run()` prints: one summary line when valid, else every
        /// problem one per line followed by a count.
        public func outcome() -> (isValid: Bool, text: String) {
            let file = self.file ?? config.path
            do {
                let homelab = try self.file.map { try InventoryLoader.load(path: $0) } ?? config.loadInventory()
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
                Terminal.active.print(outcome.text)
            } else {
                Terminal.active.printError(outcome.text)
                throw ExitStatus.error.code
            }
        }
    }
}
