import Foundation

/// Forgejo's models, named as its API (`/api/v1`, Swagger 2.0) names them: `Forgejo.Repository`,
/// `Forgejo.Commit`, `Forgejo.Hook`, `Forgejo.Release`, `Forgejo.Package`, ...
///
/// Fields a newer server adds are ignored; every field the SDK does not need to identify an object is optional,
/// because Forgejo and Gitea add and drop fields between releases. Times are kept as the server wrote them
/// (RFC 3339) and read through ``Forgejo/date(_:)``.
public enum Forgejo {
    /// An RFC 3339 time as Forgejo writes it (`2026-08-01T10:00:00Z`, `2026-08-01T12:00:00+02:00`, with or without
    /// fractional seconds); `nil` when absent or unreadable.
    public static func date(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// Writes `date` as Forgejo does (RFC 3339, UTC, whole seconds).
    public static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
