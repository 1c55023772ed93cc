import Foundation

extension TrueNAS {
    /// An alert (`alert.list`).
    public struct Alert: Codable, Sendable, Hashable {
        /// Its id, for ``TrueNASClient/Alerts/dismiss(_:logger:)``.
        public var uuid: String
        /// The alert source.
        public var source: String?
        /// The alert class (`ZpoolCapacityWarning`, ...).
        public var klass: String?
        /// Its level.
        public var level: AlertLevel
        /// The text with its arguments filled in.
        public var formatted: String?
        /// The text template.
        public var text: String?
        /// Whether someone dismissed it.
        public var dismissed: Bool?
        /// When it was raised (ejson date).
        public var datetime: JSONValue?
        /// Which controller raised it (HA).
        public var node: String?
        /// Whether it goes away once read.
        public var oneShot: Bool?

        /// When it was raised, if known.
        public var raisedAt: Date? { TrueNASJSON.date(datetime) }
    }

    /// How bad an alert is, from `INFO` up to `EMERGENCY`.
    public enum AlertLevel: LenientEnum, Comparable {
        /// Information.
        case info
        /// Worth a look.
        case notice
        /// A problem may come.
        case warning
        /// A problem.
        case error
        /// A serious problem.
        case critical
        /// Act now.
        case alert
        /// The system is unusable.
        case emergency
        /// A value this SDK does not know.
        case unknown(String)

        /// Every known level, lowest first.
        public static let knownCases: [AlertLevel] = [.info, .notice, .warning, .error, .critical, .alert, .emergency]

        /// The wire spelling (`WARNING`, ...).
        public var rawValue: String {
            switch self {
            case .info: return "INFO"
            case .notice: return "NOTICE"
            case .warning: return "WARNING"
            case .error: return "ERROR"
            case .critical: return "CRITICAL"
            case .alert: return "ALERT"
            case .emergency: return "EMERGENCY"
            case .unknown(let value): return value
            }
        }

        /// Orders by severity; unknown levels rank below INFO.
        public static func < (lhs: AlertLevel, rhs: AlertLevel) -> Bool {
            (knownCases.firstIndex(of: lhs) ?? -1) < (knownCases.firstIndex(of: rhs) ?? -1)
        }
    }
}
