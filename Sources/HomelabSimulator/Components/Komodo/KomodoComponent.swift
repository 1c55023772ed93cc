import Foundation
import HomelabCore
import Hummingbird
import Logging

/// The simulated Komodo Core API (`:9120`): `POST /read`, `/write`, `/execute` with `{"type", "params"}` (and the
/// `POST /read/<Type>` form with the params as body), `GET /version`, over TLS with the run's certificate.
/// Requests need `X-Api-Key` and `X-Api-Secret`; errors are `{"error", "trace"}`. Backed by a ``KomodoCore``.
///
/// The written inventory reaches it at `https://127.0.0.1:PORT` with the run's CA and `file:` references to the
/// key and secret in the simulation's private directory.
struct KomodoComponent: SimulatedComponent {
    let core: KomodoCore
    let directory: String

    var kind: ComponentKind { .komodo }

    /// Seeds Core from the inventory, writes the key and secret files and follows the shared node table;
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when a file cannot be written.
    /// `history` is the stack repository's (shared with the simulated Forgejo and Woodpecker): deploys carry its hashes.
    static func make(_ setup: ComponentSetup, history: StacksRepositoryHistory) async throws -> KomodoComponent {
        var logger = setup.options.logger
        logger[metadataKey: "component"] = "komodo"
        let core = await KomodoCore(
            homelab: setup.homelab, history: history, power: setup.world.nodes, clock: setup.clock, seed: setup.options.seed, logger: logger)
        await core.follow()
        let component = KomodoComponent(core: core, directory: setup.directory)
        for (file, value) in [(component.keyFile, core.apiKey), (component.secretFile, core.apiSecret)] {
            try SimulatorFiles.write(value, to: file, permissions: 0o600)
        }
        return component
    }

    var keyFile: String { (directory as NSString).appendingPathComponent("komodo-api-key") }
    var secretFile: String { (directory as NSString).appendingPathComponent("komodo-api-secret") }

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        let core = self.core
        router.get("version") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: core.version)))
        }
        for family in ["read", "write", "execute"] {
            router.post(RouterPath(stringLiteral: family)) { request, _ in
                await Self.answer(request, family: family, type: nil, core: core)
            }
            router.post(RouterPath(stringLiteral: family + "/:type")) { request, context in
                await Self.answer(request, family: family, type: context.parameters.get("type"), core: core)
            }
        }
    }

    /// Authenticates, decodes and dispatches one request; every failure is Core's `{error, trace}`.
    static func answer(_ request: Request, family: String, type: String?, core: KomodoCore) async -> Response {
        do {
            let key = request.headers.value("X-Api-Key")
            let secret = request.headers.value("X-Api-Secret")
            guard let key, let secret else {
                throw KomodoAPIError(status: 401, error: "Unauthorized", trace: ["request is missing the X-Api-Key and X-Api-Secret headers"])
            }
            guard key == core.apiKey, secret == core.apiSecret else {
                throw KomodoAPIError(status: 401, error: "Invalid user credentials", trace: ["api key or secret does not match"])
            }
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let body = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
            let name: String
            let params: [String: JSONValue]
            if let type {
                name = type
                if case .object(let fields)? = body { params = fields } else { params = [:] }
            } else {
                guard let text = body?.komodoMember("type")?.komodoText else {
                    throw KomodoAPIError.badRequest("Failed to deserialize the JSON body into the target type: missing field `type`")
                }
                name = text
                if case .object(let fields)? = body?.komodoMember("params") { params = fields } else { params = [:] }
            }
            guard KomodoRequestTypes.contains(name, family: family) else {
                throw KomodoAPIError.badRequest(
                    "Failed to deserialize the JSON body into the target type: unknown variant `\(name)` (or a \(family) request the simulator does not serve)")
            }
            return SimulatorJSON.response(try await core.handle(family, type: name, params: params))
        } catch let error as KomodoAPIError {
            return errorBody(status: HTTPResponse.Status(code: error.status), error.error, trace: error.trace)
        } catch {
            return errorBody(status: .badRequest, "Failed to read the request body", trace: [])
        }
    }

    static func errorBody(status: HTTPResponse.Status, _ message: String, trace: [String]) -> Response {
        SimulatorJSON.response(
            SimulatorJSON.encode(JSONValue.object(["error": .string(message), "trace": .array(trace.map(JSONValue.string))])), status: status)
    }

    func addAdminRoutes(to router: Router<SimulatorRequestContext>) {
        let core = self.core
        router.post("_sim/komodo/fail-next") { request, _ -> Response in
            struct Body: Decodable {
                let type: String
                let message: String?
            }
            let body = try await SimulatorJSON.body(Body.self, request)
            await core.failNext(body.type, message: body.message ?? "simulated failure")
            return SimulatorJSON.response(["type": body.type])
        }
        router.post("_sim/komodo/deployments") { request, _ -> Response in
            struct Body: Decodable { let count: Int }
            let body = try await SimulatorJSON.body(Body.self, request)
            return SimulatorJSON.response(["deployments": await core.addDeployments(body.count)])
        }
    }

    func defaultListener(in directory: String) -> ListenerOptions { ListenerOptions(tls: true) }

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        Self.errorBody(status: status, message, trace: [])
    }

    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        ComponentEndpoint(
            kind: .komodo, endpoint: listening.urlEndpoint, credentials: ["api_key": .file(keyFile), "api_secret": .file(secretFile)])
    }

    func shutdown() async {
        await core.stop()
    }
}

/// The request type names Core v2.3.2 accepts per family (a subset is simulated; the rest answer "not simulated").
enum KomodoRequestTypes {
    static func contains(_ name: String, family: String) -> Bool {
        switch family {
        case "read": return read.contains(name)
        case "write": return write.contains(name)
        case "execute": return execute.contains(name)
        default: return false
        }
    }

    /// The read types the simulator serves.
    static let read: Set<String> = [
        "GetVersion", "GetCoreInfo", "ListServers", "GetServer", "GetServerState", "ListSwarms", "ListStacks", "GetStack",
        "ListStackServices", "ListDeployments", "ListResourceSyncs", "GetResourceSync", "ListProcedures", "GetProcedure", "ListUpdates",
        "GetUpdate", "ListAlerts", "ExportAllResourcesToToml",
    ]
    /// The write types the simulator serves.
    static let write: Set<String> = ["RefreshResourceSyncPending"]
    /// The execute types the simulator serves.
    static let execute: Set<String> = ["DeployStack", "DeployStackIfChanged", "RestartStack", "PullStack", "StartStack", "StopStack", "RunSync"]
}

extension HomelabSimulation {
    /// The simulated Komodo Core, found through the component registry; `nil` without one.
    public var komodoCore: KomodoCore? { component(KomodoComponent.self)?.core }
}
