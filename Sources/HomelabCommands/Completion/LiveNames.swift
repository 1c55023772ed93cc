import ArgumentParser
import Foundation
import HomelabCore

/// Completions of the homelab's live names, for `@Argument(completion:)` and `@Option(completion:)`: the shell asks
/// the `homelab` binary as Tab is pressed (`homelab ---completion ...`), which reads the inventory the command line's
/// `--config`/`--context` choose (the CLI's rules otherwise) and asks the homelab. A lookup that
/// fails or takes longer than ``deadline`` completes nothing: a completion never prints an error or hangs a shell.
public enum LiveNames {
    /// The longest a live lookup may take.
    public static let deadline: Duration = .seconds(2)

    /// Swarm service names (`stack_service`), live.
    public static let services = CompletionKind.custom { words, index, prefix in
        await matching(prefix) { try await swarmServices(words: words) }
    }

    /// Swarm node host names, live; the inventory's node names when the swarm does not answer.
    public static let nodes = CompletionKind.custom { words, index, prefix in
        await matching(prefix) { try await swarmNodes(words: words) }
    }

    /// Rollout IDs from the journal, newest first (no network).
    public static let rollouts = CompletionKind.custom { words, index, prefix in
        await matching(prefix) { try await rolloutIDs(resumable: false) }
    }

    /// IDs of rollouts that can be resumed (running or paused), newest first.
    public static let resumableRollouts = CompletionKind.custom { words, index, prefix in
        await matching(prefix) { try await rolloutIDs(resumable: true) }
    }

    /// The inventory's node names (no network): nodes not in the swarm yet, for `provision`.
    public static let inventoryNodes = CompletionKind.custom { words, index, prefix in
        await matching(prefix) { try inventory(words: words).nodes.map(\.name) }
    }

    /// The inventory's service names (no network).
    public static let inventoryServices = CompletionKind.custom { words, index, prefix in
        await matching(prefix) { try inventory(words: words).stacks.flatMap { $0.services.map(\.name) } }
    }

    /// The `--config PATH` / `--config=PATH` and `--context NAME` / `--context=NAME` of a command line; the rest of
    /// the rules (`$HOMELAB_CONTEXT`, `$HOMELAB_CONFIG`, the current context, ./homelab.yaml, XDG) are
    /// ``ConfigOptions/source(environment:)``'s, as for the command itself.
    public static func configOptions(words: [String]) -> ConfigOptions {
        func value(_ name: String) -> String? {
            for (i, word) in words.enumerated() {
                if word == name, i + 1 < words.count { return unquoted(words[i + 1]) }
                if word.hasPrefix(name + "=") { return unquoted(String(word.dropFirst(name.count + 1))) }
            }
            return nil
        }
        return ConfigOptions(config: value("--config"), context: value("--context"))
    }

    /// The live Swarm service names of the homelab the command line names.
    public static func swarmServices(words: [String]) async throws -> [String] {
        try await withSwarm(words: words) { swarm in try await swarm.services.summaries(status: false).compactMap(\.name).sorted() }
    }

    /// The live Swarm node names of the homelab the command line names.
    public static func swarmNodes(words: [String]) async throws -> [String] {
        let homelab = try inventory(words: words)
        do {
            return try await withSwarm(words: words) { swarm in try await swarm.nodes.list().map(\.nodeName).sorted() }
        } catch {
            return homelab.nodes.map(\.name)
        }
    }

    /// Rollout IDs in this user's journal, newest first; none when there is no journal yet (none is made).
    public static func rolloutIDs(resumable: Bool, environment: [String: String] = ProcessInfo.processInfo.environment)
        async throws -> [String]
    {
        let path = try StateStore.defaultPath(environment: environment)
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let runs = try await StateStore(path: path).rolloutJournal.runs()
        return runs.filter { !resumable || !$0.status.isFinal }.map(\.id)
    }

    private static func inventory(words: [String]) throws -> Homelab {
        try configOptions(words: words).loadInventory()
    }

    private static func withSwarm<T: Sendable>(words: [String], _ body: @Sendable (SwarmClient) async throws -> T) async throws -> T {
        try await HomelabContext.withConnections(configOptions(words: words)) { connections in try await body(try await connections.swarm()) }
    }

    /// The names `lookup` finds that start with `prefix`, or none when it fails or misses the deadline.
    static func matching(_ prefix: String, _ lookup: @escaping @Sendable () async throws -> [String]) async -> [String] {
        let names = await withTaskGroup(of: [String]?.self) { group in
            group.addTask { try? await lookup() }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? []
        }
        let wanted = unquoted(prefix)
        return names.filter { $0.hasPrefix(wanted) }
    }

    /// A shell word without the quotes around it (words reach completions verbatim).
    static func unquoted(_ word: String) -> String {
        guard word.count >= 2, let first = word.first, first == "\"" || first == "'", word.last == first else { return word }
        return String(word.dropFirst().dropLast())
    }
}
