import ArgumentParser
import Foundation
import HomelabCore

extension LiveNames {
    /// Stack names, live: Komodo's stacks that the inventory also has (the inventory's when Komodo is not in it or
    /// does not answer).
    public static let stacks = CompletionKind.custom { words, _, prefix in
        await matching(prefix) { try await stackNames(words: words) }
    }

    /// The stacks of the homelab the command line names (see ``stacks``), sorted.
    public static func stackNames(words: [String]) async throws -> [String] {
        try await HomelabContext.withConnections(configOptions(words: words)) { connections in
            await stackNames(connections)
        }
    }

    /// The stacks through `connections`: Komodo's that the inventory has, else the inventory's.
    public static func stackNames(_ connections: HomelabConnections) async -> [String] {
        let inventory = connections.homelab.stacks.map(\.name)
        if connections.homelab.components[.komodo] != nil, let komodo = try? await connections.komodo(),
            let live = try? await komodo.stacks.list()
        {
            let names = Set(live.map(\.name))
            return inventory.filter(names.contains).sorted()
        }
        return inventory.sorted()
    }
}
