/// Syntax checks for the addresses an inventory holds: URLs, host names, IP addresses.
///
/// Messages never repeat a whole URL (its query or userinfo may hold a credential).
enum AddressSyntax {
    /// The parts of a URL that the checks need.
    struct URLParts: Equatable {
        var scheme: String
        var host: String
        var port: Int?
    }

    /// Checks `text` is `scheme://host[:port][/path][?query]` with one of `schemes`.
    /// Returns the parts, or a message saying what is wrong.
    static func parseURL(_ text: String, schemes: [String]) -> Result<URLParts, URLProblem> {
        let expected = "expected a URL starting with " + schemes.map { $0 + "://" }.joined(separator: " or ")
        guard let separator = text.firstRange(of: "://") else {
            return .failure(URLProblem(message: expected))
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard schemes.contains(scheme) else {
            let got = scheme.isEmpty ? "a URL without a scheme" : "a '\(scheme.prefix(20))://' URL"
            return .failure(URLProblem(message: expected + ", got " + got))
        }
        guard !text.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else {
            return .failure(URLProblem(message: "a URL cannot contain spaces"))
        }
        let rest = text[separator.upperBound...]
        if let query = rest.firstIndex(of: "?") {
            let end = rest[query...].firstIndex(of: "#") ?? rest.endIndex
            let names = rest[rest.index(after: query)..<end].split(separator: "&").map { $0.prefix { $0 != "=" } }
            if let name = names.first(where: { Redaction.isSecretName(String($0)) }) {
                return .failure(URLProblem(
                    message: "the URL's query parameter '\(name.prefix(40))' holds a credential, and "
                        + CredentialReference.literalSecretMessage + " (put it under credentials)",
                    isLiteralSecret: true))
            }
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            if authority[..<at].contains(":") {
                return .failure(URLProblem(
                    message: "the URL holds a password, and " + CredentialReference.literalSecretMessage
                        + " (put it under credentials)",
                    isLiteralSecret: true))
            }
            authority = authority[authority.index(after: at)...]
        }
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                return .failure(URLProblem(message: "the URL's IPv6 host has no closing ']'"))
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let afterHost = authority[authority.index(after: close)...]
            if afterHost.hasPrefix(":") { portText = afterHost.dropFirst() } else if !afterHost.isEmpty {
                return .failure(URLProblem(message: "unexpected text after the URL's IPv6 host"))
            }
            guard isIPv6(String(host)) else { return .failure(URLProblem(message: "the URL's IPv6 host is malformed")) }
        } else {
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            }
            guard !host.isEmpty else { return .failure(URLProblem(message: "the URL has no host")) }
            guard isHostName(String(host)) || isIPv4(String(host)) else {
                return .failure(URLProblem(message: "the URL's host '\(host.prefix(60))' is not a valid host name"))
            }
        }
        var port: Int?
        if let portText {
            guard !portText.isEmpty, portText.count <= 6, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let number = Int(portText), (1...65535).contains(number)
            else {
                return .failure(URLProblem(message: "the URL's port must be a number between 1 and 65535, got '\(portText.prefix(12))'"))
            }
            port = number
        }
        return .success(URLParts(scheme: scheme, host: String(host), port: port))
    }

    /// What is wrong with a URL.
    struct URLProblem: Error, Equatable {
        var message: String
        var isLiteralSecret = false
    }

    /// Whether `host` is a DNS name: dot-separated labels of letters, digits, `-` and `_`, none empty,
    /// none starting or ending with `-`, at most 63 characters each and 253 in all.
    static func isHostName(_ host: String) -> Bool {
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        guard !name.isEmpty, name.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        // An all-numeric dotted name is meant as an IPv4 address and is checked as one.
        if labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }

    /// Whether `text` is a dotted-quad IPv4 address.
    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber }
                    && (Int(part) ?? 256) <= 255 && (part.count == 1 || !part.hasPrefix("0"))
            }
    }

    /// Whether `text` looks like an IPv6 address (hex groups and colons, at most one `::`, an optional IPv4 tail).
    static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":"), text.count <= 45 else { return false }
        let doubleColons = text.ranges(of: "::").count
        guard doubleColons <= 1 else { return false }
        var groups = text.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        if let last = groups.last, last.contains(".") {
            guard isIPv4(last) else { return false }
            groups.removeLast()
            groups += ["0", "0"]
        }
        guard groups.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isHexDigit) }) else { return false }
        return doubleColons == 1 ? groups.count < 8 : groups.count == 8
    }

    /// Whether `host` is a name for this machine (`localhost`, `127.x.x.x`, `::1`).
    static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower.hasSuffix(".localhost") || lower == "::1"
            || (isIPv4(lower) && lower.hasPrefix("127."))
    }
}
