/// A string enumeration from a server's API that survives values this SDK does not know.
///
/// Servers add enum values between versions (Docker's swagger even omits some the daemon sends, such as
/// `rollback_started`; Authentik and Proxmox add values in most releases). A conforming enum lists its known
/// cases and has a `case unknown(String)` that keeps any other value verbatim, so decoding never fails on a new
/// value and re-encoding sends back exactly what was received. The Codable code lives here once.
public protocol LenientEnum: Codable, Hashable, Sendable, RawRepresentable, CustomStringConvertible
where RawValue == String {
    /// Every case except `unknown`, each with its wire spelling given by ``rawValue``.
    static var knownCases: [Self] { get }
    /// The case holding a value this SDK does not know (satisfied by `case unknown(String)`).
    static func unknown(_ value: String) -> Self
    /// The wire spelling; for `unknown(value)` it is `value`.
    var rawValue: String { get }
}

extension LenientEnum {
    /// The known case spelled `rawValue`, or `.unknown(rawValue)`; never fails.
    public init(rawValue: String) { self = Self.matching(rawValue) }

    /// The known case spelled `rawValue`, or `.unknown(rawValue)`.
    static func matching(_ rawValue: String) -> Self {
        knownCases.first { $0.rawValue == rawValue } ?? unknown(rawValue)
    }

    /// Whether the value is one of ``knownCases`` (false for `.unknown`).
    public var isKnown: Bool { Self.knownCases.contains(self) }

    /// The wire spelling.
    public var description: String { rawValue }

    /// Decodes a JSON string; any string is accepted.
    /// - Throws: `DecodingError` when the value is not a string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = Self.matching(try container.decode(String.self))
    }

    /// Encodes the wire spelling.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
