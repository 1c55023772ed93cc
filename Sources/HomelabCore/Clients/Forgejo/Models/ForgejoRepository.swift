import Foundation

extension Forgejo {
    /// A repository (`Repository`).
    public struct Repository: Codable, Sendable, Hashable {
        public var id: Int64
        public var name: String
        /// `owner/name`.
        public var fullName: String
        public var owner: User?
        public var description: String?
        public var `private`: Bool?
        public var fork: Bool?
        public var mirror: Bool?
        public var archived: Bool?
        public var empty: Bool?
        public var template: Bool?
        public var defaultBranch: String?
        public var cloneURL: String?
        public var sshURL: String?
        public var htmlURL: String?
        public var size: Int64?
        public var starsCount: Int64?
        public var openIssuesCount: Int64?
        public var releaseCounter: Int64?
        public var hasPackages: Bool?
        /// RFC 3339.
        public var createdAt: String?
        /// RFC 3339.
        public var updatedAt: String?

        enum CodingKeys: String, CodingKey {
            case id, name, owner, description, `private`, fork, mirror, archived, empty, template, size
            case fullName = "full_name"
            case defaultBranch = "default_branch"
            case cloneURL = "clone_url"
            case sshURL = "ssh_url"
            case htmlURL = "html_url"
            case starsCount = "stars_count"
            case openIssuesCount = "open_issues_count"
            case releaseCounter = "release_counter"
            case hasPackages = "has_packages"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        /// A repository.
        public init(id: Int64, name: String, fullName: String, owner: User? = nil, defaultBranch: String? = "main") {
            self.id = id
            self.name = name
            self.fullName = fullName
            self.owner = owner
            self.defaultBranch = defaultBranch
        }

        /// The owner's login: from `owner`, or the part of `full_name` before the slash.
        public var ownerLogin: String { owner?.login ?? String(fullName.split(separator: "/").first ?? "") }
        /// When it last changed.
        public var updated: Date? { Forgejo.date(updatedAt) }
    }

    /// `CreateRepoOption` for `POST /user/repos` and `POST /orgs/{org}/repos`.
    public struct CreateRepository: Encodable, Sendable, Hashable {
        public var name: String
        public var description: String?
        public var `private`: Bool?
        public var autoInit: Bool?
        public var defaultBranch: String?
        public var template: Bool?

        enum CodingKeys: String, CodingKey {
            case name, description, `private`, template
            case autoInit = "auto_init"
            case defaultBranch = "default_branch"
        }

        /// A repository to create; `autoInit` makes a first commit so that it is not empty.
        public init(name: String, description: String? = nil, private: Bool? = nil, autoInit: Bool? = nil, defaultBranch: String? = nil) {
            self.name = name
            self.description = description
            self.private = `private`
            self.autoInit = autoInit
            self.defaultBranch = defaultBranch
        }
    }

    /// A file or directory entry at a ref (`ContentsResponse`); a file's `content` is base64.
    public struct Contents: Codable, Sendable, Hashable {
        public var name: String
        public var path: String
        public var sha: String
        /// `file`, `dir`, `symlink` or `submodule`.
        public var type: String
        public var size: Int64?
        public var encoding: String?
        public var content: String?
        public var lastCommitSHA: String?
        /// RFC 3339 (Forgejo 10 and later).
        public var lastCommitWhen: String?
        public var downloadURL: String?

        enum CodingKeys: String, CodingKey {
            case name, path, sha, type, size, encoding, content
            case lastCommitSHA = "last_commit_sha"
            case lastCommitWhen = "last_commit_when"
            case downloadURL = "download_url"
        }

        /// An entry.
        public init(name: String, path: String, sha: String, type: String = "file", content: String? = nil) {
            self.name = name
            self.path = path
            self.sha = sha
            self.type = type
            self.content = content
            encoding = content == nil ? nil : "base64"
        }

        /// The file's bytes, decoded from base64 (line breaks allowed); `nil` for a directory or without content.
        public var data: Data? {
            guard let content, encoding == nil || encoding == "base64" else { return nil }
            return Data(base64Encoded: content.filter { !$0.isWhitespace })
        }

        /// The file as UTF-8 text, when it is.
        public var text: String? { data.flatMap { String(data: $0, encoding: .utf8) } }
    }
}
