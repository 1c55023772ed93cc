extension TrueNAS {
    /// An app (24.10+: Docker Compose; `app.query`).
    public struct App: Codable, Sendable, Hashable {
        /// Its name, also its id.
        public var name: String
        /// Its id.
        public var id: String?
        /// Its state.
        public var state: AppState
        /// Whether a newer catalog version exists.
        public var upgradeAvailable: Bool?
        /// The newest catalog version.
        public var latestVersion: String?
        /// The installed catalog version.
        public var version: String?
        /// The installed app's own version.
        public var humanVersion: String?
        /// Whether it is a custom compose app.
        public var customApp: Bool?
        /// Whether newer images exist for it.
        public var imageUpdatesAvailable: Bool?
    }

    /// An app's state.
    public enum AppState: LenientEnum {
        /// Running.
        case running
        /// Being deployed.
        case deploying
        /// Stopped.
        case stopped
        /// Being stopped.
        case stopping
        /// Its containers exited with errors.
        case crashed
        /// A value this SDK does not know.
        case unknown(String)

        /// Every known state.
        public static let knownCases: [AppState] = [.running, .deploying, .stopped, .stopping, .crashed]

        /// The wire spelling (`RUNNING`, ...).
        public var rawValue: String {
            switch self {
            case .running: return "RUNNING"
            case .deploying: return "DEPLOYING"
            case .stopped: return "STOPPED"
            case .stopping: return "STOPPING"
            case .crashed: return "CRASHED"
            case .unknown(let value): return value
            }
        }
    }
}
