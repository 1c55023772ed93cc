import Foundation
import HomelabCore
import Hummingbird
import Logging

/// The simulated TrueNAS SCALE middleware on barbary: JSON-RPC 2.0 over WebSocket (`/api/current` and one route
/// per API version) and REST v2.0, over TLS with the run's certificate, backed by a ``TrueNASWorld``. The written
/// inventory names its `https://.../api` URL, the run's CA, the user and a file holding the API key.
struct TrueNASComponent: SimulatedComponent {
    let world: TrueNASWorld
    let directory: String

    var kind: ComponentKind { .truenas }

    /// The API versions a route exists for (`api/vX.Y.Z`).
    static let versionRoutes = ["v25.04.0", "v25.04.1", "v25.04.2", "v25.10.0", "v25.10.1", "v25.10.2", "v26.0.0"]

    /// Seeds the world from the inventory and writes the API key where the inventory will point.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the key file cannot be written.
    static func make(_ setup: ComponentSetup) async throws -> TrueNASComponent {
        var logger = setup.options.logger
        logger[metadataKey: "component"] = "truenas"
        let world = TrueNASWorld(homelab: setup.homelab, seed: setup.options.seed, logger: logger)
        let keyFile = (setup.directory as NSString).appendingPathComponent("truenas-api-key")
        try SimulatorFiles.write(world.apiKey, to: keyFile, permissions: 0o600)
        return TrueNASComponent(world: world, directory: setup.directory)
    }

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        TrueNASRESTRoutes(world: world).add(to: router)
    }

    var webSocketRoutes: [WebSocketRoute] {
        let certificateFile = (directory as NSString).appendingPathComponent("server.pem")
        let binding: @Sendable () -> [UInt8]? = { Self.binding(certificateFile: certificateFile) }
        return [TrueNASSession.route(world: world, path: "api/current", version: nil, binding: binding)]
            + Self.versionRoutes.map { TrueNASSession.route(world: world, path: "api/\($0)", version: $0, binding: binding) }
    }

    func addAdminRoutes(to router: Router<SimulatorRequestContext>) {
        router.post("_sim/truenas/release") { request, _ -> Response in
            struct Body: Decodable { let release: String }
            let body = try await SimulatorJSON.body(Body.self, request)
            await world.setRelease(body.release)
            return SimulatorJSON.response(["release": body.release])
        }
        router.post("_sim/truenas/drop") { _, _ -> Response in
            SimulatorJSON.response(["dropped": await world.dropConnections()])
        }
        router.post("_sim/truenas/lockout/reset") { _, _ -> Response in
            await world.resetLockout()
            return SimulatorJSON.response(["reset": true])
        }
    }

    func defaultListener(in directory: String) -> ListenerOptions { ListenerOptions(tls: true) }

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        SimulatorJSON.response(SimulatorJSON.encode(["message": message]), status: status)
    }

    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        var endpoint = listening.urlEndpoint
        endpoint.address = .url(listening.url + "/api")
        return ComponentEndpoint(
            kind: .truenas, endpoint: endpoint, username: world.apiUser,
            credentials: ["api_key": .file((directory as NSString).appendingPathComponent("truenas-api-key"))])
    }

    func shutdown() async {
        await world.dropConnections()
    }

    /// The `tls-server-end-point` data of the run's server certificate (the first PEM block of `server.pem`).
    static func binding(certificateFile: String) -> [UInt8]? {
        guard let text = try? String(contentsOfFile: certificateFile, encoding: .utf8),
            let begin = text.range(of: "-----BEGIN CERTIFICATE-----"), let end = text.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<text.endIndex),
            let der = Data(base64Encoded: text[begin.upperBound..<end.lowerBound].filter { !$0.isWhitespace })
        else { return nil }
        return try? TLSServerEndPoint.bindingData(certificateDER: Array(der))
    }
}

extension HomelabSimulation {
    /// The simulated TrueNAS box, found through the component registry; `nil` without one.
    public var trueNASWorld: TrueNASWorld? { component(TrueNASComponent.self)?.world }
}
