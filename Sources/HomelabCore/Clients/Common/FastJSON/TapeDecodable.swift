import Foundation

/// A model that reads itself straight off a ``JSONTape``, without `Decoder`'s generic containers.
///
/// `Codable` through any decoder pays for its generality on every object: a boxed keyed container, generic metadata
/// for the key type and each field's `Optional`, a witness call per field. For the few models a listing returns by
/// the hundred (a service and what it holds), that machinery is most of the decoding time. A `TapeDecodable` model
/// walks its object's keys once instead, reads the common leaf types directly, and hands every other field to
/// ``TapeDecoder`` (its own `init(from:)`), so its results and errors are exactly those of its `Codable` initialiser:
/// unknown keys are skipped, `null` reads as absent, a field of the wrong type throws the same `DecodingError` with
/// the same coding path. ``TapeDecoderTests`` checks each conforming model against `JSONDecoder`.
///
/// ``TapeDecoder/decodeValue(_:)`` takes this path for any `TapeDecodable` type, also when it is nested in a model
/// that is only `Codable`.
protocol TapeDecodable: Decodable {
    /// Reads the value at `index` (null included: a model that cannot be null throws as `init(from:)` would).
    init(tape: JSONTape, at index: Int) throws
}

/// An object key during ``JSONTape/forEachField(of:_:)``: its UTF-8 bytes, unescaped. Compared with a literal by
/// `switch key { case "Name": ... }`.
struct TapeKey {
    let bytes: UnsafeBufferPointer<UInt8>

    @inline(__always)
    static func ~= (literal: StaticString, key: TapeKey) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard count == key.bytes.count else { return false }
        return count == 0 || memcmp(literal.utf8Start, key.bytes.baseAddress!, count) == 0
    }
}

extension JSONTape {
    /// Calls `body` with each key of the object at `index` and the index of its value, in document order.
    /// - Throws: the typeMismatch a keyed container throws when the entry is not an object; whatever `body` throws.
    @inline(__always)
    func forEachField(of index: Int, _ body: (TapeKey, Int) throws -> Void) throws {
        guard entries[index].kind == .object else {
            throw TapeDecoder(tape: self, index: index).mismatch([String: Any].self)
        }
        let end = Int(entries[index].next)
        var child = index + 1
        try bytes.withUnsafeBufferPointer { buffer in
            while child < end {
                let key = entries[child]
                let value = child + 1
                if key.escaped {
                    // Rare (Docker never escapes a key): unescape, then compare like any other key.
                    var text = keyText(child)
                    try text.withUTF8 { try body(TapeKey(bytes: $0), value) }
                } else {
                    let start = Int(key.start)
                    try body(TapeKey(bytes: UnsafeBufferPointer(rebasing: buffer[start..<Int(key.end)])), value)
                }
                child = Int(entries[value].next)
            }
        }
    }
}

/// Readers for one value on the tape: `nil` for `null`, the value when it has the asked-for type, else the
/// `DecodingError` that `decodeIfPresent` would throw there.
extension TapeDecoder {
    @inline(__always)
    var isNull: Bool { tape.entries[index].kind == .null }

    func optionalString() throws -> String? { isNull ? nil : try decode(String.self) }
    func optionalBool() throws -> Bool? { isNull ? nil : try decode(Bool.self) }
    func optionalDouble() throws -> Double? { isNull ? nil : try decode(Double.self) }
    func optionalInt() throws -> Int? { isNull ? nil : try decode(Int.self) }
    func optionalInt64() throws -> Int64? { isNull ? nil : try decode(Int64.self) }
    func optionalUInt32() throws -> UInt32? { isNull ? nil : try decode(UInt32.self) }
    func optionalUInt64() throws -> UInt64? { isNull ? nil : try decode(UInt64.self) }

    /// A `[String]`; `null` is absent, a `null` element is a mismatch (as with `JSONDecoder`).
    func optionalStrings() throws -> [String]? {
        if isNull { return nil }
        guard tape.entries[index].kind == .array else { throw mismatch([Any].self) }
        let end = Int(tape.entries[index].next)
        var strings: [String] = []
        var element = index + 1
        while element < end {
            strings.append(try TapeDecoder(tape: tape, index: element).decode(String.self))
            element = Int(tape.entries[element].next)
        }
        return strings
    }

    /// A `[String: String]` (labels, options); `null` is absent, a `null` value is a mismatch.
    func optionalStringMap() throws -> [String: String]? {
        if isNull { return nil }
        var map: [String: String] = [:]
        try tape.forEachField(of: index) { key, value in
            let name = String(decoding: key.bytes, as: UTF8.self)
            map[name] = try TapeDecoder(tape: tape, index: value).decode(String.self)
        }
        return map
    }

    /// A ``LenientEnum``: any string, kept as `.unknown` when this SDK does not know it.
    func optional<T: LenientEnum>(_ type: T.Type) throws -> T? { isNull ? nil : T.matching(try decode(String.self)) }

    /// A model that reads itself off the tape.
    func optional<T: TapeDecodable>(_ type: T.Type) throws -> T? { isNull ? nil : try T(tape: tape, at: index) }

    /// An array of models that read themselves off the tape.
    func optionalArray<T: TapeDecodable>(of type: T.Type) throws -> [T]? {
        if isNull { return nil }
        guard tape.entries[index].kind == .array else { throw mismatch([Any].self) }
        let end = Int(tape.entries[index].next)
        var elements: [T] = []
        var element = index + 1
        while element < end {
            elements.append(try T(tape: tape, at: element))
            element = Int(tape.entries[element].next)
        }
        return elements
    }

    /// Any other `Decodable`, through its own `init(from:)` on this decoder.
    func optional<T: Decodable>(_ type: T.Type) throws -> T? { isNull ? nil : try decodeValue(T.self) }
}

extension Array: TapeDecodable where Element: TapeDecodable {
    init(tape: JSONTape, at index: Int) throws {
        let decoder = TapeDecoder(tape: tape, index: index)
        guard tape.entries[index].kind == .array else { throw decoder.mismatch([Any].self) }
        self = try decoder.optionalArray(of: Element.self) ?? []
    }
}
