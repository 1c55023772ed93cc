import Foundation
import Logging

/// Asks each component its own version or health call, through ``HomelabConnections`` (so credentials and SSH
/// tunnels apply), and says how it went: up (with the version when the answer carries one), credentials rejected
/// (401 or 403: the API answers, but not to us), down (with the error's class), or not configured.
///
/// The calls: Docker `_ping`; TrueNAS `GET /api/versions`; Proxmox `GET /api2/json/version`; Caddy `GET /config/`;
/// Authentik `GET /api/v3/admin/version/`; 1Password Connect `GET /v1/vaults` (authenticated; its `/heartbeat`
/// is not); Komodo `POST /read {"type":"GetVersion"}`; Forgejo `GET /api/v1/version`; Woodpecker `GET /version`;
/// matchbox `GET /`; Prometheus and Loki their build info; Grafana `GET /api/health`; Uptime Kuma `GET /metrics`;
/// cloudflared `GET /ready`. Paths are relative to the inventory's URL, which names each API's base
/// (`.../api2/json`, `.../api/v1`); Woodpecker's `/version` sits at the server's root.
public enum ComponentProbe {
    /// One probe call.
    struct Call: Sendable {
        var method: HTTPMethod = .get
        var path: String
        var body: [UInt8]?
        /// The path replaces the URL's path (`/version` at the server's root).
        var atRoot = false
        /// Where the version is in a JSON answer: keys from the top (`["data", "version"]`); an empty path with
        /// a top-level array takes its last element.
        var version: [String]?
    }

    /// The call for `kind`, `nil` for a component without an API (dnsmasq).
    static func call(for kind: ComponentKind) -> Call? {
        switch kind {
        case .docker: return Call(path: "/_ping")
        case .truenas: return Call(path: "/versions", version: [])
        case .proxmox: return Call(path: "/version", version: ["data", "version"])
        case .caddy: return Call(path: "/config/")
        case .authentik: return Call(path: "/admin/version/", version: ["version_current"])
        case .onepassword: return Call(path: "/vaults")
        case .komodo:
            return Call(method: .post, path: "/read", body: Array(#"{"type":"GetVersion","params":{}}"#.utf8), version: ["version"])
        case .forgejo: return Call(path: "/version", version: ["version"])
        case .woodpecker: return Call(path: "/version", atRoot: true, version: ["version"])
        case .matchbox: return Call(path: "/")
        case .dnsmasq: return nil
        case .prometheus: return Call(path: "/api/v1/status/buildinfo", version: ["data", "version"])
        case .loki: return Call(path: "/loki/api/v1/status/buildinfo", version: ["version"])
        case .grafana: return Call(path: "/api/health", version: ["version"])
        case .uptimeKuma: return Call(path: "/metrics")
        case .cloudflared: return Call(path: "/ready")
        }
    }

    /// Probes `kind` once; never throws. The caller bounds it in time (``HomelabOverview`` does).
    public static func probe(
        _ kind: ComponentKind, connections: HomelabConnections, timeout: Duration = .seconds(5), logger: Logger? = nil
    ) async -> HomelabOverview.ComponentRow {
        let place = connections.place(of: kind)
        let started = ContinuousClock.now
        func row(_ state: HomelabOverview.ComponentState) -> HomelabOverview.ComponentRow {
            HomelabOverview.ComponentRow(kind: kind, endpoint: place, state: state, elapsed: ContinuousClock.now - started)
        }
        guard connections.homelab.components[kind] != nil else { return row(.notConfigured("not in the inventory")) }
        guard let call = call(for: kind), connections.homelab.components[kind]?.endpoint != nil || kind == .docker else {
            return row(.notConfigured("no API (configuration file on its node)"))
        }
        do {
            if kind == .docker {
                let ping = try await connections.swarm().system.ping(logger: logger)
                return row(.up(version: ping.apiVersion.map { "API \($0)" }))
            }
            var client = try await connections.http(for: kind)
            if call.atRoot { client.endpoint = rootOf(client.endpoint) }
            var headers: HTTPHeaders = [:]
            if call.body != nil { headers.add(name: "Content-Type", value: "application/json") }
            let request = HTTPRequest(
                method: call.method, path: call.path, headers: headers, body: call.body, timeout: .seconds(timeout.seconds))
            let response = try await client.send(request, logger: logger)
            if response.status == 401 || response.status == 403 { return row(.credentialsRejected(status: response.status)) }
            try client.ensureSuccess(response, for: request)
            return row(.up(version: call.version.flatMap { version(in: response.body, at: $0) }))
        } catch let error as HomelabError where error.status == 401 || error.status == 403 {
            return row(.credentialsRejected(status: error.status ?? 401))
        } catch {
            var down = row(.down(reason(error)))
            down.errorCode = (error as? HomelabError)?.code
            return down
        }
    }

    /// The endpoint with its URL cut to scheme, host and port.
    static func rootOf(_ endpoint: Endpoint) -> Endpoint {
        guard case .url(let url) = endpoint.address, let scheme = url.range(of: "://") else { return endpoint }
        var root = endpoint
        let rest = url[scheme.upperBound...]
        root.address = .url(String(url[..<scheme.upperBound]) + String(rest.prefix(while: { $0 != "/" })))
        return root
    }

    /// The version at `path` in a JSON answer, as text.
    static func version(in body: [UInt8], at path: [String]) -> String? {
        guard var value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return nil
        }
        if path.isEmpty, let array = value as? [Any] { return array.last.map { "\($0)" } }
        for key in path {
            guard let object = value as? [String: Any], let inner = object[key] else { return nil }
            value = inner
        }
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }

    /// A short reason for a failure: the error's code and what it says (redacted).
    static func reason(_ error: any Error) -> String {
        guard let error = error as? HomelabError else { return Redaction.redactText(String(describing: error)) }
        return "\(error.code): \(error.message)"
    }
}
