import ArgumentParser
import Foundation
import HomelabCore

/// `homelab git`: the homelab's Forgejo: repositories, webhooks, releases, packages (the container registry) and
/// commits (those touching a path: a stack file's history). Every listing takes `-o table|wide|json|yaml` and
/// `-q`; the rows in `ForgejoRows.swift` are the JSON shapes.
struct ForgejoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git",
        abstract: "Forgejo: repositories, webhooks, releases, packages, commits.",
        subcommands: [Repos.self, Hooks.self, Releases.self, Packages.self, Commits.self])

    /// Opens the inventory's Forgejo and runs `body` with its client.
    static func with<T: Sendable>(_ config: ConfigOptions, _ body: (ForgejoClient) async throws -> T) async throws -> T {
        try await HomelabContext.withConnections(config) { connections in
            try await body(try await connections.forgejo())
        }
    }

    /// `OWNER/NAME` checked.
    static func repository(_ text: String) throws -> Forgejo.RepositoryName {
        do {
            return try Forgejo.RepositoryName(parsing: text)
        } catch {
            throw ValidationError("'\(text)' is not a repository's OWNER/NAME")
        }
    }
}

extension ForgejoCommand {
    struct Repos: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repos",
            abstract: "Repositories the token sees (every one, an organisation's with --org, or matching --search).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "Only this organisation's repositories.") var org: String?
        @Option(name: .long, help: "Only repositories whose name contains this.") var search: String?

        func run() async throws {
            let (org, search) = (self.org, self.search)
            let repositories = try await ForgejoCommand.with(config) { forgejo in
                if let org { return try await forgejo.repositories.of(organization: org).collect() }
                return try await forgejo.repositories.search(search ?? "").collect()
            }
            let rows = repositories.map(ForgejoRepositoryRow.init).sorted { $0.full_name < $1.full_name }
            try output.list(rows, table: ForgejoRepositoryRow.table, id: \.full_name)
        }
    }

    struct Hooks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hooks", abstract: "Webhooks of a repository (the Woodpecker hook among them).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The repository, OWNER/NAME.", completion: LiveNames.repositories) var repository: String

        func run() async throws {
            let name = try ForgejoCommand.repository(repository)
            let hooks = try await ForgejoCommand.with(config) { try await $0.hooks.list(name).collect() }
            try output.list(hooks.map(ForgejoHookRow.init), table: ForgejoHookRow.table, id: { String($0.id) })
        }
    }

    struct Releases: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "releases", abstract: "Releases of a repository, newest first.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The repository, OWNER/NAME.", completion: LiveNames.repositories) var repository: String

        func run() async throws {
            let name = try ForgejoCommand.repository(repository)
            let releases = try await ForgejoCommand.with(config) { try await $0.releases.list(name).collect() }
            try output.list(releases.map(ForgejoReleaseRow.init), table: ForgejoReleaseRow.table, id: \.tag)
        }
    }

    struct Packages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "packages",
            abstract: "Package versions of a user or organisation (container images by default).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The owner (user or organisation).") var owner: String
        @Option(name: .long, help: "Package type: container (default), generic, npm, pypi, ... or all.") var type = "container"

        func run() async throws {
            let (owner, type) = (self.owner, self.type)
            let packages = try await ForgejoCommand.with(config) { forgejo in
                try await forgejo.packages.list(owner: owner, type: type == "all" ? nil : type).collect()
            }
            let rows = packages.map(ForgejoPackageRow.init).sorted { ($0.name, $1.created_at ?? .distantPast) < ($1.name, $0.created_at ?? .distantPast) }
            try output.list(rows, table: ForgejoPackageRow.table, id: { "\($0.name):\($0.version)" })
        }
    }

    struct Commits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "commits",
            abstract: "Commits of a repository, newest first; with --path only those touching it (a stack file).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The repository, OWNER/NAME.", completion: LiveNames.repositories) var repository: String
        @Option(name: .long, help: "Only commits touching this file or directory.") var path: String?
        @Option(name: .long, help: "A branch, tag or sha (default: the default branch).") var ref: String?
        @Option(name: .long, help: "At most this many commits.") var limit = 20

        func run() async throws {
            let name = try ForgejoCommand.repository(repository)
            let (path, ref, limit) = (self.path, self.ref, Swift.max(1, self.limit))
            let commits = try await ForgejoCommand.with(config) { forgejo in
                var client = forgejo
                client.pageSize = Swift.min(limit, ForgejoClient.maxPageSize)
                var found: [Forgejo.Commit] = []
                for try await commit in try client.commits.list(name, ref: ref, path: path) {
                    found.append(commit)
                    if found.count >= limit { break }
                }
                return found
            }
            try output.list(commits.map(ForgejoCommitRow.init), table: ForgejoCommitRow.table, id: \.sha)
        }
    }
}
