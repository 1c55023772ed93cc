
/// Removes secrets from headers, URLs and free text before they reach a log line or an error.
///
/// Three layers: headers known to carry credentials, query parameters and keys named like
/// secrets, and a process-wide set of secret values registered by ``Secret`` (so a token echoed
/// back inside a server's error message is masked as well).
public enum Redaction {
    /// What a redacted value is replaced with.
    public static let placeholder = "<redacted>"

    private static let registered = Locked<Set<String>>([])

    /// Header names whose values are always secret (lower-cased).
    static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "x-api-secret", "x-auth-token",
        "cookie", "set-cookie", "x-registry-auth", "x-vault-token", "csrfpreventiontoken",
    ]

    private static let secretNameFragments = [
        "token", "secret", "password", "passwd", "passphrase", "apikey", "api_key", "api-key",
        "credential", "signature", "private", "cookie", "session", "auth",
    ]
    private static let secretExactNames: Set<String> = ["key", "sig", "pass", "pwd", "pw", "ticket", "otp"]

    /// Registers a secret value so ``redactText(_:)`` masks it wherever it appears.
    /// Values shorter than 4 characters are not registered (they would mask ordinary words).
    public static func register(secret value: String) {
        guard value.count >= 4 else { return }
        _ = registered.withLock { $0.insert(value) }
    }

    /// Whether a header, query parameter or key with this name carries a secret.
    public static func isSecretName(_ name: String) -> Bool {
        let lower = name.lowercased()
        if secretHeaders.contains(lower) || secretExactNames.contains(lower) { return true }
        return secretNameFragments.contains { lower.contains($0) }
    }

    /// The header value to log: `<redacted>` for credentials, the value otherwise (still text-redacted).
    public static func redactHeader(name: String, value: String) -> String {
        isSecretName(name) ? placeholder : redactText(value)
    }

    /// A URL or path with userinfo passwords and secret-named query values replaced.
    public static func redactURL(_ url: String) -> String {
        var text = url
        // userinfo: scheme://user:password@host
        if let schemeEnd = text.firstRange(of: "://") {
            let afterScheme = text[schemeEnd.upperBound...]
            let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? text.endIndex
            let authority = text[schemeEnd.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: placeholder)
            }
        }
        if let q = text.firstIndex(of: "?") {
            let fragmentStart = text[q...].firstIndex(of: "#") ?? text.endIndex
            let query = text[text.index(after: q)..<fragmentStart]
            let redacted = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
                let name = String(pair[..<eq]).removingPercentEncodingLossy()
                return isSecretName(name) ? "\(pair[..<eq])=\(placeholder)" : String(pair)
            }.joined(separator: "&")
            text.replaceSubrange(text.index(after: q)..<fragmentStart, with: redacted)
        }
        return redactText(text)
    }

    /// `text` with every registered secret value masked, and nothing else changed (for what a command prints:
    /// unlike ``redactText(_:)`` it leaves words after "token " alone).
    public static func maskRegisteredSecrets(_ text: String) -> String {
        var out = text
        for value in registered.withLock({ $0 }) where out.contains(value) {
            out = out.replacingAll(value, with: placeholder)
        }
        return out
    }

    /// Free text with every registered secret value and `Bearer`/`Basic` credential masked.
    public static func redactText(_ text: String) -> String {
        var out = text
        let values = registered.withLock { $0 }
        for value in values where out.contains(value) {
            out = out.replacingAll(value, with: placeholder)
        }
        for scheme in ["Bearer ", "Basic ", "bearer ", "basic ", "Token ", "token "] {
            out = out.maskingWord(after: scheme)
        }
        return out
    }
}

extension String {
    static let wordTerminators: Set<Character> = [" ", "\"", "'", ",", "\n", ";"]

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let r = rest.firstRange(of: target) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        result += rest
        return result
    }

    /// Replaces the run of non-space characters after each occurrence of `prefix`.
    func maskingWord(after prefix: String) -> String {
        guard contains(prefix) else { return self }
        var result = ""
        var rest = self[...]
        while let r = rest.firstRange(of: prefix) {
            result += rest[..<r.upperBound]
            let tail = rest[r.upperBound...]
            let end = tail.firstIndex(where: String.wordTerminators.contains) ?? tail.endIndex
            if end > tail.startIndex, tail[tail.startIndex..<end] != Redaction.placeholder {
                result += Redaction.placeholder
            } else {
                result += tail[tail.startIndex..<end]
            }
            rest = tail[end...]
        }
        result += rest
        return result
    }

    func removingPercentEncodingLossy() -> String {
        var bytes: [UInt8] = []
        var it = utf8.makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "%"), let h = it.next(), let l = it.next(),
                let v = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16)
            {
                bytes.append(v)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
