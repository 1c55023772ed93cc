import ArgumentParser
import Foundation
import HomelabCore

/// `--config PATH`, `--context NAME` and `--verbose`: on every command. Which inventory is read is decided by
/// ``source(environment:)`` (see ``ConfigSource`` for the order).
public struct ConfigOptions: ParsableArguments, Sendable {
    /// The inventory file, above every other rule.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Inventory file (homelab.yaml). Else --context, $HOMELAB_CONTEXT, $HOMELAB_CONFIG, the current context, "
                + "./homelab.yaml, $XDG_CONFIG_HOME/homelab/homelab.yaml.",
            valueName: "path"),
        completion: .file(extensions: ["yaml", "yml"]))
    public var config: String?

    /// A context by name (`homelab context ls`), instead of the current one.
    @Option(name: .long, help: ArgumentHelp("Use this context (homelab context ls) for this command.", valueName: "name"))
    public var context: String?

    /// Log requests (redacted) to standard error, and add the failed request's trace to an error.
    @Flag(name: .long, help: "Log requests (redacted) to standard error; errors add the request's trace.")
    public var verbose = false

    /// Parsed from arguments by ArgumentParser.
    public init() {}

    /// Options naming `config` directly (for code that runs a command without parsing arguments).
    public init(config: String?, context: String? = nil, verbose: Bool = false) {
        self.config = config
        self.context = context
        self.verbose = verbose
    }

    /// The inventory in force and the rule that chose it.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for an unknown context or when no rule names a file.
    public func source(environment: [String: String] = Terminal.active.environment) throws -> ConfigSource {
        try ConfigSource.resolve(config: config, context: context, environment: environment)
    }

    /// The inventory path in force, or `homelab.yaml` when no rule names one (reading it then fails, saying so).
    public var path: String { (try? source())?.path ?? "homelab.yaml" }

    /// Reads the inventory in force; its errors name the file and the rule that chose it.
    /// - Throws: as ``source(environment:)``; the loader's located errors.
    public func loadInventory(environment: [String: String] = Terminal.active.environment) throws -> Homelab {
        try source(environment: environment).load()
    }
}
