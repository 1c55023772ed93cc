import Foundation

/// Turns a component's credential references into the headers its API wants, per ``ComponentKind``.
///
/// - Bearer token: Authentik, 1Password Connect, Woodpecker, Grafana, Prometheus, Loki (`token`), TrueNAS
///   (`api_key`, the REST API's Bearer key).
/// - Forgejo: `Authorization: token <PAT>` (the lowercase word Forgejo documents).
/// - Proxmox VE: `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET` (`username:` is the token ID, `token_secret`),
///   or a password ticket (`username: USER@REALM`, `password`) through ``ProxmoxTicketAuth``.
/// - Komodo: `X-Api-Key` and `X-Api-Secret` (`api_key`, `api_secret`).
/// - Uptime Kuma: Basic with an empty user and the API key as password (its `/metrics`).
/// - Basic `username:password` where a `password` is given instead of a token (Forgejo, Grafana, Prometheus,
///   Loki, Uptime Kuma, TrueNAS).
/// - Nothing for Docker (TLS or SSH), Caddy, matchbox, dnsmasq and cloudflared (`tunnel_token` is not for its API).
///
/// Secrets are resolved through the ``SecretResolver`` and carried as ``Secret`` values; errors name the
/// component, the credential and its reference, never a value.
public enum ComponentCredentials {
    /// The middleware that authenticates requests to `component` (empty when it needs none).
    /// - Parameter location: how errors name the component (`homelab.yaml: components.proxmox`).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when a credential needs a `username:` that is missing,
    ///   or the credentials present are not ones the SDK can use (Komodo's key without its secret);
    ///   ``HomelabError/Code/secretUnavailable`` from the resolver, prefixed with the location and the credential.
    public static func middleware(
        for component: ComponentEndpoint, secrets: any SecretResolver, location: String
    ) async throws -> [any HTTPMiddleware] {
        let references = component.credentials
        func secret(_ name: String) async throws -> Secret? {
            guard let reference = references[name] else { return nil }
            do {
                return try await secrets.resolve(reference)
            } catch var error as HomelabError {
                error.message = "\(location).credentials.\(name) (\(reference)): " + error.message
                throw error
            }
        }
        func invalid(_ message: String) -> HomelabError {
            HomelabError(.invalidConfiguration, "\(location): \(message)", component: component.kind.rawValue)
        }
        func basic(user: String, password: Secret) -> any HTTPMiddleware {
            let encoded = Secret(Data("\(user):\(password.reveal())".utf8).base64EncodedString())
            return HeaderAuthMiddleware(name: "Authorization", secret: encoded) { "Basic " + $0 }
        }
        func basicWithUser(_ password: Secret) throws -> any HTTPMiddleware {
            guard let user = component.username, !user.isEmpty else {
                throw invalid("credentials.password needs username: (the login it belongs to)")
            }
            return basic(user: user, password: password)
        }

        switch component.kind {
        case .docker, .caddy, .matchbox, .dnsmasq, .cloudflared:
            return []
        case .authentik, .onepassword, .woodpecker:
            guard let token = try await secret("token") else { return [] }
            return [HeaderAuthMiddleware.bearer(token)]
        case .grafana, .prometheus, .loki:
            if let token = try await secret("token") { return [HeaderAuthMiddleware.bearer(token)] }
            if let password = try await secret("password") { return [try basicWithUser(password)] }
            return []
        case .forgejo:
            if let token = try await secret("token") {
                return [HeaderAuthMiddleware(name: "Authorization", secret: token) { "token " + $0 }]
            }
            if let password = try await secret("password") { return [try basicWithUser(password)] }
            return []
        case .truenas:
            if let key = try await secret("api_key") { return [HeaderAuthMiddleware.bearer(key)] }
            if let password = try await secret("password") { return [try basicWithUser(password)] }
            return []
        case .proxmox:
            if references["token_secret"] != nil {
                guard let tokenID = component.username, tokenID.contains("!"), tokenID.contains("@") else {
                    throw invalid("credentials.token_secret needs username: USER@REALM!TOKENID (the API token's ID)")
                }
                guard let token = try await secret("token_secret") else { return [] }
                return [HeaderAuthMiddleware(name: "Authorization", secret: token) { "PVEAPIToken=\(tokenID)=" + $0 }]
            }
            if references["password"] != nil {
                guard let user = component.username, user.contains("@"), !user.contains("!") else {
                    throw invalid("credentials.password needs username: USER@REALM (root@pam, homelab@pve)")
                }
                guard let password = try await secret("password") else { return [] }
                return [ProxmoxTicketAuth(username: user, password: password)]
            }
            return []
        case .komodo:
            switch (references["api_key"], references["api_secret"]) {
            case (nil, nil): return []
            case (_?, _?):
                guard let key = try await secret("api_key"), let value = try await secret("api_secret") else { return [] }
                return [HeaderAuthMiddleware(name: "X-Api-Key", secret: key), HeaderAuthMiddleware(name: "X-Api-Secret", secret: value)]
            default:
                throw invalid("Komodo needs both credentials.api_key and credentials.api_secret")
            }
        case .uptimeKuma:
            if let key = try await secret("api_key") { return [basic(user: "", password: key)] }
            if let password = try await secret("password") { return [try basicWithUser(password)] }
            return []
        }
    }

    /// The TLS passphrase of the component's client key, when `credentials.client_key_passphrase` is given.
    /// - Throws: the resolver's error, prefixed with the location.
    static func clientKeyPassphrase(
        for component: ComponentEndpoint, secrets: any SecretResolver, location: String
    ) async throws -> Secret? {
        guard let reference = component.credentials["client_key_passphrase"] else { return nil }
        do {
            return try await secrets.resolve(reference)
        } catch var error as HomelabError {
            error.message = "\(location).credentials.client_key_passphrase (\(reference)): " + error.message
            throw error
        }
    }
}
