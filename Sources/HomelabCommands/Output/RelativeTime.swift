import Foundation

/// Times for people in tables: "just now", "42 seconds ago", "3 minutes ago", "in 2 hours"; the same words in
/// every locale (JSON and YAML carry ISO 8601 instead).
public enum RelativeTime {
    /// `date` relative to `now`.
    public static func describe(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        let magnitude = Int(abs(seconds).rounded(.down))
        if magnitude < 2 { return "just now" }
        let units: [(String, Int)] = [
            ("year", 365 * 86_400), ("month", 30 * 86_400), ("week", 7 * 86_400), ("day", 86_400), ("hour", 3_600),
            ("minute", 60), ("second", 1),
        ]
        let (unit, size) = units.first { magnitude >= $0.1 } ?? ("second", 1)
        let count = magnitude / size
        let phrase = "\(count) \(unit)\(count == 1 ? "" : "s")"
        return seconds >= 0 ? "\(phrase) ago" : "in \(phrase)"
    }

    /// `date` as ISO 8601 in UTC (`2026-12-02T06:54:28Z`), as in JSON.
    public static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
