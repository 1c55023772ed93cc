/// An HTTP method.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }
    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let options = HTTPMethod(rawValue: "OPTIONS")
    /// GET, HEAD, PUT, DELETE and OPTIONS may be retried safely (RFC 9110 §9.2.2).
    public var isIdempotent: Bool { ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(rawValue) }
    public var description: String { rawValue }
}

/// Ordered, case-insensitive HTTP header fields.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    private var fields: [(name: String, value: String)] = []

    public init() {}
    public init(dictionaryLiteral elements: (String, String)...) {
        for (n, v) in elements { add(name: n, value: v) }
    }

    /// Appends a field (keeps any existing field of the same name).
    public mutating func add(name: String, value: String) { fields.append((name, value)) }
    /// Replaces every field of this name with one field.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        fields.append((name, value))
    }
    /// Removes every field of this name.
    public mutating func remove(name: String) {
        fields.removeAll { $0.name.caseInsensitiveEquals(name) }
    }
    /// The first value of a field, matched case-insensitively.
    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }
    /// Every value of a field.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }
    public var count: Int { fields.count }
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
    public func hash(into h: inout Hasher) {
        for f in fields {
            h.combine(f.name)
            h.combine(f.value)
        }
    }

    /// The fields with credential values replaced, for logs.
    public var redacted: [(name: String, value: String)] {
        fields.map { ($0.name, Redaction.redactHeader(name: $0.name, value: $0.value)) }
    }
}

extension String {
    /// Equal ignoring case. Header names are ASCII tokens (RFC 9110 §5.1), compared byte by byte with ASCII letters
    /// folded, without allocating; only text with other characters goes through Unicode lowercasing.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        func folded(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        if utf8.count == other.utf8.count, zip(utf8, other.utf8).allSatisfy({ $0 == $1 || folded($0) == folded($1) }) {
            return true
        }
        if utf8.allSatisfy({ $0 < 0x80 }) && other.utf8.allSatisfy({ $0 < 0x80 }) { return false }
        return count == other.count && lowercased() == other.lowercased()
    }
}

/// A request relative to an ``Endpoint``.
public struct HTTPRequest: Sendable, Hashable {
    /// The method.
    public var method: HTTPMethod
    /// Path below the endpoint's base, including any query string (`/v1.44/services?status=true`).
    public var path: String
    /// Header fields.
    public var headers: HTTPHeaders
    /// The body, sent as is.
    public var body: [UInt8]?
    /// Per-request override of the transport's total timeout; `.none` for endless streams.
    public var timeout: Timeout
    /// A non-idempotent request that only reads (Komodo's `POST /read`, a JSON-RPC query): the retry middleware
    /// may retry it like a GET. Off by default; a client opts in per call.
    public var retryAsRead = false

    /// How long the whole request may take.
    public enum Timeout: Sendable, Hashable {
        /// The client's configured total timeout.
        case `default`
        /// No total timeout (log follow, event streams); the connect timeout still applies.
        case none
        /// This many seconds.
        case seconds(Double)
    }

    public init(
        method: HTTPMethod = .get, path: String, headers: HTTPHeaders = [:], body: [UInt8]? = nil,
        timeout: Timeout = .default
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// Appends query items, percent-encoding them.
    public mutating func addQuery(_ items: [(String, String)]) {
        guard !items.isEmpty else { return }
        let encoded = items.map { "\($0.0.percentEncodedQueryComponent)=\($0.1.percentEncodedQueryComponent)" }
        path += (path.contains("?") ? "&" : "?") + encoded.joined(separator: "&")
    }

    /// The method and the redacted path, for logs and errors.
    public var redactedSummary: HomelabError.Request {
        HomelabError.Request(method: method.rawValue, redactedPath: Redaction.redactURL(path))
    }
}

extension String {
    /// Percent-encodes everything outside RFC 3986's unreserved set.
    public var percentEncodedQueryComponent: String {
        var out = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

/// A fully received response.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// Response header fields.
    public var headers: HTTPHeaders
    /// The whole body.
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
