/// An image reference split into its parts: `registry:5000/team/app:1.2@sha256:…`.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// Registry, path and name: `registry:5000/team/app`, `lscr.io/linuxserver/sonarr`, `busybox`.
    public var repository: String
    /// The tag, e.g. `1.2`; `nil` when not written.
    public var tag: String?
    /// The digest, e.g. `sha256:…`; `nil` when not written.
    public var digest: String?

    /// Splits `text`; `nil` when it is not a valid reference (empty parts, whitespace, an upper-case
    /// repository path, a tag Docker would refuse, a malformed digest).
    public init?(_ text: String) {
        guard !text.isEmpty, !text.contains(where: { $0.isWhitespace }) else { return nil }
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            let digest = rest[rest.index(after: at)...]
            guard Self.isDigest(digest) else { return nil }
            self.digest = String(digest)
            rest = rest[..<at]
        }
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let tag = rest[rest.index(after: colon)...]
            guard Self.isTag(tag) else { return nil }
            self.tag = String(tag)
            rest = rest[..<colon]
        }
        guard !rest.isEmpty, !rest.hasPrefix("/"), !rest.hasSuffix("/"), !rest.contains("//") else { return nil }
        // The registry host (before the first '/', when it has a '.' or ':' or is localhost) may use upper case.
        let components = rest.split(separator: "/")
        let hasRegistry =
            components.count > 1
            && (components[0].contains(".") || components[0].contains(":") || components[0] == "localhost")
        let path = hasRegistry ? components.dropFirst() : components[...]
        let pathCharacters: Set<Character> = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard path.allSatisfy({ !$0.isEmpty && $0.allSatisfy(pathCharacters.contains) }) else { return nil }
        repository = String(rest)
    }

    /// A tag: a word character first, then up to 127 of letters, digits, `_`, `.` and `-`.
    static func isTag(_ text: Substring) -> Bool {
        guard let first = text.first, text.count <= 128, first.isASCII, first.isLetter || first.isNumber || first == "_" else {
            return false
        }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }

    /// `algorithm:hex` with at least 32 hex digits.
    static func isDigest(_ text: Substring) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-_".contains($0)) })
        else { return false }
        return parts[1].count >= 32 && parts[1].allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// `repository[:tag][@digest]`.
    public var description: String {
        repository + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "")
    }
}
