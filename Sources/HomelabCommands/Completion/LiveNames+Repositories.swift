import ArgumentParser
import Foundation
import HomelabCore

extension LiveNames {
    /// Repository names (`OWNER/NAME`), live: Forgejo's and Woodpecker's, whichever the inventory has.
    public static let repositories = CompletionKind.custom { words, _, prefix in
        await matching(prefix) { try await repositoryNames(words: words) }
    }

    /// The repositories of the homelab the command line names: every repository Forgejo shows the token, and
    /// those Woodpecker builds.
    public static func repositoryNames(words: [String]) async throws -> [String] {
        try await HomelabContext.withConnections(configOptions(words: words)) { connections in
            await repositoryNames(connections)
        }
    }

    /// The repositories Forgejo and Woodpecker know, through `connections` (a component missing or failing gives
    /// none), sorted, without duplicates.
    public static func repositoryNames(_ connections: HomelabConnections) async -> [String] {
        var names: Set<String> = []
        if connections.homelab.components[.forgejo] != nil, let forgejo = try? await connections.forgejo(),
            let repositories = try? await forgejo.repositories.search().collect()
        {
            names.formUnion(repositories.map(\.fullName))
        }
        if connections.homelab.components[.woodpecker] != nil, let woodpecker = try? await connections.woodpecker(),
            let repos = try? await woodpecker.repos.mine()
        {
            names.formUnion(repos.map(\.fullName))
        }
        return names.sorted()
    }
}
