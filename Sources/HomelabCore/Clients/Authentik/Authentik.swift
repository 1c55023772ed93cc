import Foundation

/// Authentik's API (`/api/v3`) models: applications, providers, outposts, users, groups, flows, events.
///
/// Every model decodes leniently: Authentik adds fields and enum values in most releases (the generated clients
/// break on each), so only identity fields are required; a field of an unexpected type reads as absent and an enum
/// value this SDK does not know is kept as `.unknown(value)`.
public enum Authentik {
    /// One page of a listing: `{pagination: {next, ...}, results: [...], autocomplete: {}}`.
    struct Paginated<Element: Decodable>: Decodable {
        let pagination: Pagination
        let results: [Element]
    }

    /// Authentik's page envelope; `next` is a page number, 0 on the last page.
    struct Pagination: Decodable {
        let next: Int?
        let count: Int?

        private enum CodingKeys: String, CodingKey { case next, count }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            next = c.lenient(Int.self, .next) ?? c.lenient(Double.self, .next).map { Int($0) }
            count = c.lenient(Int.self, .count)
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `nil` when it is absent, `null` or of another type (a field whose type changed
    /// between server releases reads as absent instead of failing the whole answer).
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}

/// ISO 8601 timestamps as Authentik and 1Password Connect send them (with or without fractional seconds, `Z` or an
/// offset, Python's microseconds).
public enum ISOTimestamp {
    /// The date `text` names, or `nil` when it is not an ISO 8601 timestamp.
    public static func date(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        // Python's isoformat() may send microseconds; keep milliseconds and retry.
        guard let dot = text.firstIndex(of: "."),
            let end = text[dot...].dropFirst().firstIndex(where: { !$0.isNumber })
        else { return nil }
        let fraction = text[text.index(after: dot)..<end]
        let millis = String((fraction + "000").prefix(3))
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: String(text[..<dot]) + "." + millis + String(text[end...]))
    }
}
