import Foundation
import TOMLKit

/// Reading a TOML document into ``Komodo/ConfigValue``s, and finding the line each key was written on.
///
/// TOMLKit (toml++) reports the line and column of a syntax error but no positions for values, and orders a table's
/// keys alphabetically; so a light scan of the source maps every table header (`[[stack]]`, `[stack.config]`) and
/// every `key = ...` line to its path. Precision: the exact line for each key written on a line of its own (dotted
/// keys included) and for each header; a key inside an inline table (`config = { server = "x" }`) or an array
/// element is located at the line of the key that holds it.
enum KomodoTOMLSource {
    /// One step of a path: a table key or an array index.
    enum Step: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    /// The document as a value tree.
    /// - Throws: `TOMLParseError` (with its line and column) for a document that is not TOML.
    static func parse(_ text: String) throws -> [String: Komodo.ConfigValue] {
        try checkTableHeaders(text)
        let table = try TOMLTable(string: text)
        return convert(table)
    }

    /// A table header whose first key character is neither a bare-key character nor a quote, as in `[!` or `[[ .a]]`.
    struct HeaderError: Error, CustomStringConvertible {
        let line: Int
        let column: Int
        let description: String
    }

    /// Refuses what toml++ (inside TOMLKit) cannot be given: a table header (`[` or `[[` opening a line, outside any
    /// value) whose key starts with anything but a bare-key character or a quote makes its `parse_key` fail an
    /// assertion and abort the process (or, built with `NDEBUG`, assume the impossible); found by
    /// `Fuzz/Sources/fuzz-resource-sync`. Strings, comments and multi-line arrays are skipped, so a `[` that opens an
    /// array element on its own line is not a header. Also refused: an array whose element would start with `}` or `,`
    /// (`after = [}`, `[1, , 2]`), which fails toml++'s assertion in `parse_value` the same way (fuzz-resource-sync
    /// again, session 13). And a value that starts as a date-time (`1979-05-27T`) but has no digit right after its
    /// `T`, such as `1979-05-27Tx7:32:00`, which fails the assertion that opens toml++'s `parse_time`
    /// (fuzz-resource-sync, session 14).
    static func checkTableHeaders(_ text: String) throws {
        let bytes = Array(text.utf8)
        var index = 0, line = 1, lineStart = 0, atLineStart = true
        // The brackets and braces open here, and whether an array's element comes next (after its `[` or a comma).
        var open: [UInt8] = []
        var elementNext = false
        // Whether a value comes next (after a key's `=`).
        var valueNext = false
        func isDigit(_ offset: Int) -> Bool { offset < bytes.count && bytes[offset] >= 0x30 && bytes[offset] <= 0x39 }
        func checkDateTime(at start: Int) throws {
            let dateShape = (0..<10).allSatisfy { position in
                position == 4 || position == 7 ? start + position < bytes.count && bytes[start + position] == 0x2D : isDigit(start + position)
            }
            guard dateShape, start + 10 < bytes.count, bytes[start + 10] == 0x54 || bytes[start + 10] == 0x74 else { return }
            if !isDigit(start + 11) {
                throw HeaderError(
                    line: line, column: start + 11 - lineStart + 1,
                    description: "a date-time needs its time right after the 'T' (as in 1979-05-27T07:32:00)")
            }
        }
        func isBare(_ byte: UInt8) -> Bool {
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x5F || byte == 0x2D
        }
        func skip(past delimiter: [UInt8], escapes: Bool, singleLine: Bool) {
            while index < bytes.count {
                let byte = bytes[index]
                if singleLine && byte == 0x0A { return }
                if byte == 0x0A { line += 1; lineStart = index + 1 }
                if escapes && byte == 0x5C { index += 2; continue }
                if bytes[index...].starts(with: delimiter) { index += delimiter.count; return }
                index += 1
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if elementNext, byte != 0x0A, byte != 0x20, byte != 0x09, byte != 0x0D, byte != 0x23 {
                elementNext = false
                if byte == 0x7D || byte == 0x2C {
                    throw HeaderError(
                        line: line, column: index - lineStart + 1,
                        description: "an array element is missing before '\(byte == 0x7D ? "}" : ",")'")
                }
                try checkDateTime(at: index)
            }
            if valueNext, byte != 0x20, byte != 0x09 {
                valueNext = false
                try checkDateTime(at: index)
            }
            switch byte {
            case 0x0A:
                line += 1; lineStart = index + 1; atLineStart = true; index += 1
                continue
            case 0x3D:  // '=' after a key: its value follows
                valueNext = true
            case 0x20, 0x09, 0x0D:
                index += 1
                continue
            case 0x23:  // '#': a comment runs to the end of the line
                while index < bytes.count && bytes[index] != 0x0A { index += 1 }
                continue
            case 0x5B where atLineStart && open.isEmpty:  // '[' opening a line: a table header
                var next = index + 1
                let double = next < bytes.count && bytes[next] == 0x5B
                if double { next += 1 }
                while next < bytes.count && (bytes[next] == 0x20 || bytes[next] == 0x09) { next += 1 }
                if next < bytes.count {
                    let first = bytes[next]
                    guard isBare(first) || first == 0x22 || first == 0x27 || (!double && first == 0x5B) else {
                        throw HeaderError(
                            line: line, column: next - lineStart + 1,
                            description: "a table header must start with a key (a bare key or a quoted one)")
                    }
                }
                while index < bytes.count && bytes[index] != 0x0A { index += 1 }
                continue
            case 0x22:  // '"'
                atLineStart = false
                if bytes[index...].starts(with: [0x22, 0x22, 0x22]) {
                    index += 3; skip(past: [0x22, 0x22, 0x22], escapes: true, singleLine: false)
                } else {
                    index += 1; skip(past: [0x22], escapes: true, singleLine: true)
                }
                continue
            case 0x27:  // "'"
                atLineStart = false
                if bytes[index...].starts(with: [0x27, 0x27, 0x27]) {
                    index += 3; skip(past: [0x27, 0x27, 0x27], escapes: false, singleLine: false)
                } else {
                    index += 1; skip(past: [0x27], escapes: false, singleLine: true)
                }
                continue
            case 0x5B:
                open.append(byte); elementNext = true
            case 0x7B:
                open.append(byte)
            case 0x5D, 0x7D:
                _ = open.popLast()
            case 0x2C where open.last == 0x5B: elementNext = true
            default: break
            }
            atLineStart = false
            index += 1
        }
    }

    static func convert(_ table: TOMLTable) -> [String: Komodo.ConfigValue] {
        var fields: [String: Komodo.ConfigValue] = [:]
        for key in table.keys {
            if let value = table[key] { fields[key] = convert(value) }
        }
        return fields
    }

    static func convert(_ value: any TOMLValueConvertible) -> Komodo.ConfigValue {
        switch value.type {
        case .table:
            return .table(value.table.map { convert($0) } ?? [:])
        case .array:
            guard let array = value.array else { return .array([]) }
            return .array(array.map { convert($0) })
        case .string: return .string(value.string ?? "")
        case .int: return .integer(Int64(value.int ?? 0))
        case .double: return .number(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .date, .time, .dateTime: return .datetime(value.debugDescription)
        }
    }

    /// The line (1-based) each header and key of `text` was written on, by path.
    static func lines(of text: String) -> [[Step]: Int] {
        var found: [[Step]: Int] = [:]
        var arrayCounts: [[Step]: Int] = [:]
        var current: [Step] = []
        var multiline: String?
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            var line = Substring(raw)
            if let delimiter = multiline {
                if line.range(of: delimiter) != nil { multiline = nil }
                continue
            }
            line = line.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") {
                guard let close = line.range(of: "]]") else { continue }
                let keys = splitKey(line[line.index(line.startIndex, offsetBy: 2)..<close.lowerBound])
                let parent = resolve(Array(keys.dropLast()), counts: arrayCounts)
                let arrayPath = parent + keys.suffix(1).map(Step.key)
                let index = arrayCounts[arrayPath, default: 0]
                arrayCounts[arrayPath] = index + 1
                current = arrayPath + [.index(index)]
                found[current] = number
                if found[arrayPath] == nil { found[arrayPath] = number }
                continue
            }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { continue }
                current = resolve(splitKey(line[line.index(after: line.startIndex)..<close]), counts: arrayCounts)
                if found[current] == nil { found[current] = number }
                continue
            }
            guard let equals = keyEnd(line) else { continue }
            let keys = splitKey(line[..<equals])
            guard !keys.isEmpty else { continue }
            var path = current
            for key in keys {
                path.append(.key(key))
                if found[path] == nil { found[path] = number }
            }
            let value = line[line.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            for delimiter in ["\"\"\"", "'''"] where value.hasPrefix(delimiter) {
                let rest = value.dropFirst(3)
                if rest.range(of: delimiter) == nil { multiline = delimiter }
            }
        }
        return found
    }

    /// The line of `path`, or of the nearest enclosing path written in the source.
    static func line(of path: [Step], in lines: [[Step]: Int]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let line = lines[path] { return line }
            path.removeLast()
        }
        return nil
    }

    /// `a.b` in a header, with array-of-tables steps given their current index (`stack.config` → stack, 3, config).
    private static func resolve(_ keys: [String], counts: [[Step]: Int]) -> [Step] {
        var path: [Step] = []
        for key in keys {
            path.append(.key(key))
            if let count = counts[path], count > 0 { path.append(.index(count - 1)) }
        }
        return path
    }

    /// Where the `=` of a `key = value` line is, outside quotes; `nil` when the line has none.
    private static func keyEnd(_ line: Substring) -> Substring.Index? {
        var quote: Character?
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "=" {
                return index
            } else if character == "#" {
                return nil
            }
        }
        return nil
    }

    /// `a."b.c". d` → `["a", "b.c", "d"]`.
    private static func splitKey(_ text: Substring) -> [String] {
        var keys: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                keys.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        keys.append(current.trimmingCharacters(in: .whitespaces))
        return keys.filter { !$0.isEmpty }
    }
}
