/// Where a component's API lives: an HTTP(S) base URL or a unix domain socket, plus TLS options.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// How to reach the server.
    public enum Address: Sendable, Hashable {
        /// `http://host:port/prefix` or `https://...`; requests are resolved against it.
        case url(String)
        /// A unix domain socket path; requests go to `http://localhost` over the socket.
        case unixSocket(path: String)
    }

    /// How to reach the server.
    public var address: Address
    /// TLS settings for https addresses (ignored for plain http and unix sockets).
    public var tls: TLSOptions
    /// The `Host` header to send over a unix socket (`nil`: `localhost`; `""`: an empty Host, as Caddy's admin socket wants).
    public var unixSocketHost: String?
    /// For a URL address: a local unix socket to connect through instead of the URL's host and port (an SSH
    /// tunnel's socket, see ``SSHTunnel/carrying(_:)``). The URL still names the server: Host header, TLS SNI and
    /// the certificate's host name check are the URL's.
    public var connectionSocket: String?

    public init(_ address: Address, tls: TLSOptions = TLSOptions(), unixSocketHost: String? = nil) {
        self.address = address
        self.tls = tls
        self.unixSocketHost = unixSocketHost
    }

    /// An endpoint for a base URL such as `https://pve.lab:8006/api2/json`.
    public static func url(_ url: String, tls: TLSOptions = TLSOptions()) -> Endpoint {
        Endpoint(.url(url), tls: tls)
    }

    /// An endpoint for a unix domain socket such as `/var/run/docker.sock`.
    public static func unixSocket(_ path: String, host: String? = nil) -> Endpoint {
        Endpoint(.unixSocket(path: path), unixSocketHost: host)
    }

    /// Parses `unix:///path`, `http://...` or `https://...` (docker's `DOCKER_HOST` forms, plus `tcp://` as http).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for any other scheme.
    public static func parse(_ text: String, tls: TLSOptions = TLSOptions()) throws -> Endpoint {
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard path.hasPrefix("/") else {
                throw HomelabError(.invalidConfiguration, "unix socket address '\(text)' must be absolute (unix:///path)")
            }
            return .unixSocket(path)
        }
        if text.hasPrefix("http://") || text.hasPrefix("https://") {
            return .url(text, tls: tls)
        }
        if text.hasPrefix("tcp://") {
            let scheme = tls.isDefault ? "http://" : "https://"
            return .url(scheme + text.dropFirst("tcp://".count), tls: tls)
        }
        throw HomelabError(
            .invalidConfiguration,
            "unsupported endpoint '\(Redaction.redactURL(text))': expected http://, https://, tcp:// or unix://")
    }

    /// Whether requests are sent with TLS.
    public var usesTLS: Bool {
        if case .url(let u) = address { return u.lowercased().hasPrefix("https://") }
        return false
    }

    /// The URL a request path resolves to, and the unix socket path if any.
    func resolve(path: String) -> (url: String, socket: String?) {
        switch address {
        case .url(let base):
            let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
            return (trimmed + (path.hasPrefix("/") ? path : "/" + path), connectionSocket)
        case .unixSocket(let socket):
            return ("http://localhost" + (path.hasPrefix("/") ? path : "/" + path), socket)
        }
    }

    public var description: String {
        switch address {
        case .url(let u): return Redaction.redactURL(u)
        case .unixSocket(let p): return "unix://" + p
        }
    }
}

/// TLS verification and client-certificate settings. Verified against the system trust store by default.
public struct TLSOptions: Sendable, Hashable {
    /// How the server certificate is trusted.
    public enum Trust: Sendable, Hashable {
        /// The system CA bundle (the default).
        case system
        /// A CA bundle file (PEM).
        case caFile(String)
        /// CA certificates given inline as PEM text.
        case caPEM(String)
        /// No chain verification, but the server's public key must match one of ``TLSOptions/pinnedPublicKeys``.
        /// For appliances with self-signed certificates (TrueNAS, Proxmox) when the CA is not available.
        case pinnedKeyOnly
        /// No verification at all. Logged as a warning once per endpoint. Only when explicitly configured.
        case insecure
    }

    /// A client certificate for mutual TLS (Docker's tlsverify, matchbox gRPC).
    public struct ClientCertificate: Sendable, Hashable {
        /// PEM certificate file.
        public var certificateFile: String
        /// PEM private key file.
        public var keyFile: String
        /// Passphrase of an encrypted key.
        public var keyPassphrase: Secret?
        public init(certificateFile: String, keyFile: String, keyPassphrase: Secret? = nil) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.keyPassphrase = keyPassphrase
        }
    }

    /// How the server certificate is trusted.
    public var trust: Trust
    /// SHA-256 public-key pins, as `sha256//BASE64` (curl's format) or bare base64. Checked in addition to `trust`.
    public var pinnedPublicKeys: [String]
    /// Client certificate for mutual TLS.
    public var clientCertificate: ClientCertificate?
    /// Verify that the certificate names the host (on by default; off only with `.insecure`).
    public var verifyHostname: Bool
    /// The SHA-256 fingerprint of the exact certificate the server must present (`AB:CD:...`, as Proxmox shows it).
    /// Checked before any request is sent (see ``CertificateFingerprint``); with `.system` trust it replaces the
    /// chain and host name checks, as pvesh's and proxmoxer's `--fingerprint` do.
    public var certificateFingerprint: String?

    public init(
        trust: Trust = .system, pinnedPublicKeys: [String] = [], clientCertificate: ClientCertificate? = nil,
        verifyHostname: Bool = true, certificateFingerprint: String? = nil
    ) {
        self.trust = trust
        self.pinnedPublicKeys = pinnedPublicKeys
        self.clientCertificate = clientCertificate
        self.verifyHostname = verifyHostname
        self.certificateFingerprint = certificateFingerprint
    }

    var isDefault: Bool { self == TLSOptions() }

    /// Checks the combination makes sense.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when `.pinnedKeyOnly` has no pins or a pin is malformed.
    public func validate() throws {
        if let certificateFingerprint { _ = try CertificateFingerprint(certificateFingerprint) }
        if trust == .pinnedKeyOnly, pinnedPublicKeys.isEmpty, certificateFingerprint == nil {
            throw HomelabError(.invalidConfiguration, "TLS trust 'pinned key only' needs at least one sha256 public-key pin")
        }
        for pin in pinnedPublicKeys {
            let b64 = pin.hasPrefix("sha256//") ? String(pin.dropFirst(8)) : pin
            guard b64.count == 44, b64.hasSuffix("="),
                b64.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" || $0 == "=" })
            else {
                throw HomelabError(
                    .invalidConfiguration,
                    "public-key pin '\(pin)' is not a base64 SHA-256 digest (expected sha256//<44 base64 characters>)")
            }
        }
    }

    /// The pins in curl's `sha256//a;sha256//b` form.
    var curlPinString: String? {
        guard !pinnedPublicKeys.isEmpty else { return nil }
        return pinnedPublicKeys.map { $0.hasPrefix("sha256//") ? $0 : "sha256//" + $0 }.joined(separator: ";")
    }
}
