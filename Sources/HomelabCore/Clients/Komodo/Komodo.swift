import Foundation

/// Komodo's models (`Komodo.Update`, `Komodo.StackListItem`, ...), named as its API names them
/// (moghtech/komodo v2.3, `client/core/rs/src/entities`).
///
/// Answers are decoded leniently: keys this SDK does not know are ignored, enum values it does not know are kept as
/// `.unknown(...)`, and most fields are optional because Komodo omits empty ones. Timestamps are Unix milliseconds,
/// as Komodo sends them; each model has a `Date` view. The client is ``KomodoClient``.
public enum Komodo {
    /// A Unix timestamp in milliseconds as a `Date` (`nil` for 0 and absent values, which Komodo uses for "never").
    static func date(_ milliseconds: Int64?) -> Date? {
        guard let milliseconds, milliseconds > 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }
}

extension Komodo {
    /// Which resource something refers to (`{"type": "Stack", "id": "..."}`).
    public struct ResourceTarget: Codable, Sendable, Hashable {
        /// `System`, `Server`, `Stack`, `Deployment`, `ResourceSync`, `Procedure`, ...
        public var type: String
        /// The resource's ID (empty for a sync diff that creates it).
        public var id: String

        /// A target.
        public init(type: String, id: String) {
            self.type = type
            self.id = id
        }
    }

    /// A Mongo ObjectId as Komodo serialises it (`{"$oid": "..."}`).
    struct MongoID: Codable, Sendable, Hashable {
        var oid: String

        enum CodingKeys: String, CodingKey { case oid = "$oid" }
    }

    /// `{error, trace}`: Komodo's error shape, also embedded in some answers (a server's `err`).
    public struct ServerError: Codable, Sendable, Hashable {
        /// The top message.
        public var error: String
        /// The causes, outermost first.
        public var trace: [String]?
    }

    /// One item of a `List*` answer: `ResourceListItem<Info>`.
    public struct ListItem<Info: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
        /// The resource's ID.
        public var id: String
        /// `Server`, `Stack`, ...
        public var type: String?
        /// Its name, unique among resources of its type.
        public var name: String
        /// Whether it is a template.
        public var template: Bool?
        /// Tag IDs.
        public var tags: [String]?
        /// What Komodo knows of its state.
        public var info: Info
    }

    /// A semantic version as Komodo sends it on updates (`{major, minor, patch}`).
    public struct Version: Codable, Sendable, Hashable, CustomStringConvertible {
        /// Major.
        public var major: Int
        /// Minor.
        public var minor: Int
        /// Patch.
        public var patch: Int

        /// `1.2.3`.
        public var description: String { "\(major).\(minor).\(patch)" }
    }
}

extension Komodo {
    /// A server's health (`ServerState`).
    public enum ServerState: LenientEnum {
        case ok, notOk, disabled
        case unknown(String)

        public static let knownCases: [ServerState] = [.ok, .notOk, .disabled]

        public var rawValue: String {
            switch self {
            case .ok: return "Ok"
            case .notOk: return "NotOk"
            case .disabled: return "Disabled"
            case .unknown(let value): return value
            }
        }
    }

    /// A stack's state (`StackState`, snake_case on the wire).
    public enum StackState: LenientEnum {
        case deploying, running, paused, stopped, created, restarting, dead, removing, unhealthy, down
        /// `unknown`: the server could not be reached for status.
        case unreachable
        case unknown(String)

        public static let knownCases: [StackState] = [
            .deploying, .running, .paused, .stopped, .created, .restarting, .dead, .removing, .unhealthy, .down, .unreachable,
        ]

        public var rawValue: String {
            switch self {
            case .deploying: return "deploying"
            case .running: return "running"
            case .paused: return "paused"
            case .stopped: return "stopped"
            case .created: return "created"
            case .restarting: return "restarting"
            case .dead: return "dead"
            case .removing: return "removing"
            case .unhealthy: return "unhealthy"
            case .down: return "down"
            case .unreachable: return "unknown"
            case .unknown(let value): return value
            }
        }
    }

    /// A deployment's state (`DeploymentState`, snake_case on the wire).
    public enum DeploymentState: LenientEnum {
        case deploying, running, created, restarting, stopping, removing, paused, exited, dead, unhealthy, notDeployed
        /// `unknown`: the server or swarm could not be reached for status.
        case unreachable
        case unknown(String)

        public static let knownCases: [DeploymentState] = [
            .deploying, .running, .created, .restarting, .stopping, .removing, .paused, .exited, .dead, .unhealthy, .notDeployed,
            .unreachable,
        ]

        public var rawValue: String {
            switch self {
            case .deploying: return "deploying"
            case .running: return "running"
            case .created: return "created"
            case .restarting: return "restarting"
            case .stopping: return "stopping"
            case .removing: return "removing"
            case .paused: return "paused"
            case .exited: return "exited"
            case .dead: return "dead"
            case .unhealthy: return "unhealthy"
            case .notDeployed: return "not_deployed"
            case .unreachable: return "unknown"
            case .unknown(let value): return value
            }
        }
    }

    /// A resource sync's state (`ResourceSyncState`).
    public enum SyncState: LenientEnum {
        case syncing, pending, ok, failed
        /// `Unknown`.
        case unreachable
        case unknown(String)

        public static let knownCases: [SyncState] = [.syncing, .pending, .ok, .failed, .unreachable]

        public var rawValue: String {
            switch self {
            case .syncing: return "Syncing"
            case .pending: return "Pending"
            case .ok: return "Ok"
            case .failed: return "Failed"
            case .unreachable: return "Unknown"
            case .unknown(let value): return value
            }
        }
    }

    /// An update's progress (`UpdateStatus`).
    public enum UpdateStatus: LenientEnum {
        case queued, inProgress, complete
        case unknown(String)

        public static let knownCases: [UpdateStatus] = [.queued, .inProgress, .complete]

        public var rawValue: String {
            switch self {
            case .queued: return "Queued"
            case .inProgress: return "InProgress"
            case .complete: return "Complete"
            case .unknown(let value): return value
            }
        }
    }
}
