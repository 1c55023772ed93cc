import Foundation

/// Reading one entry of a ``JSONTape`` as a Swift value, and naming where an entry is.
extension JSONTape {
    /// A coding key spelled as the document spells it (object key or array position), for error paths.
    struct Key: CodingKey {
        let stringValue: String
        let intValue: Int?

        init(stringValue: String) {
            self.stringValue = stringValue
            intValue = nil
        }

        init(intValue: Int) {
            stringValue = "Index \(intValue)"
            self.intValue = intValue
        }
    }

    /// The path from the top of the document to entry `target` (keys and array positions), for errors only.
    func path(to target: Int) -> [any CodingKey] {
        var path: [any CodingKey] = []
        var current = 0
        while current != target, current < entries.count {
            let entry = entries[current]
            var child = current + 1
            var position = 0
            var found = false
            while child < Int(entry.next) {
                let value = entry.kind == .object ? child + 1 : child
                if value <= target, target < Int(entries[value].next) {
                    path.append(entry.kind == .object ? Key(stringValue: keyText(child)) : Key(intValue: position))
                    current = value
                    found = true
                    break
                }
                child = Int(entries[value].next)
                position += 1
            }
            if !found { break }
        }
        return path
    }

    /// A key's text for messages; undecodable bytes are shown replaced, never thrown on.
    func keyText(_ index: Int) -> String {
        (try? string(at: index)) ?? String(decoding: bytes[Int(entries[index].start)..<Int(entries[index].end)], as: UTF8.self)
    }

    /// What an entry is, in a type mismatch message.
    func kindDescription(_ index: Int) -> String {
        switch entries[index].kind {
        case .null: return "null"
        case .true, .false: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Checks every key of an object whose keys need care (`JSONDecoder` makes each key of an object it decodes a
    /// `String`, so a key that is not valid text fails there, whether the model wants it or not).
    /// - Throws: `DecodingError.dataCorrupted` at the object, naming the key's byte offset.
    func checkKeys(of object: Int) throws {
        guard entries[object].escaped else { return }
        let end = Int(entries[object].next)
        var child = object + 1
        while child < end {
            if entries[child].escaped {
                do {
                    _ = try string(at: child)
                } catch let error as TextError {
                    throw TapeDecoder(tape: self, index: object).corrupted("the key at byte \(entries[child].start): \(error.message)")
                }
            }
            child = Int(entries[child + 1].next)
        }
    }

    /// Whether the key entry `key` of `object` is the first with its text: `JSONDecoder` reads the first occurrence of
    /// a repeated key and ignores the others. Only called for objects whose keys may repeat (rare: Docker never
    /// repeats a key), so it compares texts plainly.
    func firstOccurrence(of key: Int, in object: Int) -> Bool {
        let text = keyText(key)
        var child = object + 1
        while child < key {
            if keyText(child) == text { return false }
            child = Int(entries[child + 1].next)
        }
        return true
    }

    /// Whether the careful (escaped or non-ASCII) key at `index` reads, unescaped, as `wanted` (UTF-8); plain keys
    /// are compared byte for byte by ``TapeView/key(at:equals:)``, which calls this for the others.
    func carefulKey(at index: Int, equals wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let text = try? string(at: index) else { return false }
        return text.utf8.elementsEqual(wanted)
    }

    /// The string entry at `index`, unescaped.
    /// - Throws: ``TextError`` for invalid UTF-8 or a lone surrogate escape.
    func string(at index: Int) throws -> String {
        let entry = entries[index]
        let start = Int(entry.start)
        let end = Int(entry.end)
        if !entry.escaped {
            // Plain ASCII (the parser marks anything else careful): nothing to check, and `String(decoding:as:)` is
            // specialized here, where the generic `String(validating:as:)` looked up type metadata on every call
            // (a tenth of a listing's decoding instructions).
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(end - start)
        var position = start
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 << 4 | (JSONTape.hexValue(bytes[at + $1]) ?? 0) }
        }
        while position < end {
            let byte = bytes[position]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                position += 1
                continue
            }
            let escape = bytes[position + 1]
            position += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(position)
                position += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard position + 6 <= end, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
                    else { throw TextError(message: "a \\u escape is an unpaired surrogate") }
                    let low = hex4(position + 2)
                    guard (0xDC00..<0xE000).contains(low) else { throw TextError(message: "a \\u escape is an unpaired surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    position += 6
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw TextError(message: "a \\u escape is an unpaired surrogate")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw TextError(message: "a \\u escape is not a character") }
                output.append(contentsOf: UTF8.encode(unicode).map(Array.init) ?? [])
            default: output.append(escape)  // \" \\ \/
            }
        }
        guard let text = String(validating: output, as: UTF8.self) else {
            throw TextError(message: "the string is not valid UTF-8")
        }
        return text
    }

    /// The number entry at `index` as an integer of type `T`.
    /// - Throws: ``TextError`` when it has a fraction or does not fit.
    func integer<T: FixedWidthInteger>(_ type: T.Type, at index: Int) throws -> T {
        let entry = entries[index]
        var position = Int(entry.start)
        let end = Int(entry.end)
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var value: T = 0
        var fast = true
        while position < end {
            let byte = bytes[position]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                fast = false
                break
            }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let digit = T(truncatingIfNeeded: byte &- UInt8(ascii: "0"))
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else {
                // Too many digits for `T`, though an exponent may follow (`90071992547409930000e-3`): the slow path.
                fast = false
                break
            }
            value = next
            position += 1
        }
        if fast { return value }
        // A fraction or exponent, read as Foundation's JSONDecoder reads it: the number as a Double must be a whole
        // number of the type (so `5.0` and `1.0000000000000001` pass, `1e-400` is 0 and `0.5` fails). Below 2^53
        // that Double is the value; from 2^53 up, where Doubles are 2 or more apart, the text is read again as a
        // decimal and its fraction dropped, so `9007199254740993.0` is 9007199254740993 and `99999999999999999.9`
        // is 99999999999999999 (fuzz-docker-models found the difference when the tape returned the Double).
        guard let double = Double(numberText(index)), let exact = T(exactly: double) else {
            throw TextError(message: "the number \(numberText(index)) does not fit in \(T.self)")
        }
        if double.magnitude < 0x1p53 { return exact }
        guard let whole = wholePart(of: index, as: T.self) else {
            throw TextError(message: "the number \(numberText(index)) does not fit in \(T.self)")
        }
        return whole
    }

    /// The number entry at `index` without its fraction, as Foundation's `Decimal` and its integer conversion give
    /// it: the digits go into a 128-bit significand until the next one would not fit (later fraction digits are
    /// dropped, later integer digits raise the exponent), trailing zeros are removed, the significand must then fit
    /// in 64 bits, and the exponent is applied by whole multiplications or truncating divisions by ten. Foundation
    /// stops the process where the decimal's exponent leaves -128...127 (a number of more than 110 digits); the
    /// tape reads such a number by the same rule instead. `nil` where the value does not fit in `T`.
    private func wholePart<T: FixedWidthInteger>(of index: Int, as type: T.Type) -> T? {
        let entry = entries[index]
        var position = Int(entry.start)
        let end = Int(entry.end)
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var significand: UInt128 = 0
        var exponent = 0
        var full = false
        var inFraction = false
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if !full {
                    let (shifted, overflow1) = significand.multipliedReportingOverflow(by: 10)
                    let (next, overflow2) = shifted.addingReportingOverflow(UInt128(byte &- UInt8(ascii: "0")))
                    if overflow1 || overflow2 { full = true } else { significand = next }
                    if !full && inFraction { exponent -= 1 }
                }
                if full && !inFraction { exponent += 1 }
            } else {
                break  // e or E
            }
            position += 1
        }
        if position < end {
            // The exponent: the value is below 2^64 here, so one that does not fit in an Int is not reached.
            position += 1
            var exponentNegative = false
            if bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
                exponentNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            var written = 0
            while position < end {
                written = min(written * 10 + Int(bytes[position] &- UInt8(ascii: "0")), 1 << 40)
                position += 1
            }
            exponent += exponentNegative ? -written : written
        }
        while significand != 0, significand % 10 == 0 {
            significand /= 10
            exponent += 1
        }
        guard var magnitude = UInt64(exactly: significand) else { return nil }
        if magnitude == 0 { return 0 }
        if exponent < 0 {
            for _ in 0..<min(-exponent, 20) { magnitude /= 10 }
        } else {
            for _ in 0..<exponent {
                let (next, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                magnitude = next
            }
        }
        if negative {
            guard T.isSigned, let value = T(exactly: magnitude) else { return nil }
            return 0 - value
        }
        return T(exactly: magnitude)
    }

    /// The number entry at `index` as a `Double`. As with `JSONDecoder`, one beyond its range fails: too large
    /// (`1e400`, which Swift's `Double(String)` makes infinite; fuzz-docker-models found the difference) or so
    /// small that it rounds to zero though its digits are not all zero (`1e-400`); subnormals such as `1e-310` pass.
    func double(at index: Int) throws -> Double {
        let text = numberText(index)
        guard let value = Double(text), value.isFinite, value != 0 || !Self.hasNonZeroDigit(text) else {
            throw TextError(message: "the number \(text) does not fit in a Double")
        }
        return value
    }

    /// Whether the number's digits before any exponent are not all zero.
    private static func hasNonZeroDigit(_ text: String) -> Bool {
        for byte in text.utf8 {
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return false }
            if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") { return true }
        }
        return false
    }

    /// The number entry's text as written.
    func numberText(_ index: Int) -> String {
        String(decoding: bytes[Int(entries[index].start)..<Int(entries[index].end)], as: UTF8.self)
    }

    /// A value whose bytes are JSON but not a valid Swift value (bad UTF-8, number out of range).
    struct TextError: Error {
        let message: String
    }
}
