/// How ``TrueNASClient`` logs in over JSON-RPC: an API key (SCRAM-SHA-512 or plain) or a user's password.
public struct TrueNASCredentials: Sendable, Hashable {
    /// What proves who we are.
    public enum Secret: Sendable, Hashable {
        /// A raw API key, `ID-KEYMATERIAL` (`1-uz8Dh...`).
        case apiKey(HomelabCore.Secret)
        /// A user's password (`PASSWORD_PLAIN`).
        case password(HomelabCore.Secret)
    }

    /// How an API key is presented.
    public enum Mechanism: String, Sendable, Hashable, CaseIterable {
        /// SCRAM-SHA-512 on servers of version 26 or later (they offer it), `API_KEY_PLAIN` on older ones (which have
        /// nothing else). Chosen by the server's API version, never by `auth.mechanism_choices` alone: that call is
        /// unauthenticated, so a man in the middle could strip SCRAM from it; a 26+ server that does not offer SCRAM
        /// is refused.
        case automatic
        /// SCRAM-SHA-512 (with `tls-server-end-point` channel binding over wss); the key never crosses the wire.
        /// Refused by servers before 26.
        case scram
        /// `auth.login_ex` with `API_KEY_PLAIN`: the key crosses the wire, protected by TLS only.
        case plain
        /// The older `auth.login_with_api_key(key)` (servers without `auth.login_ex`).
        case legacy
    }

    /// The user the key or password belongs to (since 25.04 every key is bound to a user; SCRAM needs it).
    public var username: String?
    /// The key or password.
    public var secret: Secret
    /// How an API key is presented.
    public var mechanism: Mechanism

    /// Credentials.
    public init(username: String?, secret: Secret, mechanism: Mechanism = .automatic) {
        self.username = username
        self.secret = secret
        self.mechanism = mechanism
    }

    /// An API key, presented as `mechanism` says.
    public static func apiKey(_ key: HomelabCore.Secret, username: String?, mechanism: Mechanism = .automatic) -> TrueNASCredentials {
        TrueNASCredentials(username: username, secret: .apiKey(key), mechanism: mechanism)
    }

    /// A user's password.
    public static func password(_ password: HomelabCore.Secret, username: String) -> TrueNASCredentials {
        TrueNASCredentials(username: username, secret: .password(password))
    }
}
