import Foundation
extension Matchbox {
    /// A hardware address as matchbox reads one (Go's `net.ParseMAC`): 6, 8 or 20 bytes written as hex pairs
    /// separated by `:` or `-` (`52-54-00-AB-CD-EF`) or as groups of four separated by `.` (`5254.00ab.cdef`).
    /// Its ``description`` is matchbox's form: lower-case hex pairs joined by `:`.
    public struct MAC: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
        /// The bytes.
        public let bytes: [UInt8]

        /// Parses `text`; `nil` when it is not a MAC in one of the accepted forms.
        public init?(_ text: String) {
            let chars = Array(text.utf8)
            guard chars.count >= 14 else { return nil }
            var bytes: [UInt8] = []
            if chars[2] == UInt8(ascii: ":") || chars[2] == UInt8(ascii: "-") {
                guard (chars.count + 1) % 3 == 0 else { return nil }
                let count = (chars.count + 1) / 3
                guard [6, 8, 20].contains(count) else { return nil }
                let separator = chars[2]
                for index in 0..<count {
                    let offset = index * 3
                    guard let byte = Self.hexByte(chars[offset], chars[offset + 1]) else { return nil }
                    if index < count - 1, chars[offset + 2] != separator { return nil }
                    bytes.append(byte)
                }
            } else if chars[4] == UInt8(ascii: ".") {
                guard (chars.count + 1) % 5 == 0 else { return nil }
                let count = 2 * (chars.count + 1) / 5
                guard [6, 8, 20].contains(count) else { return nil }
                for group in 0..<(count / 2) {
                    let offset = group * 5
                    guard let high = Self.hexByte(chars[offset], chars[offset + 1]),
                        let low = Self.hexByte(chars[offset + 2], chars[offset + 3])
                    else { return nil }
                    if group < count / 2 - 1, chars[offset + 4] != UInt8(ascii: ".") { return nil }
                    bytes += [high, low]
                }
            } else {
                return nil
            }
            self.bytes = bytes
        }

        /// `52:54:00:ab:cd:ef`.
        public var description: String {
            bytes.map { byte in
                let text = String(byte, radix: 16)
                return text.count == 1 ? "0" + text : text
            }.joined(separator: ":")
        }

        /// iPXE's `${mac:hexhyp}`: `52-54-00-ab-cd-ef`.
        public var hyphenated: String { description.replacingOccurrences(of: ":", with: "-") }

        public static func < (lhs: MAC, rhs: MAC) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let mac = MAC(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a MAC address"))
            }
            self = mac
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }

        private static func hexByte(_ high: UInt8, _ low: UInt8) -> UInt8? {
            guard let h = hexDigit(high), let l = hexDigit(low) else { return nil }
            return h << 4 | l
        }

        private static func hexDigit(_ char: UInt8) -> UInt8? {
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return char - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
    }
}
