import Foundation
import HomelabCore
import Hummingbird
import Logging

/// The simulated Proxmox VE API (pveproxy on 8006): HTTPS only, with the run's certificate, token and ticket
/// authentication, and a ``ProxmoxCluster`` hosting the homelab's `proxmox-vm` nodes as VMs.
///
/// The written inventory reaches it at `https://127.0.0.1:PORT/api2/json` with the run's CA, the token ID
/// `homelab@pve!sdk` and its secret in a file in the simulation's private directory (`file:` reference).
struct ProxmoxComponent: SimulatedComponent {
    let cluster: ProxmoxCluster
    let directory: String
    private let fingerprint = Fingerprint()

    var kind: ComponentKind { .proxmox }

    /// Builds the cluster from the inventory, writes the token's secret file and follows the shared node table.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the secret file cannot be written.
    static func make(_ setup: ComponentSetup) async throws -> ProxmoxComponent {
        var logger = setup.options.logger
        logger[metadataKey: "component"] = "proxmox"
        let cluster = ProxmoxCluster(homelab: setup.homelab, power: setup.world.nodes, clock: setup.clock, logger: logger)
        await cluster.follow()
        let component = ProxmoxComponent(cluster: cluster, directory: setup.directory)
        do {
            try Data(cluster.tokenSecret.utf8).write(to: URL(fileURLWithPath: component.tokenFile))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: component.tokenFile)
        } catch {
            throw HomelabError(.invalidConfiguration, "cannot write the simulated Proxmox token file", component: "simulator")
        }
        return component
    }

    /// Whether `homelab` has Proxmox: a `components.proxmox` entry or `proxmox-vm` nodes.
    static func isWanted(by homelab: Homelab) -> Bool {
        homelab.components[.proxmox] != nil || homelab.nodes.contains { $0.platform == .proxmoxVM }
    }

    /// The file holding the API token's secret.
    var tokenFile: String { (directory as NSString).appendingPathComponent("proxmox-token-secret") }

    var frontMiddleware: [any RouterMiddleware<SimulatorRequestContext>] { [ProxmoxAuthMiddleware(cluster: cluster)] }

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        let directory = self.directory
        let fingerprint = self.fingerprint
        ProxmoxRoutes(cluster: cluster) { fingerprint.value(in: directory) }.add(to: router)
    }

    func addAdminRoutes(to router: Router<SimulatorRequestContext>) {
        let cluster = self.cluster
        router.post("_sim/proxmox/guests/:vmid/lock") { request, context -> Response in
            struct Body: Decodable {
                let lock: String?
                let seconds: Double?
            }
            let body = try await SimulatorJSON.body(Body.self, request)
            guard let vmid = context.parameters.get("vmid").flatMap({ Int($0) }) else { throw SimulatorError.badRequest("not a VM ID") }
            try await cluster.setLock(vmid, body.lock, seconds: body.seconds)
            return SimulatorJSON.response(["lock": body.lock ?? ""])
        }
        router.post("_sim/proxmox/tasks/fail-next") { request, _ -> Response in
            struct Body: Decodable {
                let type: String
                let exitstatus: String
            }
            let body = try await SimulatorJSON.body(Body.self, request)
            await cluster.failNext(type: body.type, exitstatus: body.exitstatus)
            return SimulatorJSON.response(["type": body.type])
        }
    }

    func defaultListener(in directory: String) -> ListenerOptions { ListenerOptions(tls: true) }

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        ProxmoxJSON.error(status, message)
    }

    /// `https://127.0.0.1:PORT/api2/json`, the run's CA, the token ID and a `file:` reference to its secret.
    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        var endpoint = listening.urlEndpoint
        endpoint.address = .url(listening.url + "/api2/json")
        return ComponentEndpoint(kind: .proxmox, endpoint: endpoint, username: cluster.tokenID, credentials: ["token_secret": .file(tokenFile)])
    }

    func shutdown() async {}

    /// The SHA-256 fingerprint of the run's server certificate (read once from `server.pem`).
    final class Fingerprint: Sendable {
        private let cached = Locked<String?>(nil)

        func value(in directory: String) -> String? {
            if let known = cached.withLock({ $0 }) { return known }
            let path = (directory as NSString).appendingPathComponent("server.pem")
            guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            let lines = pem.split(separator: "\n")
            guard let begin = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN CERTIFICATE") }),
                let end = lines[begin...].firstIndex(where: { $0.hasPrefix("-----END CERTIFICATE") }),
                let der = Data(base64Encoded: lines[(begin + 1)..<end].joined())
            else { return nil }
            let text = CertificateFingerprint(der: [UInt8](der)).description
            cached.withLock { $0 = text }
            return text
        }
    }
}

extension HomelabSimulation {
    /// The simulated Proxmox VE cluster (guests, tasks, credentials), found through the component registry; `nil`
    /// when the simulation has none.
    public var proxmoxCluster: ProxmoxCluster? { component(ProxmoxComponent.self)?.cluster }
}
