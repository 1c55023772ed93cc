import Foundation

extension TrueNAS {
    /// A middleware job (`core.get_jobs`): a long operation with progress and a result or an error.
    public struct Job: Codable, Sendable, Hashable {
        /// The job's id.
        public var id: Int
        /// The method that started it (`pool.scrub.run`).
        public var method: String?
        /// Its state.
        public var state: JobState
        /// Its progress.
        public var progress: Progress?
        /// Its result, once it succeeded.
        public var result: JSONValue?
        /// Its error, once it failed.
        public var error: String?
        /// The traceback, once it failed.
        public var exception: String?
        /// When it started (ejson date).
        public var timeStarted: JSONValue?
        /// When it finished (ejson date).
        public var timeFinished: JSONValue?

        /// The last line of the traceback (`CallError: [ENOENT] ...`), what a person needs from it.
        public var tracebackSummary: String? {
            exception?.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty }
        }
    }

    /// A job's progress.
    public struct Progress: Codable, Sendable, Hashable {
        /// Percent done.
        public var percent: Double?
        /// What it is doing.
        public var description: String?
    }

    /// A job's state.
    public enum JobState: LenientEnum {
        /// Queued.
        case waiting
        /// Running.
        case running
        /// Finished with a result.
        case success
        /// Finished with an error.
        case failed
        /// Aborted.
        case aborted
        /// A value this SDK does not know.
        case unknown(String)

        /// Every known state.
        public static let knownCases: [JobState] = [.waiting, .running, .success, .failed, .aborted]

        /// The wire spelling (`RUNNING`, ...).
        public var rawValue: String {
            switch self {
            case .waiting: return "WAITING"
            case .running: return "RUNNING"
            case .success: return "SUCCESS"
            case .failed: return "FAILED"
            case .aborted: return "ABORTED"
            case .unknown(let value): return value
            }
        }

        /// Whether the job has ended.
        public var isFinished: Bool { self == .success || self == .failed || self == .aborted }
    }
}
