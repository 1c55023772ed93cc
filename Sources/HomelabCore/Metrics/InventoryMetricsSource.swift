import Logging

/// Opens the components named in the inventory for the collectors: the swarm client once (its API version
/// negotiated once, connections reused by the shared transport), other components through one request each.
///
/// Components reached through `ssh_tunnel` are reported as a configuration failure here; the homelab's
/// connection layer opens them where it is available.
public struct InventoryMetricsSource: MetricsSource {
    /// The inventory.
    public let homelab: Homelab
    /// The rollout journal, if any.
    public let journal: RolloutJournal?
    private let transport: any HTTPTransport
    private let swarmClient: Result<SwarmClient, HomelabError>

    /// A source over `transport` for `homelab`; `journal` adds the rollout metrics.
    public init(homelab: Homelab, transport: any HTTPTransport, journal: RolloutJournal? = nil) {
        self.homelab = homelab
        self.transport = transport
        self.journal = journal
        if let docker = homelab.components[.docker] {
            if let node = docker.sshTunnel {
                swarmClient = .failure(
                    HomelabError(.invalidConfiguration, "components.docker: the exporter cannot open ssh_tunnel \(node) yet", component: "docker"))
            } else if let endpoint = docker.endpoint {
                swarmClient = .success(SwarmClient(transport: transport, endpoint: endpoint, retryPolicy: .never))
            } else {
                swarmClient = .failure(HomelabError(.invalidConfiguration, "components.docker has no url or socket", component: "docker"))
            }
        } else {
            swarmClient = .failure(HomelabError(.invalidConfiguration, "components.docker is missing", component: "docker"))
        }
    }

    /// The swarm client made from `components.docker`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the entry cannot be used.
    public func swarm() async throws -> SwarmClient {
        try swarmClient.get()
    }

    /// One GET of the component's base URL: any answer but 401 and 403 counts as reachable.
    /// - Throws: ``HomelabError``: `.unauthorized` for 401/403, the transport's error, `.invalidConfiguration`
    ///   without an API endpoint.
    public func checkReachable(_ kind: ComponentKind, timeout: Duration, logger: Logger?) async throws {
        if kind == .docker {
            _ = try await swarm().system.ping(logger: logger)
            return
        }
        guard let component = homelab.components[kind], let endpoint = component.endpoint else {
            throw HomelabError(.invalidConfiguration, "components.\(kind.rawValue) has no API endpoint", component: kind.rawValue)
        }
        if let node = component.sshTunnel {
            throw HomelabError(
                .invalidConfiguration, "components.\(kind.rawValue): the exporter cannot open ssh_tunnel \(node) yet",
                component: kind.rawValue)
        }
        let client = HTTPClient(transport: transport, endpoint: endpoint, component: kind.rawValue, middleware: [LoggingMiddleware()])
        let response = try await client.send(HTTPRequest(path: "/", timeout: .seconds(max(0.1, timeout.seconds))), logger: logger)
        if response.status == 401 || response.status == 403 {
            throw HomelabError(.unauthorized, "the API answered \(response.status)", component: kind.rawValue, status: response.status)
        }
    }
}
