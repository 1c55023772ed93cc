import CFastJSON
import Foundation

/// A JSON document parsed once into a flat tape of entries over its UTF-8 bytes, for ``TapeDecoder``.
///
/// Parsing only validates and records where each value is: no `String`, `Double` or dictionary is made until a
/// model asks for that value, and every value knows where its subtree ends, so skipping a field the model does not
/// know costs nothing. An object's entries are its keys and values in turn; an array's are its elements.
final class JSONTape {
    /// What kind of value an entry is.
    enum Kind: UInt8 {
        case null, `true`, `false`, number, string, array, object
    }

    /// One value: its kind, its bytes (for strings: between the quotes), and the index after its subtree.
    struct Entry {
        var kind: Kind
        /// A string to read the careful way: it contains backslash escapes or bytes beyond ASCII, so it must be
        /// unescaped and its UTF-8 checked (a string without it is plain ASCII, read as it stands). For an object: its keys need care (one repeats, or is escaped or beyond
        /// ASCII, or there are too many to compare), so opening it checks every key (``JSONTape/checkKeys(of:)``) and
        /// readers take the first occurrence of each (``JSONTape/firstOccurrence(of:in:)``), as `JSONDecoder` does.
        var escaped: Bool
        var start: Int32
        var end: Int32
        /// The index of the first entry after this value and everything inside it.
        var next: Int32
    }

    /// A document that is not JSON: what was expected and where.
    struct SyntaxError: Error, CustomStringConvertible {
        let message: String
        let offset: Int
        let line: Int
        let column: Int

        var description: String { "invalid JSON at line \(line), column \(column) (byte \(offset)): \(message)" }
    }

    /// Bytes after the document's copy that the string scan may read (``Parser/parseString(_:into:isKey:)``).
    static let padding = 16

    /// The deepest nesting accepted (Docker answers nest about 8 deep); deeper input is rejected, not recursed into.
    static let maximumDepth = 512

    /// The entries, in document order: a read-only view of memory the tape owns.
    ///
    /// The tape keeps its bytes and entries in memory of its own rather than in arrays, so that the readers, which
    /// see the tape through plain pointers while a model reads itself (``TapeView``), reach them without a retain
    /// and release per field: those were a third of a service listing's decoding time. Indexes are still checked
    /// (an index off the tape stops the process rather than read beyond it).
    struct Entries {
        fileprivate let base: UnsafeMutablePointer<Entry>
        let count: Int

        @inline(__always)
        subscript(index: Int) -> Entry {
            precondition(index >= 0 && index < count, "JSONTape: entry index out of range")
            return base[index]
        }
    }

    /// The document's bytes (the tape's own copy).
    let bytes: UnsafeBufferPointer<UInt8>
    let entries: Entries

    /// Parses `bytes`; the whole input must be one JSON value, with only whitespace around it.
    /// - Throws: ``SyntaxError`` saying what was expected, with line, column and byte offset.
    init(_ bytes: [UInt8]) throws {
        guard bytes.count < Int(Int32.max) else { throw Self.error("the document is larger than 2 GiB", at: 0, in: bytes) }
        var parser = Parser(bytes: bytes)
        if bytes.count >= 4 {
            // A byte order mark before UTF-8 text is skipped, as RFC 8259 (section 8.1) allows and JSONDecoder does.
            if bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.position = 3 }
            if let encoding = Self.otherEncoding(bytes) {
                throw Self.error(
                    "the JSON text is not UTF-8 (it looks like \(encoding)); JSON between systems must be UTF-8 (RFC 8259)",
                    at: 0, in: bytes)
            }
        }
        var buffers = Self.spareBuffers.withLock { spare in
            defer { spare = nil }
            return spare
        } ?? Buffers()
        buffers.reserve(bytes: bytes.count + Self.padding, entries: bytes.count / 6 + 4)
        let copy = UnsafeMutableBufferPointer(start: buffers.bytes, count: bytes.count)
        _ = copy.initialize(from: bytes)
        // Zeros after the document: the string scan reads 16 bytes at a time, and a zero byte (a control character)
        // stops it at the end of the input at the latest.
        (buffers.bytes + bytes.count).initialize(repeating: 0, count: Self.padding)
        var builder = EntryBuilder(buffers.entries, capacity: buffers.entryCapacity)
        do {
            try parser.parseDocument(UnsafeBufferPointer(copy), into: &builder)
        } catch {
            buffers.entries = builder.base
            buffers.entryCapacity = builder.capacity
            buffers.recycle()
            throw error
        }
        buffers.entries = builder.base
        buffers.entryCapacity = builder.capacity
        self.bytes = UnsafeBufferPointer(copy)
        entries = Entries(base: builder.base, count: builder.count)
        self.buffers = buffers
    }

    deinit {
        buffers.recycle()
    }

    /// The memory under a tape: a copy of the document and room for its entries.
    private let buffers: Buffers

    /// The buffers of the last tape to finish, kept for the next one: a warm client decoding listing after listing
    /// then reuses the same memory instead of asking the allocator for half a megabyte each time (which, as the
    /// heap grew and shrank around it, also meant faulting fresh pages in on every listing).
    private static let spareBuffers = Locked<Buffers?>(nil)

    /// A tape's memory; plain pointers, owned by one tape at a time, or by ``spareBuffers``.
    private struct Buffers: @unchecked Sendable {
        var bytes: UnsafeMutablePointer<UInt8>
        var byteCapacity: Int
        var entries: UnsafeMutablePointer<Entry>
        var entryCapacity: Int

        /// The largest buffers kept for reuse (a larger document's are freed when its tape is).
        static let largestKept = 8 << 20

        init() {
            byteCapacity = 64 << 10
            bytes = .allocate(capacity: byteCapacity)
            entryCapacity = byteCapacity / 6
            entries = .allocate(capacity: entryCapacity)
        }

        /// Makes room for at least `byteCount` bytes and `entryCount` entries (the entries may grow later).
        mutating func reserve(bytes byteCount: Int, entries entryCount: Int) {
            if byteCapacity < byteCount {
                bytes.deallocate()
                byteCapacity = max(byteCount, byteCapacity * 2)
                bytes = .allocate(capacity: byteCapacity)
            }
            if entryCapacity < entryCount {
                entries.deallocate()
                entryCapacity = max(entryCount, entryCapacity * 2)
                entries = .allocate(capacity: entryCapacity)
            }
        }

        /// Keeps the buffers for the next tape when they are not too large and none are kept yet; frees them otherwise.
        func recycle() {
            if byteCapacity <= Self.largestKept, entryCapacity * MemoryLayout<Entry>.stride <= Self.largestKept {
                let kept: Buffers? = JSONTape.spareBuffers.withLock { spare in
                    if spare == nil {
                        spare = self
                        return nil
                    }
                    return self
                }
                guard let kept else { return }
                kept.free()
            } else {
                free()
            }
        }

        private func free() {
            bytes.deallocate()
            entries.deallocate()
        }
    }

    /// The entries while parsing: a growable buffer of plain values that becomes the tape's ``Entries``.
    fileprivate struct EntryBuilder {
        private(set) var base: UnsafeMutablePointer<Entry>
        private(set) var count = 0
        private(set) var capacity: Int

        /// A builder over `capacity` entries' room at `base` (it reallocates the room when it needs more).
        init(_ base: UnsafeMutablePointer<Entry>, capacity: Int) {
            self.base = base
            self.capacity = capacity
        }

        @inline(__always)
        mutating func append(_ entry: Entry) {
            if count == capacity { grow() }
            (base + count).initialize(to: entry)
            count += 1
        }

        private mutating func grow() {
            let larger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = larger
            capacity *= 2
        }

        @inline(__always)
        subscript(index: Int) -> Entry {
            get {
                precondition(index >= 0 && index < count, "JSONTape: entry index out of range")
                return base[index]
            }
            set {
                precondition(index >= 0 && index < count, "JSONTape: entry index out of range")
                base[index] = newValue
            }
        }
    }

    /// The encoding JSONDecoder would read `bytes` (four or more) in when it is not UTF-8: by a UTF-16 or UTF-32 byte
    /// order mark, or by where the first four bytes are zero (RFC 4627's rule; JSON text starts with ASCII). The
    /// tape reads UTF-8 only and says so, where JSONDecoder transcodes (fuzz-docker-models found `00 5B 00 5D`,
    /// UTF-16 for `[]`).
    static func otherEncoding(_ bytes: [UInt8]) -> String? {
        switch (bytes[0], bytes[1], bytes[2], bytes[3]) {
        case (0, 0, 0xFE, 0xFF), (0, 0, 0, _): return "UTF-32, big-endian"
        case (0xFF, 0xFE, 0, 0), (_, 0, 0, 0): return "UTF-32, little-endian"
        case (0xFE, 0xFF, _, _), (0, _, 0, _): return "UTF-16, big-endian"
        case (0xFF, 0xFE, _, _), (_, 0, _, 0): return "UTF-16, little-endian"
        default: return nil
        }
    }

    static func error(_ message: String, at offset: Int, in bytes: [UInt8]) -> SyntaxError {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SyntaxError(message: message, offset: offset, line: line, column: column)
    }
}

extension JSONTape {
    /// A recursive-descent validator that appends entries; depth-limited, so hostile input cannot overflow the stack.
    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        mutating func parseDocument(_ buffer: UnsafeBufferPointer<UInt8>, into entries: inout EntryBuilder) throws {
            skipWhitespace(buffer)
            try parseValue(buffer, into: &entries, depth: 0)
            skipWhitespace(buffer)
            if position != buffer.count { throw fail("unexpected text after the JSON value") }
        }

        func fail(_ message: String) -> SyntaxError { JSONTape.error(message, at: position, in: bytes) }

        mutating func skipWhitespace(_ buffer: UnsafeBufferPointer<UInt8>) {
            while position < buffer.count {
                switch buffer[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        mutating func parseValue(_ buffer: UnsafeBufferPointer<UInt8>, into entries: inout EntryBuilder, depth: Int) throws {
            guard position < buffer.count else { throw fail("expected a value, found the end of the input") }
            switch buffer[position] {
            case UInt8(ascii: "{"): try parseObject(buffer, into: &entries, depth: depth)
            case UInt8(ascii: "["): try parseArray(buffer, into: &entries, depth: depth)
            case UInt8(ascii: "\""): try parseString(buffer, into: &entries)
            case UInt8(ascii: "t"): try parseLiteral(buffer, "true", .true, into: &entries)
            case UInt8(ascii: "f"): try parseLiteral(buffer, "false", .false, into: &entries)
            case UInt8(ascii: "n"): try parseLiteral(buffer, "null", .null, into: &entries)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber(buffer, into: &entries)
            default: throw fail("expected a value")
            }
        }

        mutating func parseLiteral(
            _ buffer: UnsafeBufferPointer<UInt8>, _ word: StaticString, _ kind: Kind, into entries: inout EntryBuilder
        ) throws {
            let start = position
            let length = word.utf8CodeUnitCount
            guard buffer.count - position >= length else { throw fail("expected '\(word)'") }
            let matches = word.withUTF8Buffer { expected in
                (0..<length).allSatisfy { buffer[start + $0] == expected[$0] }
            }
            guard matches else { throw fail("expected '\(word)'") }
            position += length
            let index = Int32(entries.count)
            entries.append(Entry(kind: kind, escaped: false, start: Int32(start), end: Int32(position), next: index + 1))
        }

        mutating func parseNumber(_ buffer: UnsafeBufferPointer<UInt8>, into entries: inout EntryBuilder) throws {
            let start = position
            func digits(_ parser: inout Parser) -> Int {
                let from = parser.position
                while parser.position < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[parser.position]) {
                    parser.position += 1
                }
                return parser.position - from
            }
            if buffer[position] == UInt8(ascii: "-") { position += 1 }
            let integerStart = position
            let integerDigits = digits(&self)
            guard integerDigits > 0 else { throw fail("expected a digit") }
            if integerDigits > 1, buffer[integerStart] == UInt8(ascii: "0") {
                position = integerStart + 1
                throw fail("a number must not start with 0")
            }
            if position < buffer.count, buffer[position] == UInt8(ascii: ".") {
                position += 1
                guard digits(&self) > 0 else { throw fail("expected a digit after the decimal point") }
            }
            if position < buffer.count, buffer[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < buffer.count, buffer[position] == UInt8(ascii: "+") || buffer[position] == UInt8(ascii: "-") {
                    position += 1
                }
                guard digits(&self) > 0 else { throw fail("expected a digit in the exponent") }
            }
            let index = Int32(entries.count)
            entries.append(Entry(kind: .number, escaped: false, start: Int32(start), end: Int32(position), next: index + 1))
        }

        mutating func parseString(_ buffer: UnsafeBufferPointer<UInt8>, into entries: inout EntryBuilder, isKey: Bool = false) throws {
            position += 1  // the opening quote
            let start = position
            var escaped = false
            // Sixteen bytes at a time (SSE2) while none of them is a quote, a backslash, a control character or
            // (until the string is marked careful) beyond ASCII; a block that holds one moves the scan straight to
            // that byte, which the byte loop below handles (and the scan goes on block by block after an escape or
            // the first byte beyond ASCII). Most strings end within their first block. The scan may read up to 15
            // bytes past the document: the copy is padded with zeros (``JSONTape/padding``), and a zero stops it.
            var blockScan = true
            let base = buffer.baseAddress!
            while true {
                if blockScan {
                    while true {
                        let stops = hl_json_string_stops16(base + position, escaped ? 0 : 1)
                        if stops != 0 {
                            position += stops.trailingZeroBitCount
                            break
                        }
                        position += 16
                    }
                    blockScan = false
                }
                guard position < buffer.count else { throw fail("unterminated string") }
                let byte = buffer[position]
                if byte == UInt8(ascii: "\"") { break }
                if byte < 0x20 { throw fail("control character in a string (it must be escaped)") }
                if byte >= 0x80, !escaped {
                    // A string beyond ASCII is read the careful way: its UTF-8 is checked when it is read (a plain
                    // string is ASCII, so reading it needs no check). A key beyond ASCII also marks its object, so
                    // that opening it checks every key, as JSONDecoder does for each object it decodes.
                    escaped = true
                    blockScan = true
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    blockScan = true
                    position += 1
                    guard position < buffer.count else { throw fail("unterminated string") }
                    switch buffer[position] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        break
                    case UInt8(ascii: "u"):
                        guard buffer.count - position > 4,
                            (1...4).allSatisfy({ JSONTape.hexValue(buffer[position + $0]) != nil })
                        else { throw fail("expected four hex digits after \\u") }
                        position += 4
                    default: throw fail("invalid escape sequence")
                    }
                }
                position += 1
            }
            let index = Int32(entries.count)
            entries.append(Entry(kind: .string, escaped: escaped, start: Int32(start), end: Int32(position), next: index + 1))
            position += 1  // the closing quote
        }

        mutating func parseArray(_ buffer: UnsafeBufferPointer<UInt8>, into entries: inout EntryBuilder, depth: Int) throws {
            guard depth < JSONTape.maximumDepth else { throw fail("nested deeper than \(JSONTape.maximumDepth) levels") }
            let index = entries.count
            entries.append(Entry(kind: .array, escaped: false, start: Int32(position), end: 0, next: 0))
            position += 1
            skipWhitespace(buffer)
            if position < buffer.count, buffer[position] == UInt8(ascii: "]") {
                position += 1
            } else {
                while true {
                    try parseValue(buffer, into: &entries, depth: depth + 1)
                    skipWhitespace(buffer)
                    guard position < buffer.count else { throw fail("expected ',' or ']', found the end of the input") }
                    let byte = buffer[position]
                    position += 1
                    if byte == UInt8(ascii: "]") { break }
                    guard byte == UInt8(ascii: ",") else {
                        position -= 1
                        throw fail("expected ',' or ']'")
                    }
                    skipWhitespace(buffer)
                    if position < buffer.count, buffer[position] == UInt8(ascii: "]") {
                        throw fail("a trailing comma before ']'")
                    }
                }
            }
            entries[index].end = Int32(position)
            entries[index].next = Int32(entries.count)
        }

        mutating func parseObject(_ buffer: UnsafeBufferPointer<UInt8>, into entries: inout EntryBuilder, depth: Int) throws {
            guard depth < JSONTape.maximumDepth else { throw fail("nested deeper than \(JSONTape.maximumDepth) levels") }
            let index = entries.count
            entries.append(Entry(kind: .object, escaped: false, start: Int32(position), end: 0, next: 0))
            position += 1
            skipWhitespace(buffer)
            if position < buffer.count, buffer[position] == UInt8(ascii: "}") {
                position += 1
            } else {
                while true {
                    guard position < buffer.count, buffer[position] == UInt8(ascii: "\"") else {
                        throw fail("expected a quoted key")
                    }
                    try parseString(buffer, into: &entries, isKey: true)
                    skipWhitespace(buffer)
                    guard position < buffer.count, buffer[position] == UInt8(ascii: ":") else {
                        throw fail("expected ':' after a key")
                    }
                    position += 1
                    skipWhitespace(buffer)
                    try parseValue(buffer, into: &entries, depth: depth + 1)
                    skipWhitespace(buffer)
                    guard position < buffer.count else { throw fail("expected ',' or '}', found the end of the input") }
                    let byte = buffer[position]
                    position += 1
                    if byte == UInt8(ascii: "}") { break }
                    guard byte == UInt8(ascii: ",") else {
                        position -= 1
                        throw fail("expected ',' or '}'")
                    }
                    skipWhitespace(buffer)
                    if position < buffer.count, buffer[position] == UInt8(ascii: "}") {
                        throw fail("a trailing comma before '}'")
                    }
                }
            }
            entries[index].end = Int32(position)
            entries[index].next = Int32(entries.count)
            entries[index].escaped = Self.mayRepeatKeys(entries, object: index, buffer)
        }

        /// Whether the object's keys need care: a key repeated byte for byte, an escaped or non-ASCII key (its text is
        /// only known unescaped and checked), or more keys than are worth comparing here (64).
        ///
        /// Each key sets one bit of a 64-bit mask, chosen by its length and its first and last bytes; only a key whose
        /// bit is already set is compared with the keys before it, so an object of distinct keys (nearly every one)
        /// costs a few instructions per key instead of a comparison per pair.
        static func mayRepeatKeys(_ entries: EntryBuilder, object: Int, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
            let end = entries.count
            var key = object + 1
            var keys = 0
            var seen: UInt64 = 0
            while key < end {
                let entry = entries[key]
                if entry.escaped { return true }
                keys += 1
                if keys > 64 { return true }
                let start = Int(entry.start)
                let length = Int(entry.end) - start
                var hash = length
                if length > 0 { hash = hash &* 31 &+ Int(buffer[start]) &* 7 &+ Int(buffer[start + length - 1]) }
                let bit: UInt64 = 1 << UInt64(hash & 63)
                if seen & bit != 0, repeats(entries, key: key, after: object, buffer) { return true }
                seen |= bit
                key = Int(entries[key + 1].next)
            }
            return false
        }

        /// Whether the key at `key` equals, byte for byte, one of the object's keys before it.
        static func repeats(_ entries: EntryBuilder, key: Int, after object: Int, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
            let wanted = entries[key]
            let length = Int(wanted.end - wanted.start)
            var earlier = object + 1
            while earlier < key {
                let entry = entries[earlier]
                if Int(entry.end - entry.start) == length,
                    length == 0 || memcmp(buffer.baseAddress! + Int(wanted.start), buffer.baseAddress! + Int(entry.start), length) == 0
                {
                    return true
                }
                earlier = Int(entries[earlier + 1].next)
            }
            return false
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
