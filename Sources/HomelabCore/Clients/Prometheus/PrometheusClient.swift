import Foundation
import Logging

/// A client for Prometheus' HTTP API (`/api/v1`) on the client kit's ``RESTClient``: the scrape targets, which
/// `homelab check` (rule `monitoring`) compares with what should be scraped. Cheap to copy.
public struct PrometheusClient: Sendable {
    /// The request core: the server's root, Prometheus' `{"status":"error","error":...}` shape.
    let rest: RESTClient

    /// A client over `http` (from ``HomelabConnections/prometheus()``, or built by hand): its endpoint is the
    /// server's root (`http://prometheus:9090`), under which `/api/v1` is added.
    public init(http: HTTPClient) {
        var http = http
        http.component = "prometheus"
        rest = RESTClient(http: http, errors: ErrorMapping())
    }

    /// A client for `endpoint` with no authentication.
    public init(transport: any HTTPTransport, endpoint: Endpoint) {
        self.init(http: HTTPClient(transport: transport, endpoint: endpoint, component: "prometheus"))
    }

    /// `GET /api/v1/targets?state=`: the active targets (and dropped ones with `state: .any`).
    /// - Parameters:
    ///   - state: `active`, `dropped` or `any` (Prometheus' default).
    /// - Throws: ``HomelabError`` from the server (its `error` text) or the transport;
    ///   ``HomelabError/Code/decodingFailed`` for an answer that is not the documented envelope.
    public func targets(state: String = "active", logger: Logger? = nil) async throws -> Prometheus.Targets {
        let path = "/api/v1/targets"
        let envelope = try await rest.get(Prometheus.Envelope<Prometheus.Targets>.self, path, query: [("state", state)], logger: logger)
        guard envelope.status == "success", let data = envelope.data else {
            throw HomelabError(
                .httpStatus, "Prometheus answered \(path) with status \(envelope.status): \(envelope.error ?? envelope.errorType ?? "no error text")",
                component: "prometheus")
        }
        return data
    }
}

extension HomelabConnections {
    /// The Prometheus client of `components.prometheus` (through `ssh_tunnel` when given).
    /// - Throws: what ``http(for:)`` throws.
    public func prometheus() async throws -> PrometheusClient {
        PrometheusClient(http: try await http(for: .prometheus))
    }
}
