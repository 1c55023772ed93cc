import Foundation
import HomelabCore
import Yams

/// Named inventories to switch between, as docker's and kubectl's contexts: defined in
/// `$XDG_CONFIG_HOME/homelab/contexts.yaml`, the current one's name in `$XDG_CONFIG_HOME/homelab/current-context`
/// (`$XDG_CONFIG_HOME` defaults to `~/.config`).
///
/// ```yaml
/// contexts:
///   lab:
///     config: /home/me/homelab/homelab.yaml
///     description: the house
///   sim:
///     config: /tmp/homelab-sim.yaml
/// ```
public struct ContextStore: Sendable {
    /// One context: a name for an inventory file.
    public struct Context: Sendable, Hashable, Codable {
        /// The name used with `--context` and `homelab context use`.
        public var name: String
        /// The inventory file (absolute, or relative to the contexts file's folder).
        public var config: String
        /// What it is, for `context ls`.
        public var description: String?
    }

    /// `$XDG_CONFIG_HOME/homelab`.
    public let directory: String
    /// The context definitions.
    public var contextsFile: String { directory + "/contexts.yaml" }
    /// The current context's name.
    public var currentFile: String { directory + "/current-context" }

    /// The store under `$XDG_CONFIG_HOME/homelab`, else `$HOME/.config/homelab`.
    public init(environment: [String: String]) {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        directory = base + "/homelab"
    }

    /// Every context, by name.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` naming the contexts file when it is not valid YAML of
    ///   that shape.
    public func contexts() throws -> [Context] {
        guard let data = FileManager.default.contents(atPath: contextsFile) else { return [] }
        struct File: Decodable {
            struct Entry: Decodable {
                var config: String
                var description: String?
            }
            var contexts: [String: Entry]?
        }
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: data)
        } catch {
            throw HomelabError(
                .invalidConfiguration,
                "\(contextsFile): not a contexts file (expected contexts: NAME: {config: PATH, description: TEXT})",
                component: "context")
        }
        return (file.contexts ?? [:]).map { name, entry in
            Context(name: name, config: absolute(entry.config), description: entry.description)
        }.sorted { $0.name < $1.name }
    }

    /// The context called `name`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` naming the contexts file when there is none by that name.
    public func context(named name: String) throws -> Context {
        guard let found = try contexts().first(where: { $0.name == name }) else {
            let known = (try? contexts().map(\.name)) ?? []
            throw HomelabError(
                .invalidConfiguration,
                "no context \"\(name)\" in \(contextsFile)"
                    + (known.isEmpty ? " (it defines none: homelab context create NAME --config PATH)" : " (known: \(known.joined(separator: ", ")))"),
                component: "context")
        }
        return found
    }

    /// The current context's name, or `nil` when none was chosen.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the file cannot be read.
    public func currentName() throws -> String? {
        guard FileManager.default.fileExists(atPath: currentFile) else { return nil }
        guard let data = FileManager.default.contents(atPath: currentFile) else {
            throw HomelabError(.invalidConfiguration, "cannot read \(currentFile)", component: "context")
        }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }

    /// Makes `name` current (`nil` clears it: the other rules choose again).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for an unknown context or a file that cannot be written.
    public func use(_ name: String?) throws {
        do {
            guard let name else {
                if FileManager.default.fileExists(atPath: currentFile) { try FileManager.default.removeItem(atPath: currentFile) }
                return
            }
            _ = try context(named: name)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data((name + "\n").utf8).write(to: URL(fileURLWithPath: currentFile), options: .atomic)
        } catch let error as HomelabError {
            throw error
        } catch {
            throw HomelabError(.invalidConfiguration, "cannot write \(currentFile)", component: "context")
        }
    }

    /// Adds or replaces the context `name`, keeping the others (the file is rewritten; comments are not kept).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for a bad name or a file that cannot be written.
    public func save(_ context: Context) throws {
        guard !context.name.isEmpty, context.name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw HomelabError(
                .invalidArgument, "a context name is letters, digits, '-', '_' or '.', got \"\(context.name)\"", component: "context")
        }
        var all = try contexts().filter { $0.name != context.name }
        all.append(Context(name: context.name, config: absolute(context.config), description: context.description))
        try write(all)
    }

    /// Removes the context `name` (and clears it when it was current).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for an unknown context or a file that cannot be written.
    public func remove(_ name: String) throws {
        _ = try context(named: name)
        try write(try contexts().filter { $0.name != name })
        if try currentName() == name { try use(nil) }
    }

    private func write(_ contexts: [Context]) throws {
        var mapping: [(Node, Node)] = []
        for context in contexts.sorted(by: { $0.name < $1.name }) {
            var entry: [(Node, Node)] = [(Node("config"), .scalar(context.config.represented()))]
            if let description = context.description { entry.append((Node("description"), .scalar(description.represented()))) }
            mapping.append((.scalar(context.name.represented()), Node(entry)))
        }
        do {
            let text = try Yams.serialize(node: Node([(Node("contexts"), Node(mapping))]))
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: contextsFile), options: .atomic)
        } catch {
            throw HomelabError(.invalidConfiguration, "cannot write \(contextsFile)", component: "context")
        }
    }

    private func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return NSHomeDirectory() + String(path.dropFirst(1)) }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
    }
}
