import Foundation
import HomelabCore
import Hummingbird

/// The simulated 1Password Connect server (connect-api on 8080, plain HTTP as its default): `/v1` vaults, items
/// (with `title eq` / `name eq` filters), files, and `/health`, `/heartbeat` at the root, backed by
/// ``ConnectVaults``.
///
/// `/v1` requests need `Authorization: Bearer <token>`; a missing or wrong one is a 401 `{"status": 401, "message":
/// "Invalid token signature"}`. The written inventory names `http://127.0.0.1:PORT/v1` and the token as a `file:`
/// reference (the Connect token cannot come from Connect); every other simulated credential is moved into vault
/// `homelab` and written as an `op://` reference (``vaulting(_:)``).
struct OnePasswordComponent: SimulatedComponent {
    let vaults: ConnectVaults
    let directory: String

    var kind: ComponentKind { .onepassword }

    /// Seeds the vaults and writes the token where the inventory will point.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the token file cannot be written.
    static func make(_ setup: ComponentSetup) async throws -> OnePasswordComponent {
        let vaults = ConnectVaults()
        let component = OnePasswordComponent(vaults: vaults, directory: setup.directory)
        try SimulatorFiles.write(vaults.token, to: component.tokenFile, permissions: 0o600)
        return component
    }

    /// The file holding the Connect token.
    var tokenFile: String { (directory as NSString).appendingPathComponent("onepassword-connect-token") }

    var frontMiddleware: [any RouterMiddleware<SimulatorRequestContext>] { [ConnectAPI(vaults: vaults)] }

    func addRoutes(to router: Router<SimulatorRequestContext>) {}

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        ConnectAPI.error(status.code, message)
    }

    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        var endpoint = listening.urlEndpoint
        endpoint.address = .url(listening.url + "/v1")
        return ComponentEndpoint(kind: .onepassword, endpoint: endpoint, credentials: ["token": .file(tokenFile)])
    }

    func shutdown() async {}

    /// Where each simulated credential goes in vault `homelab`: the example inventory's item and field names.
    static let items: [ComponentKind: [String: (item: String, field: String)]] = [
        .truenas: ["api_key": ("truenas-api-key", "credential"), "password": ("truenas-password", "password")],
        .proxmox: ["token_secret": ("proxmox-api-token", "credential"), "password": ("proxmox-password", "password")],
        .authentik: ["token": ("authentik", "api-token")],
        .komodo: ["api_key": ("komodo", "api-key"), "api_secret": ("komodo", "api-secret")],
        .forgejo: ["token": ("forgejo", "access-token")],
        .woodpecker: ["token": ("woodpecker", "personal-token")],
        .grafana: ["token": ("grafana", "service-account-token")],
        .uptimeKuma: ["api_key": ("uptime-kuma", "metrics-api-key")],
    ]

    /// The components' endpoints with every `file:` credential (except Connect's own token) moved into vault
    /// `homelab` and replaced by its `op://` reference.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when a simulated credential file cannot be read.
    func vaulting(_ endpoints: [ComponentKind: ComponentEndpoint]) async throws -> [ComponentKind: ComponentEndpoint] {
        var result = endpoints
        for (kind, endpoint) in endpoints where kind != .onepassword {
            var moved = endpoint
            for (name, reference) in endpoint.credentials.sorted(by: { $0.key < $1.key }) {
                guard case .file(let path) = reference else { continue }
                guard let data = FileManager.default.contents(atPath: path), var value = String(data: data, encoding: .utf8) else {
                    throw HomelabError(.invalidConfiguration, "cannot read the simulated \(kind) credential \(name)", component: "simulator")
                }
                if value.hasSuffix("\n") { value.removeLast() }
                let place = Self.items[kind]?[name] ?? (kind.rawValue, name.replacingOccurrences(of: "_", with: "-"))
                moved.credentials[name] = await vaults.store(value: value, item: place.item, field: place.field)
            }
            result[kind] = moved
        }
        return result
    }
}

/// Connect's API: `/v1/...` with the token, `/health` and `/heartbeat` without.
struct ConnectAPI: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    let vaults: ConnectVaults

    func handle(
        _ request: Request, context: SimulatorRequestContext, next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if path == "/heartbeat" {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: ".")))
        }
        if path == "/health" { return SimulatorJSON.response(await vaults.healthJSON()) }
        guard path.hasPrefix("/v1/") else { return Self.error(404, "Not found") }
        let header = request.headers[.authorization] ?? ""
        guard header.lowercased().hasPrefix("bearer "), header.dropFirst(7) == vaults.token else {
            return Self.error(401, "Invalid token signature")
        }
        let s = path.dropFirst(4).split(separator: "/").map(String.init)
        let filter = QueryString(request.uri.query)["filter"]
        do {
            switch (request.method.rawValue, s.count) {
            case ("GET", 1) where s[0] == "vaults": return SimulatorJSON.response(try await vaults.listVaults(filter: filter))
            case ("GET", 1) where s[0] == "activity": return SimulatorJSON.response(JSONValue.array([]))
            case ("GET", 2) where s[0] == "vaults": return SimulatorJSON.response(await vaults.vaultJSON(try await vaults.vault(s[1])))
            case ("GET", 3) where s[0] == "vaults" && s[2] == "items":
                return SimulatorJSON.response(try await vaults.listItems(vault: s[1], filter: filter))
            case ("POST", 3) where s[0] == "vaults" && s[2] == "items":
                return SimulatorJSON.response(try await vaults.saveItem(vault: s[1], id: nil, body: try await Self.body(request)))
            case ("GET", 4) where s[0] == "vaults" && s[2] == "items":
                return SimulatorJSON.response(try await vaults.getItem(vault: s[1], id: s[3]))
            case ("PUT", 4) where s[0] == "vaults" && s[2] == "items":
                return SimulatorJSON.response(try await vaults.saveItem(vault: s[1], id: s[3], body: try await Self.body(request)))
            case ("DELETE", 4) where s[0] == "vaults" && s[2] == "items":
                try await vaults.deleteItem(vault: s[1], id: s[3])
                return Response(status: .noContent)
            case ("GET", 5) where s[0] == "vaults" && s[2] == "items" && s[4] == "files":
                return SimulatorJSON.response(try await vaults.files(vault: s[1], item: s[3]))
            case ("GET", 6) where s[0] == "vaults" && s[2] == "items" && s[4] == "files":
                return SimulatorJSON.response(try await vaults.file(vault: s[1], item: s[3], file: s[5]).0)
            case ("GET", 7) where s[0] == "vaults" && s[2] == "items" && s[4] == "files" && s[6] == "content":
                await vaults.count("content")
                let bytes = try await vaults.file(vault: s[1], item: s[3], file: s[5]).1
                var headers = HTTPFields()
                headers[.contentType] = "application/octet-stream"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
            default:
                return Self.error(404, "Not found")
            }
        } catch let error as ConnectAPIError {
            return Self.error(error.code, error.message)
        }
    }

    static func body(_ request: Request) async throws -> JSONValue {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
            throw ConnectAPIError(code: 400, message: "Invalid JSON body")
        }
        return value
    }

    static func error(_ status: Int, _ message: String) -> Response {
        SimulatorJSON.response(JSONValue.object(["status": .integer(Int64(status)), "message": .string(message)]), status: HTTPResponse.Status(code: status))
    }
}

extension OnePasswordComponent {
    /// `endpoints` vaulted by the simulation's Connect component when it has one, else unchanged.
    /// - Throws: as ``vaulting(_:)``.
    static func vaulting(
        _ endpoints: [ComponentKind: ComponentEndpoint], in components: [any SimulatedComponent]
    ) async throws -> [ComponentKind: ComponentEndpoint] {
        guard let connect = components.lazy.compactMap({ $0 as? OnePasswordComponent }).first else { return endpoints }
        return try await connect.vaulting(endpoints)
    }
}

extension HomelabSimulation {
    /// The simulated 1Password Connect vaults; `nil` when the simulation has none.
    public var connectVaults: ConnectVaults? { component(OnePasswordComponent.self)?.vaults }
}
