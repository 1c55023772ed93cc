import Foundation
import HomelabCore

/// Which inventory file a command reads, and the rule that chose it. The rules, first match wins:
///
/// 1. `--config PATH`
/// 2. `--context NAME`, then `$HOMELAB_CONTEXT`: that context's file
/// 3. `$HOMELAB_CONFIG`
/// 4. the current context (`homelab context use NAME`, kept in `$XDG_CONFIG_HOME/homelab/current-context`)
/// 5. `./homelab.yaml`, when it exists
/// 6. `$XDG_CONFIG_HOME/homelab/homelab.yaml` (`~/.config/...`), when it exists
public struct ConfigSource: Sendable, Hashable {
    /// The rule that chose the file.
    public enum Rule: Sendable, Hashable, CustomStringConvertible {
        /// `--config`.
        case option
        /// `--context NAME`.
        case contextOption(String)
        /// `$HOMELAB_CONTEXT`.
        case contextEnvironment(String)
        /// `$HOMELAB_CONFIG`.
        case environment
        /// The current context, set with `homelab context use` in the named file.
        case currentContext(String, file: String)
        /// `./homelab.yaml`.
        case workingDirectory
        /// `$XDG_CONFIG_HOME/homelab/homelab.yaml`.
        case userConfig

        /// How an error names it: `--config`, `the current context "lab" (~/.config/homelab/current-context)`.
        public var description: String {
            switch self {
            case .option: return "--config"
            case .contextOption(let name): return "--context \(name)"
            case .contextEnvironment(let name): return "$HOMELAB_CONTEXT=\(name)"
            case .environment: return "$HOMELAB_CONFIG"
            case .currentContext(let name, let file): return "the current context \"\(name)\" (\(file))"
            case .workingDirectory: return "./homelab.yaml in the working directory"
            case .userConfig: return "$XDG_CONFIG_HOME/homelab/homelab.yaml"
            }
        }

        /// The context's name, for rules that went through one.
        public var contextName: String? {
            switch self {
            case .contextOption(let name), .contextEnvironment(let name), .currentContext(let name, _): return name
            case .option, .environment, .workingDirectory, .userConfig: return nil
            }
        }
    }

    /// The inventory file.
    public var path: String
    /// Why this file.
    public var rule: Rule

    /// A source naming `path`, chosen by `rule`.
    public init(path: String, rule: Rule) {
        self.path = path
        self.rule = rule
    }

    /// Applies the rules (see ``ConfigSource``).
    /// - Throws: ``HomelabError/Code/invalidConfiguration``: a context that does not exist (naming the contexts
    ///   file), an unreadable contexts file, or no rule naming a file.
    public static func resolve(config: String?, context: String?, environment: [String: String]) throws -> ConfigSource {
        if let config { return ConfigSource(path: config, rule: .option) }
        let contexts = ContextStore(environment: environment)
        if let context { return ConfigSource(path: try contexts.context(named: context).config, rule: .contextOption(context)) }
        if let name = environment["HOMELAB_CONTEXT"], !name.isEmpty {
            return ConfigSource(path: try contexts.context(named: name).config, rule: .contextEnvironment(name))
        }
        if let path = environment["HOMELAB_CONFIG"], !path.isEmpty { return ConfigSource(path: path, rule: .environment) }
        if let name = try contexts.currentName() {
            return ConfigSource(
                path: try contexts.context(named: name).config, rule: .currentContext(name, file: contexts.currentFile))
        }
        let local = "homelab.yaml"
        if FileManager.default.fileExists(atPath: local) { return ConfigSource(path: local, rule: .workingDirectory) }
        let user = contexts.directory + "/homelab.yaml"
        if FileManager.default.fileExists(atPath: user) { return ConfigSource(path: user, rule: .userConfig) }
        throw HomelabError(
            .invalidConfiguration,
            "no inventory: give --config PATH or --context NAME, set $HOMELAB_CONFIG, run homelab context use NAME, "
                + "or create ./homelab.yaml or \(user)",
            component: "inventory")
    }

    /// Reads the inventory; a failure says which rule chose the file.
    /// - Throws: the loader's ``HomelabError`` (located issues kept), its message naming the rule.
    public func load() throws -> Homelab {
        do {
            return try InventoryLoader.load(path: path)
        } catch var error as HomelabError {
            let issues = error.inventoryIssues
            if issues.isEmpty {
                error.message += " (chosen by \(rule))"
                throw error
            }
            throw HomelabError(
                .invalidConfiguration,
                "inventory \(path) (chosen by \(rule)) has \(issues.count) problem\(issues.count == 1 ? "" : "s")",
                component: "inventory", underlying: InventoryValidationError(issues: issues))
        }
    }
}
