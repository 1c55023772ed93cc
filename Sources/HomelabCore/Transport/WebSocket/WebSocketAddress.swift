import Foundation
import WSClient

/// Where a WebSocket goes, worked out from an ``Endpoint`` and a path: `ws://`/`http://` plain, `wss://`/`https://`
/// with TLS, or a unix socket (TrueNAS's `/var/run/middleware/middlewared.sock`) without TLS.
struct WebSocketAddress: Sendable {
    let address: ClientConnection<WebSocketUpgradeChannel>.Address
    /// The host name or IP the certificate must name (without brackets), nil for a unix socket.
    let host: String?
    let usesTLS: Bool
    let target: String
    let hostHeader: String
    let origin: String
    /// The redacted address for messages and logs.
    let description: String

    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for a URL that is not ws(s):// or http(s)://.
    init(endpoint: Endpoint, path: String) throws {
        let suffix = path.isEmpty || path.hasPrefix("/") ? path : "/" + path
        switch endpoint.address {
        case .unixSocket(let socket):
            address = .unixDomainSocket(path: socket)
            host = nil
            usesTLS = false
            target = suffix.isEmpty ? "/" : suffix
            hostHeader = endpoint.unixSocketHost ?? "localhost"
            origin = "http://localhost"
            description = "unix://" + socket + target
        case .url(let text):
            guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
                ["ws", "wss", "http", "https"].contains(scheme), var name = components.host, !name.isEmpty
            else {
                throw HomelabError(
                    .invalidConfiguration,
                    "WebSocket endpoint '\(Redaction.redactURL(text))' is not a ws://, wss://, http:// or https:// URL")
            }
            if name.hasPrefix("[") { name = String(name.dropFirst().dropLast()) }
            let tls = scheme == "wss" || scheme == "https"
            let port = components.port ?? (tls ? 443 : 80)
            address = .hostname(name, port: port)
            host = name
            usesTLS = tls
            var base = components.percentEncodedPath
            if base.hasSuffix("/") { base.removeLast() }
            let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
            let joined = base + suffix
            target = (joined.isEmpty ? "/" : joined) + query
            let bracketed = name.contains(":") ? "[\(name)]" : name
            hostHeader = components.port.map { "\(bracketed):\($0)" } ?? bracketed
            origin = (tls ? "https://" : "http://") + bracketed
            description = Redaction.redactURL((tls ? "wss://" : "ws://") + hostHeader + target)
        }
    }
}
