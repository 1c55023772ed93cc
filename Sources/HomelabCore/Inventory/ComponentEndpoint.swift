/// How to reach one homelab component: its API endpoint (URL or unix socket, with TLS options), the node it
/// runs on, and references to its credentials.
///
/// Credentials are ``CredentialReference``s, never values; resolve them with a ``SecretResolver`` when a
/// client is built.
public struct ComponentEndpoint: Sendable, Hashable {
    /// Which component this is.
    public var kind: ComponentKind
    /// The API address and TLS options; `nil` for components managed over SSH only (dnsmasq).
    public var endpoint: Endpoint?
    /// A node to open an SSH tunnel through: the endpoint is as seen from that node (`localhost:2019`).
    public var sshTunnel: String?
    /// The node the component runs on, when the SDK manages its files over SSH.
    public var node: String?
    /// A configuration file or directory on ``node`` (dnsmasq's config file, matchbox's data directory).
    public var configPath: String?
    /// A user name or token ID that goes with the credentials (`homelab@pve!sdk`); not a secret.
    public var username: String?
    /// Credential references by name (`token`, `api_key`, ...; see ``ComponentKind/credentialNames``).
    public var credentials: [String: CredentialReference]

    /// A component endpoint value.
    public init(
        kind: ComponentKind, endpoint: Endpoint?, sshTunnel: String? = nil, node: String? = nil,
        configPath: String? = nil, username: String? = nil, credentials: [String: CredentialReference] = [:]
    ) {
        self.kind = kind
        self.endpoint = endpoint
        self.sshTunnel = sshTunnel
        self.node = node
        self.configPath = configPath
        self.username = username
        self.credentials = credentials
    }
}
