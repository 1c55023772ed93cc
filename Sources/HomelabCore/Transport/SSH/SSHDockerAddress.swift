import Foundation

/// What a docker `ssh://[user@]host[:port][/remote/socket/path]` address says, parsed with the docker CLI's rules.
///
/// A password, a query string or a fragment is refused (the CLI refuses them too). A path names the daemon's
/// socket on the remote host; without one (or with a bare `/`) the remote docker CLI uses its own default.
public struct SSHDockerAddress: Sendable, Hashable, CustomStringConvertible {
    /// The user from the URL, if it names one.
    public var user: String?
    /// Host name or address (an IPv6 address without its brackets).
    public var host: String
    /// The port from the URL, if it names one (22 otherwise).
    public var port: Int?
    /// The remote daemon socket path from the URL, if it names one.
    public var socketPath: String?

    /// An address from its parts.
    public init(user: String? = nil, host: String, port: Int? = nil, socketPath: String? = nil) {
        self.user = user
        self.host = host
        self.port = port
        self.socketPath = socketPath
    }

    /// Parses `ssh://[user@]host[:port][/path]`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` naming what is wrong (scheme, password, empty host,
    ///   port, query, fragment, bad percent-escape); the password itself is never repeated.
    public static func parse(_ text: String) throws -> SSHDockerAddress {
        let shown = Redaction.redactURL(text)
        func fail(_ reason: String) -> HomelabError {
            HomelabError(.invalidConfiguration, "invalid SSH docker host '\(shown)': \(reason)", component: "ssh")
        }
        guard let schemeEnd = text.range(of: "://"), text[..<schemeEnd.lowerBound].lowercased() == "ssh" else {
            throw fail("expected ssh://[user@]host[:port][/path]")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        if let hash = rest.firstIndex(of: "#") {
            if rest.index(after: hash) < rest.endIndex { throw fail("an SSH URL must not have a fragment") }
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            if rest.index(after: question) < rest.endIndex { throw fail("an SSH URL must not have a query") }
            rest = rest[..<question]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let rawPath = rest[authorityEnd...]

        var user: String?
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if userInfo.contains(":") { throw fail("a password in the URL is not supported; use a key or an agent") }
            guard let decoded = String(userInfo).removingPercentEncoding else { throw fail("bad %-escape in the user") }
            user = decoded.isEmpty ? nil : decoded
            authority = authority[authority.index(after: at)...]
        }

        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw fail("missing ']' after the IPv6 address") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard let decodedHost = String(host).removingPercentEncoding else { throw fail("bad %-escape in the host") }
        if decodedHost.isEmpty { throw fail("the host is empty") }
        if decodedHost.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" }) {
            throw fail("the host '\(decodedHost)' is not a host name or address")
        }

        var port: Int?
        if let portText, !portText.isEmpty {
            guard portText.allSatisfy(\.isASCIIDigit), let number = Int(portText), (1...65535).contains(number) else {
                throw fail("the port '\(portText)' is not a number in 1...65535")
            }
            port = number
        }

        guard let path = String(rawPath).removingPercentEncoding else { throw fail("bad %-escape in the path") }
        let socketPath = path.allSatisfy({ $0 == "/" }) ? nil : path
        return SSHDockerAddress(user: user, host: decodedHost, port: port, socketPath: socketPath)
    }

    /// `ssh://user@host:port/path`, as parsed.
    public var description: String {
        var text = "ssh://"
        if let user { text += user + "@" }
        text += host.contains(":") ? "[\(host)]" : host
        if let port { text += ":\(port)" }
        if let socketPath { text += socketPath }
        return text
    }

    /// The command the remote host runs for each connection: `docker system dial-stdio`, or
    /// `docker --host=unix://<path> system dial-stdio` when the URL names a socket (quoted for the remote shell).
    public var remoteCommand: String {
        guard let socketPath else { return Self.defaultRemoteCommand }
        return "docker " + Self.shellQuoted("--host=unix://" + socketPath) + " system dial-stdio"
    }

    /// An SSH configuration for this address: the URL's user (else `defaultUser`) and port (else 22).
    public func configuration(
        defaultUser: String, authentication: SSHConfiguration.Authentication, knownHostsFile: String,
        hostKeyPolicy: SSHConfiguration.HostKeyPolicy = .strict, connectTimeout: Duration = .seconds(10)
    ) -> SSHConfiguration {
        SSHConfiguration(
            host: host, port: port ?? 22, user: user ?? defaultUser, authentication: authentication,
            knownHostsFile: knownHostsFile, hostKeyPolicy: hostKeyPolicy, connectTimeout: connectTimeout)
    }

    /// The command for a URL without a socket path: the remote docker CLI picks the daemon.
    public static let defaultRemoteCommand = "docker system dial-stdio"

    /// `word` as is when it is plain, else in single quotes for a POSIX shell.
    static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-=:+,@%")
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension Character {
    /// `0`...`9` only (not other scripts' digits).
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
