import Foundation

/// Woodpecker CI's models, named as its API (`/api`, Swagger 2.0 from swag) names them: `Woodpecker.Repo`,
/// `Woodpecker.Pipeline`, `Woodpecker.Step`, `Woodpecker.LogEntry`, `Woodpecker.Agent`, `Woodpecker.QueueInfo`.
///
/// Times are Unix seconds (0 when not yet reached); the `Date` accessors turn 0 into `nil`. Fields a newer
/// server adds are ignored; statuses and events it adds are kept as `.unknown`.
public enum Woodpecker {
    /// A Unix time as a date; `nil` for 0 or absent.
    public static func date(_ seconds: Int64?) -> Date? {
        guard let seconds, seconds > 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// A pipeline's, workflow's or step's state (`StatusValue`).
    public enum Status: LenientEnum {
        case skipped, pending, running, success, failure, killed, canceled, error, blocked, declined, created
        case unknown(String)

        public static let knownCases: [Status] = [
            .skipped, .pending, .running, .success, .failure, .killed, .canceled, .error, .blocked, .declined, .created,
        ]

        public var rawValue: String {
            switch self {
            case .skipped: return "skipped"
            case .pending: return "pending"
            case .running: return "running"
            case .success: return "success"
            case .failure: return "failure"
            case .killed: return "killed"
            case .canceled: return "canceled"
            case .error: return "error"
            case .blocked: return "blocked"
            case .declined: return "declined"
            case .created: return "created"
            case .unknown(let value): return value
            }
        }

        /// Whether it will not change any more (success, failure, killed, canceled, error, declined, skipped).
        public var isFinished: Bool {
            [.success, .failure, .killed, .canceled, .error, .declined, .skipped].contains(self)
        }

        /// Whether it is waiting or under way (created, pending, running, blocked awaiting approval).
        public var isActive: Bool { [.created, .pending, .running, .blocked].contains(self) }

        /// Whether it ended badly (failure, error, killed).
        public var isFailure: Bool { [.failure, .error, .killed].contains(self) }
    }

    /// The server's `GET /version` answer (at the root, not under `/api`).
    public struct ServerVersion: Codable, Sendable, Hashable {
        /// `https://github.com/woodpecker-ci/woodpecker`.
        public var source: String?
        /// `3.8.0`, `next-abc1234`.
        public var version: String

        /// A version answer.
        public init(source: String? = nil, version: String) {
            self.source = source
            self.version = version
        }
    }

    /// The token's user (`User`).
    public struct User: Codable, Sendable, Hashable {
        public var id: Int64
        public var login: String
        public var email: String?
        public var avatarURL: String?
        public var admin: Bool?
        public var forgeID: Int64?
        public var forgeRemoteID: String?
        public var orgID: Int64?

        enum CodingKeys: String, CodingKey {
            case id, login, email, admin
            case avatarURL = "avatar_url"
            case forgeID = "forge_id"
            case forgeRemoteID = "forge_remote_id"
            case orgID = "org_id"
        }

        /// A user.
        public init(id: Int64, login: String, admin: Bool? = nil) {
            self.id = id
            self.login = login
            self.admin = admin
        }
    }

    /// A repository as Woodpecker knows it (`Repo`, and `RepoLastPipeline` with ``lastPipeline``); `id` is
    /// Woodpecker's own, `forgeRemoteID` the forge's.
    public struct Repo: Codable, Sendable, Hashable {
        public var id: Int64
        public var forgeRemoteID: String?
        public var owner: String?
        public var name: String?
        /// `owner/name`.
        public var fullName: String
        public var cloneURL: String?
        public var forgeURL: String?
        public var defaultBranch: String?
        public var active: Bool?
        public var `private`: Bool?
        public var visibility: String?
        /// `none`, `forks`, `pull_requests`, `all_events` (kept as sent).
        public var requireApproval: String?
        public var configFile: String?
        public var timeout: Int64?
        /// The newest pipeline, in `GET /user/repos` answers.
        public var lastPipeline: Pipeline?

        enum CodingKeys: String, CodingKey {
            case id, owner, name, active, `private`, visibility, timeout
            case forgeRemoteID = "forge_remote_id"
            case fullName = "full_name"
            case cloneURL = "clone_url"
            case forgeURL = "forge_url"
            case defaultBranch = "default_branch"
            case requireApproval = "require_approval"
            case configFile = "config_file"
            case lastPipeline = "last_pipeline"
        }

        /// A repository.
        public init(id: Int64, fullName: String, forgeRemoteID: String? = nil, active: Bool? = true) {
            self.id = id
            self.fullName = fullName
            self.forgeRemoteID = forgeRemoteID
            self.active = active
        }
    }
}
