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
    init(tape: TapeView, at index: Int) throws

    /// The elements of the array at `index`, each read off the tape (the caller has checked it is an array).
    static func elements(tape: TapeView, at index: Int) throws -> [Self]
}

extension TapeDecodable {
    static func elements(tape: TapeView, at index: Int) throws -> [Self] {
        let end = Int(tape.entries[index].next)
        return try [Self](unsafeUninitializedCapacity: tape.elementCount(index)) { buffer, initialized in
            var element = index + 1
            while element < end {
                (buffer.baseAddress! + initialized).initialize(to: try Self(tape: tape, at: element))
                initialized += 1
                element = Int(tape.entries[element].next)
            }
        }
    }
}

/// A ``TapeDecodable`` struct that reads itself in place: a blank value (every field absent) is made where the
/// value goes (the parent's field, the array's element) and fills its fields there.
///
/// A listing's models nest four deep (service, spec, task template, container spec) and are large (a service is
/// kilobytes of mostly absent fields): made by an initialiser, each level was built in a temporary and then copied
/// into its parent (`self.init()` itself copied the blank value once more), so a third of the decoding time went
/// to `memmove` and to retaining and releasing what the copies held.
protocol TapeReadable: TapeDecodable {
    /// A value with every field absent, to read into.
    static var blank: Self { get }

    /// Reads the fields of the object at `index` into this value (those the object lacks stay as they are).
    mutating func read(tape: TapeView, at index: Int) throws
}

extension TapeReadable {
    init(tape: TapeView, at index: Int) throws {
        self = .blank
        try read(tape: tape, at: index)
    }

    static func elements(tape: TapeView, at index: Int) throws -> [Self] {
        let end = Int(tape.entries[index].next)
        return try [Self](unsafeUninitializedCapacity: tape.elementCount(index)) { buffer, initialized in
            var element = index + 1
            while element < end {
                (buffer.baseAddress! + initialized).initialize(to: .blank)
                initialized += 1
                try buffer[initialized - 1].read(tape: tape, at: element)
                element = Int(tape.entries[element].next)
            }
        }
    }
}

/// A ``JSONTape`` as its readers see it: plain pointers to its entries and bytes, and the tape itself unretained.
///
/// A model reads itself inside a call that holds the tape (``TapeDecoder/decodeValue(_:)``), so the views, keys and
/// values made during that call need not retain it. Holding the tape strongly in each of them, or `unowned(unsafe)`
/// (which Swift retains around every use), cost a retain and a release for each key compared: a third of a service
/// listing's decoding time. Only the careful paths (an escaped key or string, an error, a type without a tape
/// reader) reach the tape object, through ``document``.
struct TapeView {
    let entries: JSONTape.Entries
    private let bytes: UnsafePointer<UInt8>
    private let owner: Unmanaged<JSONTape>

    init(_ tape: JSONTape) {
        entries = tape.entries
        bytes = tape.bytes.baseAddress!
        owner = Unmanaged.passUnretained(tape)
    }

    /// The tape itself (retained while used), for the careful paths.
    var document: JSONTape { owner.takeUnretainedValue() }

    /// A `Decoder` for the value at `index`, for errors and types without a tape reader.
    func decoder(at index: Int) -> TapeDecoder { TapeDecoder(tape: document, index: index) }

    /// The fields of the object at `index`.
    /// - Throws: the typeMismatch a keyed container throws when the entry is not an object; dataCorrupted for a key
    ///   that is not valid text.
    @inline(__always)
    func fields(of index: Int) throws -> TapeFields {
        let entry = entries[index]
        guard entry.kind == .object else { throw decoder(at: index).mismatch([String: Any].self) }
        if entry.escaped { try document.checkKeys(of: index) }
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

    /// Whether the key at `index` is spelled exactly `wanted` (UTF-8).
    @inline(__always)
    func key(at index: Int, equals wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = entries[index]
        if entry.escaped { return document.carefulKey(at: index, equals: wanted) }
        let start = Int(entry.start)
        let length = Int(entry.end) - start
        guard length == wanted.count else { return false }
        return length == 0 || memcmp(bytes + start, wanted.baseAddress!, length) == 0
    }

    /// The string entry at `index`, unescaped (see ``JSONTape/string(at:)``).
    @inline(__always)
    func string(at index: Int) throws -> String {
        let entry = entries[index]
        if entry.escaped { return try document.string(at: index) }
        let start = Int(entry.start)
        return String(decoding: UnsafeBufferPointer(start: bytes + start, count: Int(entry.end) - start), as: UTF8.self)
    }

    /// The number entry at `index` as an integer of type `T` (see ``JSONTape/integer(_:at:)``): plain digits here,
    /// anything else (a sign, a fraction, an exponent, too many digits) by the tape.
    @inline(__always)
    func integer<T: FixedWidthInteger>(_ type: T.Type, at index: Int) throws -> T {
        let entry = entries[index]
        var position = Int(entry.start)
        let end = Int(entry.end)
        if end - position <= 18 {  // 18 digits cannot overflow a UInt64; `T(exactly:)` then checks T's range
            var value: UInt64 = 0
            while position < end {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                value = value &* 10 &+ UInt64(digit)
                position += 1
            }
            if position == end, let exact = T(exactly: value) { return exact }
        }
        return try document.integer(T.self, at: index)
    }
}

extension JSONTape {
    /// The tape as its readers see it (valid while the tape lives).
    var view: TapeView { TapeView(self) }
}

/// An object key while walking ``TapeView/fields(of:)``, compared with a literal by `switch key { case "Name": ... }`.
struct TapeKey {
    let tape: TapeView
    /// The key's entry.
    let index: Int

    @inline(__always)
    static func ~= (literal: StaticString, key: TapeKey) -> Bool {
        literal.withUTF8Buffer { key.tape.key(at: key.index, equals: $0) }
    }

    /// The key's text (unescaped).
    var text: String { tape.document.keyText(index) }
}

/// An object's fields in document order: each key and the index of its value. A repeated key is given once, at its
/// first occurrence (what `JSONDecoder` reads).
struct TapeFields: Sequence, IteratorProtocol {
    let tape: TapeView
    private let object: Int
    private var child: Int
    private let end: Int
    private let mayRepeat: Bool

    init(tape: TapeView, object: Int) {
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
            if mayRepeat, !tape.document.firstOccurrence(of: key.index, in: object) { continue }
            return (key, key.index + 1)
        }
        return nil
    }
}

/// One value on the tape while a model reads itself, with readers that give `nil` for `null`, the value when it
/// has the asked-for type, else the `DecodingError` that `decodeIfPresent` would throw there.
///
/// It is made and used inside a ``TapeDecodable`` initialiser and never outlives it (see ``TapeView``). The leaf
/// readers (strings, numbers, booleans) work on the view; errors and other `Decodable` types go through a
/// ``TapeDecoder``, which retains the tape.
struct TapeValue {
    let tape: TapeView
    let index: Int

    /// A `Decoder` for this value (it retains the tape; for errors and types without a tape reader).
    var decoder: TapeDecoder { tape.decoder(at: index) }

    @inline(__always)
    var isNull: Bool { tape.entries[index].kind == .null }

    func optionalString() throws -> String? { isNull ? nil : try string() }
    func optionalBool() throws -> Bool? {
        switch tape.entries[index].kind {
        case .null: return nil
        case .true: return true
        case .false: return false
        default: throw decoder.mismatch(Bool.self)
        }
    }
    func optionalDouble() throws -> Double? { isNull ? nil : try decoder.decode(Double.self) }
    func optionalInt() throws -> Int? { isNull ? nil : try integer(Int.self) }
    func optionalInt64() throws -> Int64? { isNull ? nil : try integer(Int64.self) }
    func optionalUInt32() throws -> UInt32? { isNull ? nil : try integer(UInt32.self) }
    func optionalUInt64() throws -> UInt64? { isNull ? nil : try integer(UInt64.self) }

    /// The string here (not `null`).
    @inline(__always)
    func string() throws -> String {
        guard tape.entries[index].kind == .string else { throw decoder.mismatch(String.self) }
        do { return try tape.string(at: index) } catch let error as JSONTape.TextError { throw decoder.corrupted(error.message) }
    }

    @inline(__always)
    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard tape.entries[index].kind == .number else { throw decoder.mismatch(T.self) }
        do { return try tape.integer(T.self, at: index) } catch let error as JSONTape.TextError { throw decoder.corrupted(error.message) }
    }

    /// A `[String]`; `null` is absent, a `null` element is a mismatch (as with `JSONDecoder`).
    func optionalStrings() throws -> [String]? { try optionalArray(of: String.self) }

    /// A `[String: String]` (labels, options); `null` is absent, a `null` value is a mismatch.
    func optionalStringMap() throws -> [String: String]? {
        if isNull { return nil }
        var map: [String: String] = [:]
        for (key, value) in try tape.fields(of: index) {
            map[key.text] = try TapeValue(tape: tape, index: value).string()
        }
        return map
    }

    /// A ``LenientEnum``: any string, kept as `.unknown` when this SDK does not know it.
    func optional<T: LenientEnum>(_ type: T.Type) throws -> T? { isNull ? nil : T.matching(try string()) }

    /// A model that reads itself off the tape.
    func optional<T: TapeDecodable>(_ type: T.Type) throws -> T? { isNull ? nil : try T(tape: tape, at: index) }

    /// A model that reads itself in place, into `target` (`nil` for `null`).
    @inline(__always)
    func read<T: TapeReadable>(into target: inout T?) throws {
        if isNull {
            target = nil
            return
        }
        target = T.blank
        try target!.read(tape: tape, at: index)
    }

    /// An array of models that read themselves off the tape.
    func optionalArray<T: TapeDecodable>(of type: T.Type) throws -> [T]? {
        if isNull { return nil }
        guard tape.entries[index].kind == .array else { throw decoder.mismatch([Any].self) }
        return try T.elements(tape: tape, at: index)
    }

    /// Any other `Decodable`, through its own `init(from:)` on a ``TapeDecoder``.
    func optional<T: Decodable>(_ type: T.Type) throws -> T? { isNull ? nil : try decoder.decodeValue(T.self) }
}

extension Array: TapeDecodable where Element: TapeDecodable {
    init(tape: TapeView, at index: Int) throws {
        guard tape.entries[index].kind == .array else { throw tape.decoder(at: index).mismatch([Any].self) }
        self = try Element.elements(tape: tape, at: index)
    }
}

/// A string element read straight off the tape (so `[String]` takes the array reader too).
extension String: TapeDecodable {
    init(tape: TapeView, at index: Int) throws { self = try TapeValue(tape: tape, index: index).string() }
}
