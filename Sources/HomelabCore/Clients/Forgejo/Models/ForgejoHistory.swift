import Foundation

extension Forgejo {
    /// A commit in a listing (`Commit`): the sha, the git commit (message, author and committer with their dates)
    /// and, when asked for, the files it touched.
    public struct Commit: Codable, Sendable, Hashable {
        public var sha: String
        public var url: String?
        public var htmlURL: String?
        /// RFC 3339: when the commit was made.
        public var created: String?
        public var commit: RepoCommit?
        /// The Forgejo account of the author, when the email matches one.
        public var author: User?
        public var files: [AffectedFile]?

        enum CodingKeys: String, CodingKey {
            case sha, url, created, commit, author, files
            case htmlURL = "html_url"
        }

        /// A commit.
        public init(sha: String, commit: RepoCommit?, created: String? = nil, files: [AffectedFile]? = nil) {
            self.sha = sha
            self.commit = commit
            self.created = created
            self.files = files
        }

        /// The first line of the message.
        public var title: String { commit?.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? "" }
        /// When it was committed (the committer's date, else `created`, else the author's).
        public var date: Date? {
            Forgejo.date(commit?.committer?.date) ?? Forgejo.date(created) ?? Forgejo.date(commit?.author?.date)
        }
        /// The short sha (10 characters, as Forgejo shows it).
        public var shortSHA: String { String(sha.prefix(10)) }
    }

    /// The git part of a commit (`RepoCommit`).
    public struct RepoCommit: Codable, Sendable, Hashable {
        public var message: String
        public var author: CommitUser?
        public var committer: CommitUser?

        /// A git commit.
        public init(message: String, author: CommitUser?, committer: CommitUser?) {
            self.message = message
            self.author = author
            self.committer = committer
        }
    }

    /// A commit's author or committer (`CommitUser`); `date` is RFC 3339.
    public struct CommitUser: Codable, Sendable, Hashable {
        public var name: String
        public var email: String?
        public var date: String?

        /// A signature.
        public init(name: String, email: String? = nil, date: String? = nil) {
            self.name = name
            self.email = email
            self.date = date
        }
    }

    /// A file a commit touched (`CommitAffectedFiles`): `added`, `modified`, `removed`, ...
    public struct AffectedFile: Codable, Sendable, Hashable {
        public var filename: String
        public var status: String?

        /// A touched file.
        public init(filename: String, status: String? = nil) {
            self.filename = filename
            self.status = status
        }
    }

    /// A branch (`Branch`) with its head commit.
    public struct Branch: Codable, Sendable, Hashable {
        public var name: String
        public var commit: PayloadCommit?
        public var protected: Bool?

        /// A branch.
        public init(name: String, commit: PayloadCommit?, protected: Bool? = false) {
            self.name = name
            self.commit = commit
            self.protected = protected
        }
    }

    /// A branch's head (`PayloadCommit`): `id` is the sha, `timestamp` RFC 3339.
    public struct PayloadCommit: Codable, Sendable, Hashable {
        public var id: String
        public var message: String?
        public var timestamp: String?
        public var url: String?

        /// A head commit.
        public init(id: String, message: String? = nil, timestamp: String? = nil, url: String? = nil) {
            self.id = id
            self.message = message
            self.timestamp = timestamp
            self.url = url
        }
    }

    /// A release (`Release`) with its assets.
    public struct Release: Codable, Sendable, Hashable {
        public var id: Int64
        public var tagName: String
        public var name: String?
        public var body: String?
        public var draft: Bool?
        public var prerelease: Bool?
        public var targetCommitish: String?
        /// RFC 3339.
        public var createdAt: String?
        /// RFC 3339.
        public var publishedAt: String?
        public var author: User?
        public var assets: [Attachment]?

        enum CodingKeys: String, CodingKey {
            case id, name, body, draft, prerelease, author, assets
            case tagName = "tag_name"
            case targetCommitish = "target_commitish"
            case createdAt = "created_at"
            case publishedAt = "published_at"
        }

        /// A release.
        public init(id: Int64, tagName: String, name: String? = nil, draft: Bool? = false, prerelease: Bool? = false) {
            self.id = id
            self.tagName = tagName
            self.name = name
            self.draft = draft
            self.prerelease = prerelease
        }

        /// When it was published (else created).
        public var published: Date? { Forgejo.date(publishedAt) ?? Forgejo.date(createdAt) }
    }

    /// A release asset (`Attachment`).
    public struct Attachment: Codable, Sendable, Hashable {
        public var id: Int64
        public var name: String
        public var size: Int64?
        public var downloadCount: Int64?
        public var browserDownloadURL: String?

        enum CodingKeys: String, CodingKey {
            case id, name, size
            case downloadCount = "download_count"
            case browserDownloadURL = "browser_download_url"
        }
    }

    /// A package version in the registries (`Package`): for containers, `name` is the image and `version` its tag.
    public struct Package: Codable, Sendable, Hashable {
        public var id: Int64
        /// `container`, `generic`, `npm`, `pypi`, ... (kept as sent).
        public var type: String
        public var name: String
        public var version: String
        public var owner: User?
        public var creator: User?
        public var repository: Repository?
        public var htmlURL: String?
        /// RFC 3339.
        public var createdAt: String?

        enum CodingKeys: String, CodingKey {
            case id, type, name, version, owner, creator, repository
            case htmlURL = "html_url"
            case createdAt = "created_at"
        }

        /// A package version.
        public init(id: Int64, type: String, name: String, version: String, owner: User? = nil) {
            self.id = id
            self.type = type
            self.name = name
            self.version = version
            self.owner = owner
        }

        /// When it was pushed.
        public var created: Date? { Forgejo.date(createdAt) }
    }

    /// A webhook (`Hook`): its target is `config["url"]`.
    public struct Hook: Codable, Sendable, Hashable {
        public var id: Int64
        /// `forgejo`, `gitea`, `slack`, ...
        public var type: String
        public var active: Bool?
        public var events: [String]?
        /// `url`, `content_type`, `http_method`; the `secret` is never sent back.
        public var config: [String: String]?
        public var branchFilter: String?
        /// RFC 3339.
        public var createdAt: String?
        /// RFC 3339.
        public var updatedAt: String?

        enum CodingKeys: String, CodingKey {
            case id, type, active, events, config
            case branchFilter = "branch_filter"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        /// A hook.
        public init(id: Int64, type: String, url: String, events: [String], active: Bool = true) {
            self.id = id
            self.type = type
            self.active = active
            self.events = events
            config = ["url": url, "content_type": "json"]
        }

        /// Where deliveries go, with any `access_token` query value masked.
        public var targetURL: String? { config?["url"].map(Redaction.redactURL) }
    }

    /// `CreateHookOption` for `POST /repos/{owner}/{repo}/hooks`. The `secret` (and an `access_token` in the URL)
    /// are secrets: ``description`` never shows them.
    public struct CreateHook: Encodable, Sendable, Hashable, CustomStringConvertible {
        public var type: String
        public var config: [String: String]
        public var events: [String]
        public var active: Bool
        public var branchFilter: String?

        enum CodingKeys: String, CodingKey {
            case type, config, events, active
            case branchFilter = "branch_filter"
        }

        /// A hook of `type` posting JSON to `url` for `events`.
        public init(type: String = "forgejo", url: String, secret: Secret? = nil, events: [String], active: Bool = true, branchFilter: String? = nil) {
            self.type = type
            var config = ["url": url, "content_type": "json", "http_method": "post"]
            if let secret { config["secret"] = secret.reveal() }
            self.config = config
            self.events = events
            self.active = active
            self.branchFilter = branchFilter
        }

        /// The hook Woodpecker makes when it activates a repository: `forgejo` type, JSON, to
        /// `WOODPECKER_HOST/api/hook?access_token=...` with the repository's hash as secret, for push, create
        /// (tags), pull requests and releases.
        public static func woodpecker(server: String, accessToken: Secret, secret: Secret) -> CreateHook {
            let base = server.hasSuffix("/") ? String(server.dropLast()) : server
            return CreateHook(
                url: base + "/api/hook?access_token=" + accessToken.reveal(), secret: secret,
                events: ["push", "create", "pull_request", "release"])
        }

        public var description: String {
            "\(type) hook to \(Redaction.redactURL(config["url"] ?? "?")) for \(events.joined(separator: ","))"
        }
    }
}
