import HomelabCore
import Logging

/// Collects every log line (level, message and metadata rendered) so tests can assert on what was logged,
/// e.g. that a canary secret never appears.
public final class LogCapture: Sendable {
    private let lines = Locked<[String]>([])

    public init() {}

    /// A logger at trace level writing here.
    public func logger(_ label: String = "test") -> Logger {
        var logger = Logger(label: label) { _ in CapturingLogHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    /// Appends a rendered line.
    public func append(_ line: String) { lines.withLock { $0.append(line) } }
    /// Every line so far.
    public var all: [String] { lines.withLock { $0 } }
    /// Every line joined, for `contains` checks.
    public var text: String { all.joined(separator: "\n") }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let error = event.error.map { " error=\($0)" } ?? ""
        capture.append("\(event.level) \(event.message) \(rendered)\(error)")
    }
}
