extension Swarm {
    /// A Docker duration: an integer number of nanoseconds on the wire (`Delay`, `Monitor`,
    /// `StopGracePeriod`, health-check intervals, ...).
    public struct Nanoseconds: Codable, Sendable, Hashable, Comparable, ExpressibleByIntegerLiteral,
        CustomStringConvertible
    {
        /// The length in nanoseconds, as Docker sends it.
        public var nanoseconds: Int64

        /// Wraps a nanosecond count.
        public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

        /// An integer literal is a nanosecond count, as in the API.
        public init(integerLiteral value: Int64) { self.nanoseconds = value }

        /// Converts a Swift `Duration`; sub-nanosecond parts are dropped and values beyond ±292 years saturate.
        public init(_ duration: Duration) {
            let (seconds, attoseconds) = duration.components
            let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            if overflow {
                nanoseconds = seconds < 0 ? .min : .max
            } else {
                let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
                nanoseconds = overflow2 ? (seconds < 0 ? .min : .max) : sum
            }
        }

        /// A duration of whole seconds.
        public static func seconds(_ seconds: Int64) -> Nanoseconds { Nanoseconds(.seconds(seconds)) }

        /// A duration of whole milliseconds.
        public static func milliseconds(_ milliseconds: Int64) -> Nanoseconds {
            Nanoseconds(.milliseconds(milliseconds))
        }

        /// The same length as a Swift `Duration`.
        public var duration: Duration { .nanoseconds(nanoseconds) }

        /// Decodes an integer; a float (never sent by Docker, but seen from hand-written JSON) is truncated.
        /// - Throws: `DecodingError` when the value is not a number.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let integer = try? container.decode(Int64.self) {
                nanoseconds = integer
            } else {
                let number = try container.decode(Double.self)
                guard number.isFinite, abs(number) < 9.2e18 else {
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "duration \(number) ns is out of range")
                }
                nanoseconds = Int64(number)
            }
        }

        /// Encodes the nanosecond count as an integer.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(nanoseconds)
        }

        /// Orders by length.
        public static func < (lhs: Nanoseconds, rhs: Nanoseconds) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

        /// Go-like text: `5s`, `300ms`, `42ns`.
        public var description: String {
            if nanoseconds % 1_000_000_000 == 0 { return "\(nanoseconds / 1_000_000_000)s" }
            if nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000)ms" }
            if nanoseconds % 1_000 == 0 { return "\(nanoseconds / 1_000)µs" }
            return "\(nanoseconds)ns"
        }
    }
}
