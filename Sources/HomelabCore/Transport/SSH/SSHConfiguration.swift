/// How to reach, trust and log in to one SSH server.
///
/// Host keys are checked against ``knownHostsFile`` only: no `~/.ssh/config`, no global known_hosts,
/// and nothing is read from the process environment (the caller passes every path).
public struct SSHConfiguration: Sendable, Hashable {
    /// How the client proves who it is.
    public enum Authentication: Sendable, Hashable {
        /// A private key file (OpenSSH or PEM format) and, when the key is encrypted, its passphrase.
        case keyFile(path: String, passphrase: Secret? = nil)
        /// The keys held by an ssh-agent listening on `socketPath`.
        /// `nil` lets libssh use the process's `SSH_AUTH_SOCK`: the one place where the environment decides.
        case agent(socketPath: String?)
    }

    /// What to do when the server's host key is not in known_hosts.
    public enum HostKeyPolicy: Sendable, Hashable {
        /// Refuse any host whose key is not already recorded (the default).
        case strict
        /// Record the key of a host seen for the first time, like OpenSSH's `StrictHostKeyChecking=accept-new`.
        /// A host whose recorded key differs is still refused.
        case acceptNew
    }

    /// Host name or IP address of the server.
    public var host: String
    /// TCP port of the server (22 by default).
    public var port: Int
    /// Remote user to log in as.
    public var user: String
    /// How to authenticate.
    public var authentication: Authentication
    /// Whether unknown hosts are refused or recorded.
    public var hostKeyPolicy: HostKeyPolicy
    /// Path of the known_hosts file host keys are checked against (and appended to with ``HostKeyPolicy/acceptNew``).
    public var knownHostsFile: String
    /// Limit for the TCP connect plus key exchange, and for each protocol round trip (auth, opening a channel).
    public var connectTimeout: Duration
    /// Limit for one command, counted from when ``SSHSession/run(_:stdin:timeout:)`` submits it (after connecting).
    public var commandTimeout: Duration
    /// Idle time after which TCP keepalive probes start (then every 10 s, 3 at most), so a peer that vanished
    /// (a rebooted or unplugged host) is noticed within about `keepalive + 30 s` and NAT state stays alive;
    /// `nil` leaves the socket as the system sets it.
    public var keepalive: Duration?

    /// A configuration; check it with ``validate()`` (``SSHSession/connect()`` does).
    public init(
        host: String,
        port: Int = 22,
        user: String,
        authentication: Authentication,
        knownHostsFile: String,
        hostKeyPolicy: HostKeyPolicy = .strict,
        connectTimeout: Duration = .seconds(10),
        commandTimeout: Duration = .seconds(120),
        keepalive: Duration? = .seconds(30)
    ) {
        self.keepalive = keepalive
        self.host = host
        self.port = port
        self.user = user
        self.authentication = authentication
        self.knownHostsFile = knownHostsFile
        self.hostKeyPolicy = hostKeyPolicy
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    /// The conventional known_hosts path under a home directory: `<home>/.ssh/known_hosts`.
    public static func knownHostsFile(homeDirectory: String) -> String {
        let trimmed = homeDirectory.hasSuffix("/") ? String(homeDirectory.dropLast()) : homeDirectory
        return trimmed + "/.ssh/known_hosts"
    }

    /// The name this host has in known_hosts: `host`, or `[host]:port` for a port other than 22.
    public var knownHostsName: String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    /// `user@host:port`, for logs and error messages.
    public var target: String { "\(user)@\(host):\(port)" }

    /// Checks every field can be used.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` naming the field that is wrong.
    public func validate() throws {
        func fail(_ message: String) -> HomelabError {
            HomelabError(.invalidConfiguration, "SSH configuration for \(target): \(message)", component: "ssh")
        }
        if host.isEmpty || host.contains(where: { $0.isWhitespace }) {
            throw fail("host '\(host)' must be a non-empty name or address without spaces")
        }
        if !(1...65535).contains(port) { throw fail("port \(port) is outside 1...65535") }
        if user.isEmpty || user.contains(where: { $0.isWhitespace }) {
            throw fail("user '\(user)' must be non-empty and without spaces")
        }
        if knownHostsFile.isEmpty { throw fail("knownHostsFile is empty; pass a path (see knownHostsFile(homeDirectory:))") }
        switch authentication {
        case .keyFile(let path, _) where path.isEmpty:
            throw fail("the key file path is empty")
        case .agent(let socket?) where socket.isEmpty:
            throw fail("the ssh-agent socket path is empty (pass nil to use SSH_AUTH_SOCK)")
        default:
            break
        }
        if connectTimeout <= .zero { throw fail("connectTimeout must be positive") }
        if commandTimeout <= .zero { throw fail("commandTimeout must be positive") }
    }
}
