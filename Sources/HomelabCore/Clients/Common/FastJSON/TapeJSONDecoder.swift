import Foundation

/// Decodes `Decodable` models from JSON bytes several times faster than Foundation's `JSONDecoder`, with the same
/// results for models that use `JSONDecoder`'s default strategies (the Docker models; see ``RESTClient/fastDecoding``).
///
/// It runs the models' own `Codable` initialisers, so leniency is theirs: unknown keys are ignored, ``LenientEnum``
/// values are kept as `.unknown`, `null` reads as absent. Where `JSONDecoder` throws, it throws the same
/// `DecodingError` case with the path of the field; text that is not JSON gives line, column and byte offset.
/// It is stricter where `JSONDecoder` lets through text RFC 8259 says is not JSON (an unescaped control character in
/// a string, a trailing comma, a number with a leading zero): that is refused with line and column.
/// `fuzz-docker-models` checks the two decoders agree everywhere else.
public struct TapeJSONDecoder: Sendable {
    /// A decoder; it has no options.
    public init() {}

    /// Decodes `type` from `bytes`.
    /// - Throws: `DecodingError` naming where the input did not fit (or was not JSON).
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try TapeDecoder.decode(type, from: bytes)
    }

    /// Decodes `type` from `data`.
    /// - Throws: `DecodingError` naming where the input did not fit (or was not JSON).
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try TapeDecoder.decode(type, from: [UInt8](data))
    }
}
