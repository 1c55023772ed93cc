import Foundation
import HomelabCore

/// The simulated Forgejo's state: users, organisations, repositories with their git history, webhooks, releases,
/// packages and OAuth2 applications. Answers are JSON in the shapes of Forgejo's swagger (`/api/v1`).
///
/// Seeded with the homelab's own forge: the admin `ops` (whose token the written inventory uses), a reader
/// without admin rights, the organisations `homelab` and `mirrors` (the latter empty), the stack repository
/// `homelab/stacks` (``StacksRepositoryHistory``) with Woodpecker's webhook, `homelab/exporter-image` with
/// releases and container images, `homelab/infra`, the empty `homelab/scratch`, `ops/dotfiles`, and the OAuth2
/// application Woodpecker logs in with.
public actor ForgejoWorld {
    /// The admin's personal access token (user `ops`).
    public nonisolated let adminToken: String
    /// A token of `reader`, who is no admin.
    public nonisolated let readerToken: String
    /// What `GET /version` answers (Forgejo appends the Gitea version it is compatible with).
    public private(set) var version = "11.0.1+gitea-1.22.0"
    /// The public URL the forge believes it has (in `html_url`, `clone_url`).
    nonisolated let appURL = "https://git.home.arpa/"

    struct UserRecord {
        var id: Int64
        var login: String
        var fullName: String
        var email: String
        var isAdmin: Bool
        var created: Date
        var organizations: [String] = []
    }

    struct OrganizationRecord {
        var id: Int64
        var name: String
        var fullName: String
        var description: String
        var visibility: String
    }

    struct RepositoryRecord {
        var id: Int64
        var owner: String
        var name: String
        var description: String
        var isPrivate: Bool
        var defaultBranch: String
        var created: Date
        /// Oldest first.
        var commits: [StacksRepositoryHistory.Commit]
        /// Branch → index of its head in `commits`.
        var branches: [String: Int]
        var hooks: [HookRecord] = []
        var releases: [ReleaseRecord] = []

        var fullName: String { "\(owner)/\(name)" }
        var isEmpty: Bool { commits.isEmpty }
        var updated: Date { commits.last?.date ?? created }
    }

    struct HookRecord {
        var id: Int64
        var type: String
        var config: [String: String]
        var events: [String]
        var active: Bool
        var branchFilter: String
        var created: Date
    }

    struct ReleaseRecord {
        var id: Int64
        var tag: String
        var name: String
        var body: String
        var draft: Bool
        var prerelease: Bool
        var target: String
        var created: Date
        var author: String
    }

    struct PackageRecord {
        var id: Int64
        var owner: String
        var type: String
        var name: String
        var version: String
        var created: Date
        var repository: String?
        var creator: String
    }

    struct ApplicationRecord {
        var id: Int64
        var owner: String
        var name: String
        var clientID: String
        var redirectURIs: [String]
        var confidential: Bool
        var created: Date
    }

    var users: [UserRecord] = []
    var organizations: [OrganizationRecord] = []
    var repositories: [RepositoryRecord] = []
    var packages: [PackageRecord] = []
    var applications: [ApplicationRecord] = []
    var nextID: Int64 = 100

    /// The forge for `homelab`, with `history` as `homelab/stacks`.
    init(homelab: Homelab, history: StacksRepositoryHistory, now: Date = Date()) {
        adminToken = "fj_" + Self.randomHex(20)
        readerToken = "fj_" + Self.randomHex(20)
        let day: TimeInterval = 86_400
        let founded = now.addingTimeInterval(-400 * day)
        users = [
            UserRecord(id: 1, login: "ops", fullName: "Homelab Operator", email: "ops@home.arpa", isAdmin: true, created: founded,
                       organizations: ["homelab", "mirrors"]),
            UserRecord(id: 2, login: "renovate", fullName: "Renovate Bot", email: "renovate@home.arpa", isAdmin: false,
                       created: founded.addingTimeInterval(day), organizations: ["homelab"]),
            UserRecord(id: 3, login: "woodpecker", fullName: "Woodpecker CI", email: "ci@home.arpa", isAdmin: false,
                       created: founded.addingTimeInterval(2 * day), organizations: ["homelab"]),
            UserRecord(id: 4, login: "reader", fullName: "Read Only", email: "reader@home.arpa", isAdmin: false,
                       created: founded.addingTimeInterval(3 * day)),
        ]
        organizations = [
            OrganizationRecord(id: 10, name: "homelab", fullName: "Homelab", description: "The homelab's stacks, images and infrastructure", visibility: "private"),
            OrganizationRecord(id: 11, name: "mirrors", fullName: "Mirrors", description: "Upstream mirrors (none yet)", visibility: "public"),
        ]
        let stacks = RepositoryRecord(
            id: 20, owner: "homelab", name: "stacks", description: "Compose files of every stack; Komodo deploys them",
            isPrivate: true, defaultBranch: "main", created: history.commits.first?.date ?? founded, commits: history.commits,
            branches: ["main": history.commits.count - 1])
        var withHook = stacks
        withHook.hooks = [HookRecord(
            id: 1, type: "forgejo",
            config: ["url": "https://ci.home.arpa/api/hook?access_token=" + Self.randomHex(16), "content_type": "json", "http_method": "post"],
            events: ["push", "create", "pull_request", "release"], active: true, branchFilter: "*", created: stacks.created)]
        if history.commits.count > 2 { withHook.branches["renovate/updates"] = history.commits.count - 2 }
        repositories.append(withHook)

        let imageCommits = Self.smallHistory(
            ["Dockerfile": "FROM alpine:3.20\nCOPY homelab-exporter /usr/local/bin/\n", "README.md": "# exporter image\n"],
            messages: ["Add the exporter image", "Pin alpine 3.20", "Build for arm64 too"], start: now.addingTimeInterval(-60 * day), step: 10 * day)
        var image = RepositoryRecord(
            id: 21, owner: "homelab", name: "exporter-image", description: "Container image of homelab-exporter", isPrivate: false,
            defaultBranch: "main", created: now.addingTimeInterval(-60 * day), commits: imageCommits, branches: ["main": imageCommits.count - 1])
        image.releases = [
            ReleaseRecord(id: 1, tag: "v1.0.0", name: "1.0.0", body: "First image", draft: false, prerelease: false, target: "main",
                          created: now.addingTimeInterval(-50 * day), author: "ops"),
            ReleaseRecord(id: 2, tag: "v1.1.0", name: "1.1.0", body: "arm64 images", draft: false, prerelease: false, target: "main",
                          created: now.addingTimeInterval(-30 * day), author: "ops"),
            ReleaseRecord(id: 3, tag: "v1.2.0-rc1", name: "1.2.0 release candidate", body: "", draft: false, prerelease: true, target: "main",
                          created: now.addingTimeInterval(-2 * day), author: "ops"),
        ]
        image.hooks = [HookRecord(
            id: 2, type: "forgejo",
            config: ["url": "https://ci.home.arpa/api/hook?access_token=" + Self.randomHex(16), "content_type": "json", "http_method": "post"],
            events: ["push", "create", "pull_request", "release"], active: true, branchFilter: "*", created: image.created)]
        repositories.append(image)

        let infraCommits = Self.smallHistory(
            ["hosts.yaml": "nodes: [barbary, ching, angre, lorcha, dhow]\n", "harden.sh": "#!/bin/sh\nset -eu\n"],
            messages: ["Inventory of the nodes", "Hardening script"], start: now.addingTimeInterval(-200 * day), step: 20 * day)
        repositories.append(RepositoryRecord(
            id: 22, owner: "homelab", name: "infra", description: "Node provisioning and hardening", isPrivate: true, defaultBranch: "main",
            created: now.addingTimeInterval(-200 * day), commits: infraCommits, branches: ["main": infraCommits.count - 1]))
        repositories.append(RepositoryRecord(
            id: 23, owner: "homelab", name: "scratch", description: "", isPrivate: false, defaultBranch: "main",
            created: now.addingTimeInterval(-day), commits: [], branches: [:]))
        let dotfiles = Self.smallHistory(
            [".bashrc": "export EDITOR=vi\n"], messages: ["dotfiles"], start: now.addingTimeInterval(-300 * day), step: day)
        repositories.append(RepositoryRecord(
            id: 24, owner: "ops", name: "dotfiles", description: "My dotfiles", isPrivate: false, defaultBranch: "main",
            created: now.addingTimeInterval(-300 * day), commits: dotfiles, branches: ["main": 0]))

        packages = [
            PackageRecord(id: 1, owner: "homelab", type: "container", name: "homelab-exporter", version: "1.0.0",
                          created: now.addingTimeInterval(-50 * day), repository: "exporter-image", creator: "woodpecker"),
            PackageRecord(id: 2, owner: "homelab", type: "container", name: "homelab-exporter", version: "1.1.0",
                          created: now.addingTimeInterval(-30 * day), repository: "exporter-image", creator: "woodpecker"),
            PackageRecord(id: 3, owner: "homelab", type: "container", name: "homelab-exporter", version: "latest",
                          created: now.addingTimeInterval(-30 * day), repository: "exporter-image", creator: "woodpecker"),
            PackageRecord(id: 4, owner: "homelab", type: "generic", name: "stack-lint", version: "0.3.0",
                          created: now.addingTimeInterval(-90 * day), repository: nil, creator: "ops"),
        ]
        applications = [ApplicationRecord(
            id: 1, owner: "ops", name: "Woodpecker CI", clientID: UUID().uuidString.lowercased(),
            redirectURIs: ["https://ci.home.arpa/authorize"], confidential: true, created: now.addingTimeInterval(-200 * day))]
        _ = homelab
    }

    /// Makes the server report `version` (tests: non-semver strings).
    public func setVersion(_ version: String) { self.version = version }

    /// The login a token belongs to.
    func login(forToken token: String) -> String? {
        if token == adminToken { return "ops" }
        if token == readerToken { return "reader" }
        return nil
    }

    func user(_ login: String) -> UserRecord? { users.first { $0.login == login } }

    func takeID() -> Int64 {
        nextID += 1
        return nextID
    }

    static func smallHistory(
        _ files: [String: String], messages: [String], start: Date, step: TimeInterval
    ) -> [StacksRepositoryHistory.Commit] {
        var commits: [StacksRepositoryHistory.Commit] = []
        var parent = ""
        for (index, message) in messages.enumerated() {
            let changes = index == 0 ? files : ["CHANGELOG.md": messages.prefix(index + 1).joined(separator: "\n") + "\n"]
            let sha = StacksRepositoryHistory.digest(parent + message)
            commits.append(.init(
                sha: sha, message: message, author: "ops", email: "ops@home.arpa", date: start.addingTimeInterval(Double(index) * step),
                changes: changes))
            parent = sha
        }
        return commits
    }

    static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
