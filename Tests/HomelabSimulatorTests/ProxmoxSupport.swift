import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// A Proxmox client on a running simulation: the inventory's https endpoint (the run's CA) and token.
extension SimulatorHarness {
    var proxmoxCluster: ProxmoxCluster { simulation.proxmoxCluster! }

    /// The written inventory's Proxmox endpoint (`https://127.0.0.1:PORT/api2/json`, CA file).
    var proxmoxEndpoint: Endpoint { simulation.homelab.components[.proxmox]!.endpoint! }

    /// A client with the cluster's token (or `secret`), or with `auth` instead.
    func proxmox(secret: String? = nil, auth: [any HTTPMiddleware]? = nil, endpoint: Endpoint? = nil) throws -> ProxmoxClient {
        let cluster = proxmoxCluster
        let middleware = try auth ?? [ProxmoxClient.tokenAuth(tokenID: cluster.tokenID, secret: Secret(secret ?? cluster.tokenSecret))]
        return ProxmoxClient(transport: transport, endpoint: endpoint ?? proxmoxEndpoint, auth: middleware)
    }

    /// POSTs `json` to an admin route (`/_sim/proxmox/...`).
    func proxmoxAdmin(_ path: String, _ json: [String: Any]) async throws {
        let response = try await send(.post, path, json: json, client: admin)
        #expect(response.status == 200, "\(path): \(response.text)")
    }

    /// Requests the simulated Proxmox has answered so far.
    var proxmoxRequests: Int { simulation.faults.stats[.proxmox]?.requests ?? 0 }

    /// The `https://127.0.0.1:PORT` base URL.
    var proxmoxBase: String { simulation.endpoints.listening[.proxmox]!.url }
}
