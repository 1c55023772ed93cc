import Foundation

/// Where a Docker engine listens, in the forms `DOCKER_HOST` takes.
public enum DockerHost: Sendable, Hashable, CustomStringConvertible {
    /// A unix domain socket, `/var/run/docker.sock` by default.
    case unixSocket(path: String)
    /// A TCP address; with `tls` the connection is HTTPS (mutual TLS when a client certificate is set).
    case tcp(host: String, port: Int, tls: TLSOptions?)
    /// An engine reached over SSH by running `docker system dial-stdio` on the remote host.
    case ssh(SSHDockerAddress)

    /// The address as `DOCKER_HOST` would spell it.
    public var description: String {
        switch self {
        case .unixSocket(let path): return "unix://" + path
        case .tcp(let host, let port, _): return "tcp://\(Self.bracketed(host)):\(port)"
        case .ssh(let target): return target.description
        }
    }

    static func bracketed(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}

/// How to reach a Docker engine: the host and an optional fixed API version.
///
/// Build one from explicit values or with ``fromEnvironment(_:)`` from the docker CLI's variables;
/// HomelabCore never reads the process environment itself.
public struct DockerConnection: Sendable, Hashable {
    /// The socket the docker CLI uses when `DOCKER_HOST` is unset.
    public static let defaultSocketPath = "/var/run/docker.sock"

    /// Where the engine listens.
    public var host: DockerHost
    /// A fixed API version (like `DOCKER_API_VERSION`): no negotiation. `nil` negotiates through `_ping`.
    public var apiVersion: Swarm.APIVersion?

    /// Creates a connection.
    public init(host: DockerHost = .unixSocket(path: DockerConnection.defaultSocketPath), apiVersion: Swarm.APIVersion? = nil) {
        self.host = host
        self.apiVersion = apiVersion
    }

    /// Reads the docker CLI's conventions from the given variables: `DOCKER_HOST` (unix://, tcp://, ssh://;
    /// the default socket when unset), `DOCKER_TLS_VERIFY` (non-empty: verify the server with `ca.pem` and
    /// present `cert.pem`/`key.pem`), `DOCKER_TLS` (non-empty: TLS without verifying the server),
    /// `DOCKER_CERT_PATH` (default `$HOME/.docker`) and `DOCKER_API_VERSION`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for an unsupported scheme, a malformed address,
    ///   a missing certificate file or a malformed API version.
    public static func fromEnvironment(
        _ environment: [String: String],
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) throws -> DockerConnection {
        func value(_ name: String) -> String? {
            guard let text = environment[name].map(trimmedBlanks), !text.isEmpty else { return nil }
            return text
        }
        let verify = value("DOCKER_TLS_VERIFY") != nil
        let useTLS = verify || value("DOCKER_TLS") != nil
        var tls: TLSOptions?
        if useTLS {
            let home = value("HOME") ?? "~"
            let certPath = value("DOCKER_CERT_PATH") ?? home + "/.docker"
            tls = try tlsOptions(certPath: certPath, verify: verify, fileExists: fileExists)
        }
        let host = try parse(value("DOCKER_HOST") ?? "unix://" + defaultSocketPath, tls: tls)
        let version = try value("DOCKER_API_VERSION").map { try Swarm.APIVersion.parseSetting($0, source: "DOCKER_API_VERSION") }
        return DockerConnection(host: host, apiVersion: version)
    }

    /// Parses a `DOCKER_HOST` value. `tcp://` uses TLS when `tls` is given; its port defaults to 2376 with TLS
    /// and 2375 without, as the docker CLI does.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for npipe:// or any other scheme, or a malformed address.
    public static func parse(_ text: String, tls: TLSOptions? = nil) throws -> DockerHost {
        let lower = text.lowercased()
        if lower.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard path.hasPrefix("/") else {
                throw HomelabError(
                    .invalidConfiguration, "docker host '\(text)' must be an absolute socket path (unix:///path)",
                    component: "docker")
            }
            return .unixSocket(path: path)
        }
        if lower.hasPrefix("ssh://") { return .ssh(try SSHDockerAddress.parse(text)) }
        if lower.hasPrefix("tcp://") || lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            let refuse = { (why: String) in
                HomelabError(
                    .invalidConfiguration, "invalid docker host '\(Redaction.redactURL(text))': \(why)", component: "docker")
            }
            guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
                throw refuse("expected tcp://host:port")
            }
            if components.user != nil || components.password != nil { throw refuse("credentials in the address are not supported") }
            if !components.path.isEmpty, components.path != "/" { throw refuse("a path is not supported") }
            let wantsTLS = tls != nil || lower.hasPrefix("https://")
            let port = components.port ?? (wantsTLS ? 2376 : 2375)
            guard (1...65535).contains(port) else { throw refuse("port \(port) is out of range") }
            let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            return .tcp(host: bare, port: port, tls: wantsTLS ? (tls ?? TLSOptions()) : nil)
        }
        throw HomelabError(
            .invalidConfiguration,
            "unsupported docker host '\(Redaction.redactURL(text))': expected unix://, tcp:// or ssh://", component: "docker")
    }

    /// The transport endpoint for this host.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for `ssh://`: open it with
    ///   ``SwarmClient/open(transport:connection:ssh:logger:)``, which runs the SSH tunnel.
    public func endpoint() throws -> Endpoint {
        switch host {
        case .unixSocket(let path):
            return .unixSocket(path, host: "docker")
        case .tcp(let host, let port, let tls):
            let scheme = tls == nil ? "http" : "https"
            return .url("\(scheme)://\(DockerHost.bracketed(host)):\(port)", tls: tls ?? TLSOptions())
        case .ssh(let target):
            throw HomelabError(
                .invalidConfiguration,
                "\(target): an ssh:// host needs an SSH tunnel: use SwarmClient.open(transport:connection:ssh:)",
                component: "docker")
        }
    }

    static func tlsOptions(certPath: String, verify: Bool, fileExists: (String) -> Bool) throws -> TLSOptions {
        let directory = certPath.hasSuffix("/") ? String(certPath.dropLast()) : certPath
        let ca = directory + "/ca.pem", cert = directory + "/cert.pem", key = directory + "/key.pem"
        var options = TLSOptions()
        if fileExists(cert) && fileExists(key) {
            options.clientCertificate = .init(certificateFile: cert, keyFile: key)
        } else if verify {
            throw HomelabError(
                .invalidConfiguration,
                "DOCKER_TLS_VERIFY is set but the client certificate \(cert) or key \(key) is missing (set DOCKER_CERT_PATH)",
                component: "docker")
        }
        if verify {
            guard fileExists(ca) else {
                throw HomelabError(
                    .invalidConfiguration,
                    "DOCKER_TLS_VERIFY is set but the CA certificate \(ca) is missing (set DOCKER_CERT_PATH)",
                    component: "docker")
            }
            options.trust = .caFile(ca)
        } else {
            // DOCKER_TLS without DOCKER_TLS_VERIFY: encrypted, but the server is not verified (docker's behaviour).
            options.trust = .insecure
            options.verifyHostname = false
        }
        return options
    }
}
