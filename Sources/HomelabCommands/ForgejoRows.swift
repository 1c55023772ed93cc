import Foundation
import HomelabCore

/// One repository in `homelab git repos -o json`.
struct ForgejoRepositoryRow: Encodable, Sendable {
    var full_name: String
    var `private`: Bool
    var empty: Bool
    var default_branch: String?
    var releases: Int64
    var updated_at: Date?
    var description: String
    var clone_url: String?

    init(_ repository: Forgejo.Repository) {
        full_name = repository.fullName
        `private` = repository.private ?? false
        empty = repository.empty ?? false
        default_branch = repository.defaultBranch
        releases = repository.releaseCounter ?? 0
        updated_at = repository.updated
        description = repository.description ?? ""
        clone_url = repository.cloneURL
    }

    static let table = Table<ForgejoRepositoryRow>([
        .init("REPOSITORY") { .text($0.full_name) },
        .init("VISIBILITY") { .text($0.private ? "private" : "public") },
        .init("BRANCH") { .text($0.empty ? "(empty)" : $0.default_branch ?? "-") },
        .init("RELEASES") { .text(String($0.releases)) },
        .init("UPDATED") { .time($0.updated_at) },
        .init("DESCRIPTION") { .text($0.description) },
        .init("CLONE", wide: true) { .text($0.clone_url ?? "-") },
    ])
}

/// One webhook in `homelab git hooks REPO -o json` (the URL with any access token masked).
struct ForgejoHookRow: Encodable, Sendable {
    var id: Int64
    var type: String
    var url: String
    var events: [String]
    var active: Bool
    var branch_filter: String?

    init(_ hook: Forgejo.Hook) {
        id = hook.id
        type = hook.type
        url = hook.targetURL ?? "-"
        events = hook.events ?? []
        active = hook.active ?? false
        branch_filter = hook.branchFilter
    }

    static let table = Table<ForgejoHookRow>([
        .init("ID") { .text(String($0.id)) },
        .init("TYPE") { .text($0.type) },
        .init("ACTIVE") { .state($0.active ? "yes" : "no", $0.active ? .good : .warning) },
        .init("EVENTS") { .text($0.events.joined(separator: ",")) },
        .init("URL") { .text($0.url) },
        .init("BRANCHES", wide: true) { .text($0.branch_filter ?? "*") },
    ])
}

/// One release in `homelab git releases REPO -o json`.
struct ForgejoReleaseRow: Encodable, Sendable {
    var tag: String
    var name: String
    var draft: Bool
    var prerelease: Bool
    var published_at: Date?
    var target: String?
    var assets: Int

    init(_ release: Forgejo.Release) {
        tag = release.tagName
        name = release.name ?? ""
        draft = release.draft ?? false
        prerelease = release.prerelease ?? false
        published_at = release.published
        target = release.targetCommitish
        assets = release.assets?.count ?? 0
    }

    static let table = Table<ForgejoReleaseRow>([
        .init("TAG") { .text($0.tag) },
        .init("NAME") { .text($0.name) },
        .init("KIND") { .state($0.draft ? "draft" : $0.prerelease ? "pre-release" : "release", $0.draft || $0.prerelease ? .warning : .good) },
        .init("PUBLISHED") { .time($0.published_at) },
        .init("ASSETS", wide: true) { .text(String($0.assets)) },
        .init("TARGET", wide: true) { .text($0.target ?? "-") },
    ])
}

/// One package version in `homelab git packages OWNER -o json` (for containers: `name` is the image, `version`
/// its tag).
struct ForgejoPackageRow: Encodable, Sendable {
    var type: String
    var name: String
    var version: String
    var repository: String?
    var created_at: Date?
    var creator: String?

    init(_ package: Forgejo.Package) {
        type = package.type
        name = package.name
        version = package.version
        repository = package.repository?.fullName
        created_at = package.created
        creator = package.creator?.login
    }

    static let table = Table<ForgejoPackageRow>([
        .init("TYPE") { .text($0.type) },
        .init("NAME") { .text($0.name) },
        .init("VERSION") { .text($0.version) },
        .init("REPOSITORY") { .text($0.repository ?? "-") },
        .init("PUSHED") { .time($0.created_at) },
        .init("BY", wide: true) { .text($0.creator ?? "-") },
    ])
}

/// One commit in `homelab git commits REPO -o json`.
struct ForgejoCommitRow: Encodable, Sendable {
    var sha: String
    var title: String
    var author: String?
    var committed_at: Date?

    init(_ commit: Forgejo.Commit) {
        sha = commit.sha
        title = commit.title
        author = commit.commit?.author?.name
        committed_at = commit.date
    }

    static let table = Table<ForgejoCommitRow>([
        .init("COMMIT") { .text(String($0.sha.prefix(10))) },
        .init("WHEN") { .time($0.committed_at) },
        .init("AUTHOR") { .text($0.author ?? "-") },
        .init("TITLE") { .text($0.title) },
        .init("SHA", wide: true) { .text($0.sha) },
    ])
}
