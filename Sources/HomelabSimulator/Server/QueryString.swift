/// A query string decoded as Go's `net/url.ParseQuery` decodes it (the daemons the simulator stands in for are
/// written in Go): pairs split on `&`, `+` is a space, `%XX` is a byte, a key may repeat. A pair with a `;` or
/// a malformed escape is skipped, as Go skips it.
///
/// Python's `urllib.parse.urlencode` (the docker SDK, requests) writes spaces as `+`; reading them as spaces is
/// what makes `filters={"service":+["ID"]}` the JSON the client meant.
struct QueryString: Sendable, Hashable {
    /// Every value of every key, in the order given.
    private(set) var values: [String: [String]] = [:]

    /// Decodes `raw`, the part of the target after `?` (absent: no parameters).
    init(_ raw: String?) {
        guard let raw else { return }
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            guard !pair.contains(";") else { continue }
            let equals = pair.firstIndex(of: "=")
            let rawKey = equals.map { pair[..<$0] } ?? pair
            let rawValue = equals.map { pair[pair.index(after: $0)...] } ?? ""
            guard let key = Self.unescape(rawKey), let value = Self.unescape(rawValue) else { continue }
            values[key, default: []].append(value)
        }
    }

    /// The first value of `name` (Go's `Values.Get`), `nil` when the key is absent.
    subscript(name: String) -> String? { values[name]?.first }

    /// Every value of `name`, in order (empty when absent).
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// `QueryUnescape`: `+` becomes a space, `%XX` the byte XX; `nil` for a `%` not followed by two hex digits.
    static func unescape(_ text: Substring) -> String? {
        guard text.contains(where: { $0 == "%" || $0 == "+" }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
