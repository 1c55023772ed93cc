import Logging

/// Checks whether each component's API answers: Docker through `_ping` (API version), the others
/// through one GET of their base URL, where any HTTP answer (even 401) counts as reachable.
enum ComponentProbe {
    static func probeAll(
        homelab: Homelab, swarm: SwarmClient, transport: CurlTransport, logger: Logger?
    ) async -> [HomelabOverview.ComponentRow] {
        await withTaskGroup(of: HomelabOverview.ComponentRow.self) { group in
            for (kind, component) in homelab.components {
                group.addTask { await probe(kind, component, swarm: swarm, transport: transport, logger: logger) }
            }
            var rows: [HomelabOverview.ComponentRow] = []
            for await row in group { rows.append(row) }
            return rows.sorted { $0.kind.rawValue < $1.kind.rawValue }
        }
    }

    static func probe(
        _ kind: ComponentKind, _ component: ComponentEndpoint, swarm: SwarmClient, transport: CurlTransport,
        logger: Logger?
    ) async -> HomelabOverview.ComponentRow {
        if kind == .docker {
            do {
                let ping = try await swarm.system.ping(logger: logger)
                return .init(
                    kind: kind, endpoint: swarm.endpointDescription, reachable: true,
                    detail: "API \(ping.apiVersion ?? "?")")
            } catch {
                return .init(kind: kind, endpoint: swarm.endpointDescription, reachable: false, detail: reason(error))
            }
        }
        guard let endpoint = component.endpoint else {
            let place = [component.node, component.configPath].compactMap { $0 }.joined(separator: ":")
            return .init(kind: kind, endpoint: place.isEmpty ? "-" : place, reachable: false, detail: "no API (config file)")
        }
        if let tunnelNode = component.sshTunnel {
            return .init(
                kind: kind, endpoint: "\(endpoint) via ssh \(tunnelNode)", reachable: false, detail: "not probed (needs an SSH tunnel)")
        }
        let client = HTTPClient(
            transport: transport, endpoint: endpoint, component: kind.rawValue, middleware: [LoggingMiddleware()])
        do {
            let response = try await client.send(HTTPRequest(path: "/", timeout: .seconds(3)), logger: logger)
            return .init(kind: kind, endpoint: endpoint.description, reachable: true, detail: "HTTP \(response.status)")
        } catch {
            return .init(kind: kind, endpoint: endpoint.description, reachable: false, detail: reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? HomelabError { return error.code.description }
        return Redaction.redactText(String(describing: error))
    }
}
