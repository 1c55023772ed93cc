import Foundation

/// A `Decoder` over a ``JSONTape``: the models' own `Codable` initialisers run unchanged, with Foundation's
/// `JSONDecoder` semantics (default strategies: base64 `Data`, `URL` from a string, `Date` as seconds since 2001),
/// but keys are matched against the document's bytes without making strings, values are read only when asked
/// for, and a coding path is built only when an error needs one.
///
/// Foundation's decoder spends most of a Docker listing in its generic machinery (a dictionary of `String` keys per
/// object, the coding path of every value); this one costs a few comparisons per field.
struct TapeDecoder: Decoder, SingleValueDecodingContainer {
    let tape: JSONTape
    let index: Int

    /// Decodes `T` from `bytes`.
    /// - Throws: `DecodingError` naming where (`dataCorrupted` with line and column for text that is not JSON).
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let tape: JSONTape
        do {
            tape = try JSONTape(bytes)
        } catch let error as JSONTape.SyntaxError {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description))
        }
        return try TapeDecoder(tape: tape, index: 0).decodeValue(T.self)
    }

    var codingPath: [any CodingKey] { tape.path(to: index) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape.entries[index].kind == .object else { throw mismatch([String: Any].self) }
        try tape.checkKeys(of: index)
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(tape: tape, object: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape.entries[index].kind == .array else { throw mismatch([Any].self) }
        return TapeUnkeyedContainer(tape: tape, array: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: single value

    func decodeNil() -> Bool { tape.entries[index].kind == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch tape.entries[index].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self)
        }
    }

    func decode(_ type: String.Type) throws -> String {
        guard tape.entries[index].kind == .string else { throw mismatch(String.self) }
        do { return try tape.string(at: index) } catch let error as JSONTape.TextError { throw corrupted(error.message) }
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard tape.entries[index].kind == .number else { throw mismatch(Double.self) }
        do { return try tape.double(at: index) } catch let error as JSONTape.TextError { throw corrupted(error.message) }
    }

    func decode(_ type: Float.Type) throws -> Float {
        let value = try decode(Double.self)
        guard value.isNaN || value.isInfinite || abs(value) <= Double(Float.greatestFiniteMagnitude) else {
            throw corrupted("the number \(value) does not fit in Float")
        }
        return Float(value)
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(T.self) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard tape.entries[index].kind == .number else { throw mismatch(T.self) }
        do { return try tape.integer(T.self, at: index) } catch let error as JSONTape.TextError { throw corrupted(error.message) }
    }

    /// Decodes any `T` here, taking the common leaf types directly and matching `JSONDecoder`'s special cases.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self, let value = try decode(String.self) as? T { return value }
        if T.self == Int64.self, let value = try integer(Int64.self) as? T { return value }
        if T.self == UInt64.self, let value = try integer(UInt64.self) as? T { return value }
        if T.self == Int.self, let value = try integer(Int.self) as? T { return value }
        if T.self == Bool.self, let value = try decode(Bool.self) as? T { return value }
        if T.self == Data.self {
            guard let data = Data(base64Encoded: try decode(String.self)) else { throw corrupted("expected base64 data") }
            if let value = data as? T { return value }
        }
        if T.self == URL.self {
            guard let url = URL(string: try decode(String.self)) else { throw corrupted("invalid URL string") }
            if let value = url as? T { return value }
        }
        if T.self == Decimal.self {
            guard tape.entries[index].kind == .number, let decimal = Decimal(string: tape.numberText(index)) else {
                throw mismatch(Decimal.self)
            }
            if let value = decimal as? T { return value }
        }
        // A model with a hand-written tape reader (the listing models) skips the generic containers.
        if let fast = T.self as? any TapeDecodable.Type, let value = try fast.init(tape: tape.view, at: index) as? T {
            return value
        }
        return try T(from: self)
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        DecodingError.typeMismatch(
            type, .init(codingPath: codingPath, debugDescription: "expected \(type), found \(tape.kindDescription(index))"))
    }

    func corrupted(_ message: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: message))
    }
}

/// An object's fields. Keys are searched from just after the last one found, so a model that reads its fields in
/// the order the server writes them finds each one at the first comparison.
final class TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let tape: JSONTape
    let object: Int
    private let end: Int
    /// The key entry where the next search starts.
    private var cursor: Int

    init(tape: JSONTape, object: Int) {
        self.tape = tape
        self.object = object
        end = Int(tape.entries[object].next)
        cursor = object + 1
    }

    var codingPath: [any CodingKey] { tape.path(to: object) }

    var allKeys: [Key] {
        var keys: [Key] = []
        for (key, _) in TapeFields(tape: tape.view, object: object) {
            if let key = Key(stringValue: key.text) { keys.append(key) }
        }
        return keys
    }

    /// The value entry for `key`, or `nil` when the object has no such key.
    private func find(_ key: Key) -> Int? {
        var name = key.stringValue
        let view = tape.view
        return name.withUTF8 { wanted -> Int? in
            let entries = view.entries
            if entries[object].escaped {
                // Keys may repeat: the first occurrence, from the start (as JSONDecoder reads it).
                var child = object + 1
                while child < end {
                    if view.key(at: child, equals: wanted) { return child + 1 }
                    child = Int(entries[child + 1].next)
                }
                return nil
            }
            var child = cursor
            while child < end {
                let next = Int(entries[child + 1].next)
                if view.key(at: child, equals: wanted) {
                    cursor = next
                    return child + 1
                }
                child = next
            }
            child = object + 1
            while child < cursor, child < end {
                let next = Int(entries[child + 1].next)
                if view.key(at: child, equals: wanted) {
                    cursor = next
                    return child + 1
                }
                child = next
            }
            return nil
        }
    }

    private func value(_ key: Key) throws -> TapeDecoder {
        guard let index = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for '\(key.stringValue)'"))
        }
        return TapeDecoder(tape: tape, index: index)
    }

    /// The value for `key`, or `nil` when it is absent or `null`.
    private func present(_ key: Key) -> TapeDecoder? {
        guard let index = find(key), tape.entries[index].kind != .null else { return nil }
        return TapeDecoder(tape: tape, index: index)
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { try value(key).decodeNil() }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(key).decode(Bool.self) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(key).decode(String.self) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(key).decode(Double.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(key).decode(Float.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(key).decode(Int.self) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(key).decode(Int8.self) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(key).decode(Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(key).decode(Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(key).decode(Int64.self) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(key).decode(UInt.self) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(key).decode(UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(key).decode(UInt16.self) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(key).decode(UInt32.self) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(key).decode(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(key).decodeValue(T.self) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key)?.decode(Bool.self) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key)?.decode(String.self) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key)?.decode(Double.self) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try present(key)?.decode(Float.self) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(key)?.decode(Int.self) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try present(key)?.decode(Int8.self) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try present(key)?.decode(Int16.self) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try present(key)?.decode(Int32.self) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try present(key)?.decode(Int64.self) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try present(key)?.decode(UInt.self) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try present(key)?.decode(UInt8.self) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try present(key)?.decode(UInt16.self) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try present(key)?.decode(UInt32.self) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try present(key)?.decode(UInt64.self) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try present(key)?.decodeValue(T.self) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try value(key).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try value(key).unkeyedContainer() }

    func superDecoder() throws -> any Decoder {
        guard let key = Key(stringValue: "super"), let index = find(key) else {
            throw DecodingError.keyNotFound(
                JSONTape.Key(stringValue: "super"), .init(codingPath: codingPath, debugDescription: "no value for 'super'"))
        }
        return TapeDecoder(tape: tape, index: index)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try value(key) }
}

/// An array's elements, in order.
struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let tape: JSONTape
    let array: Int
    private let end: Int
    /// The entry of the next element.
    private var current: Int
    private(set) var currentIndex = 0

    init(tape: JSONTape, array: Int) {
        self.tape = tape
        self.array = array
        end = Int(tape.entries[array].next)
        current = array + 1
    }

    var codingPath: [any CodingKey] { tape.path(to: array) }

    var count: Int? {
        var elements = 0
        var child = array + 1
        while child < end {
            elements += 1
            child = Int(tape.entries[child].next)
        }
        return elements
    }

    var isAtEnd: Bool { current >= end }

    private mutating func next(_ type: Any.Type) throws -> TapeDecoder {
        guard current < end else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [JSONTape.Key(intValue: currentIndex)], debugDescription: "the array has ended"))
        }
        let element = TapeDecoder(tape: tape, index: current)
        current = Int(tape.entries[current].next)
        currentIndex += 1
        return element
    }

    mutating func decodeNil() throws -> Bool {
        guard current < end, tape.entries[current].kind == .null else { return false }
        current += 1
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type).decode(Bool.self) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type).decode(String.self) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type).decode(Double.self) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type).decode(Float.self) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type).decode(Int.self) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type).decode(Int8.self) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type).decode(Int16.self) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type).decode(Int32.self) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type).decode(Int64.self) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type).decode(UInt.self) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type).decode(UInt8.self) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type).decode(UInt16.self) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type).decode(UInt32.self) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type).decode(UInt64.self) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type).decodeValue(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next([String: Any].self).container(keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next([Any].self).unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next(Any.self) }
}
