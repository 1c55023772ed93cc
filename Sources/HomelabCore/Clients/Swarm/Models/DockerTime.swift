import Foundation

extension Swarm {
    /// Docker's timestamps: RFC 3339 strings with up to nine fractional digits (Go's RFC3339Nano),
    /// e.g. `2016-06-07T21:07:29.962229872Z`.
    ///
    /// Models keep timestamps as the strings Docker sent, so an odd value never fails a decode; this
    /// turns one into a `Date` when a caller needs arithmetic.
    public enum Timestamp {
        /// The `Date` for an RFC 3339 timestamp, or `nil` when the text is not one.
        ///
        /// Accepts `Z` or a `±hh:mm` offset, `T`, `t` or a space between date and time, and 0–9
        /// fractional digits (more are ignored beyond nanoseconds). Go's zero time
        /// `0001-01-01T00:00:00Z` (Docker's "never") parses to that year-1 date, see ``isZero(_:)``.
        public static func date(from text: String) -> Date? {
            let bytes = Array(text.utf8)
            var index = 0
            func number(_ digits: Int) -> Int? {
                guard index + digits <= bytes.count else { return nil }
                var value = 0
                for byte in bytes[index..<index + digits] {
                    guard byte >= 48, byte <= 57 else { return nil }
                    value = value * 10 + Int(byte - 48)
                }
                index += digits
                return value
            }
            func expect(_ characters: String) -> Bool {
                guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
                index += 1
                return true
            }
            guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
                expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
                let second = number(2)
            else { return nil }
            var nanoseconds = 0
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                var digits = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    if digits < 9 { nanoseconds = nanoseconds * 10 + Int(bytes[index] - 48) }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<max(digits, 9) { nanoseconds *= 10 }
            }
            var offsetSeconds = 0
            if expect("Zz") {
                offsetSeconds = 0
            } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2) else { return nil }
                offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            } else {
                return nil
            }
            guard index == bytes.count, (1...12).contains(month), (1...daysInMonth(month, year: year)).contains(day),
                hour < 24, minute < 60, second < 61
            else { return nil }
            let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
            return Date(timeIntervalSince1970: Double(seconds - offsetSeconds) + Double(nanoseconds) / 1e9)
        }

        /// Days from 1970-01-01 to the given day of the proleptic Gregorian calendar, which is Go's (and so Docker's)
        /// for every year, year 1 included (Foundation's Gregorian calendar switches to Julian before 1582). Plain
        /// arithmetic: a `Calendar` would load ICU's time-zone data on first use, about a millisecond of every
        /// `homelab` command that shows a date.
        static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
            // Howard Hinnant's days_from_civil: years start in March, so the leap day is the last of the year.
            let shifted = month <= 2 ? year - 1 : year
            let era = (shifted >= 0 ? shifted : shifted - 399) / 400
            let yearOfEra = shifted - era * 400
            let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            return era * 146_097 + dayOfEra - 719_468
        }

        static func daysInMonth(_ month: Int, year: Int) -> Int {
            switch month {
            case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
            case 4, 6, 9, 11: return 30
            default: return 31
            }
        }

        /// Whether `text` is Go's zero time, which Docker sends for "not set".
        public static func isZero(_ text: String) -> Bool { text.hasPrefix("0001-01-01T00:00:00") }
    }
}
