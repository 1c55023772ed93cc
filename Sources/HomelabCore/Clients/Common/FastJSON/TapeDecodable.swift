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

/// An object key while walking ``JSONTape/fields(of:)``, compared with a literal by `switch key { case "Name": ... }`.
struct TapeKey {
    let tape: JSONTape
    /// The key's entry.
    let index: Int

    @inline(__always)
    static func ~= (literal: StaticString, key: TapeKey) -> Bool {
        literal.withUTF8Buffer { key.tape.key(at: key.index, equals: $0) }
    }

    /// The key's text (unescaped).
    var text: String { tape.keyText(index) }
}

/// An object's fields in document order: each key and the index of its value. A repeated key is given once, at its
/// first occurrence (what `JSONDecoder` reads).
struct TapeFields: Sequence, IteratorProtocol {
    let tape: JSONTape
    private let object: Int
    private var child: Int
    private let end: Int
    private let mayRepeat: Bool

    init(tape: JSONTape, object: Int) {
        self.tape = tape
        self.object = object
        child = object + 1
        end = Int(tape.entries[object].next)
        mayRepeat = tape.entries[object].escaped
    }

    @inline(__always)
    mutating func next() -> (key: TapeKey, value: Int)? {
        while child < end {
            let key = TapeKey(tape: tape, index: child)
            child = Int(tape.entries[child + 1].next)
            if mayRepeat, !tape.firstOccurrence(of: key.index, in: object) { continue }
            return (key, key.index + 1)
        }
        return nil
    }
}

extension JSONTape {
    /// The fields of the object at `index`.
    /// - Throws: the typeMismatch a keyed container throws when the entry is not an object; dataCorrupted for a key
    ///   that is not valid text.
    @inline(__always)
    func fields(of index: Int) throws -> TapeFields {
        guard entries[index].kind == .object else { throw TapeDecoder(tape: self, index: index).mismatch([String: Any].self) }
        try checkKeys(of: index)
        return TapeFields(tape: self, object: index)
    }

    /// How many elements the array at `index` holds (for reserving capacity).
    func elementCount(_ index: Int) -> Int {
        let end = Int(entries[index].next)
        var count = 0
        var element = index + 1
        while element < end {
            count += 1
            element = Int(entries[element].next)
        }
        return count
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
    func optionalStrings() throws -> [String]? { try optionalArray(of: String.self) }

    /// A `[String: String]` (labels, options); `null` is absent, a `null` value is a mismatch.
    func optionalStringMap() throws -> [String: String]? {
        if isNull { return nil }
        var map: [String: String] = [:]
        for (key, value) in try tape.fields(of: index) {
            map[key.text] = try TapeDecoder(tape: tape, index: value).decode(String.self)
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
        elements.reserveCapacity(tape.elementCount(index))
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

/// A string element read straight off the tape (so `[String]` takes the array reader too).
extension String: TapeDecodable {
    init(tape: JSONTape, at index: Int) throws { self = try TapeDecoder(tape: tape, index: index).decode(String.self) }
}
