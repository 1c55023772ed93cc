import Foundation
import HomelabCore
import Hummingbird

/// The Engine API routes the simulated manager serves (the swarm part, plus ping, version, info and the
/// registry lookup the CLI makes before an image update). Paths work with and without a `/vX.Y` prefix
/// (``DockerVersionMiddleware`` strips it).
struct DockerRoutes: Sendable {
    let world: DockerWorld

    /// Adds the routes to `router`.
    func add(to router: Router<SimulatorRequestContext>) {
        router.get("_ping") { _, _ in Self.ping(head: false) }
        router.head("_ping") { _, _ in Self.ping(head: true) }
        router.get("version") { _, _ in DockerJSON.response(await world.systemVersion()) }
        router.get("info") { _, _ in DockerJSON.response(await world.systemInfo()) }
        router.get("swarm") { _, _ in DockerJSON.response(await world.swarm()) }
        router.get("swarm/unlockkey") { _, _ in DockerJSON.response(["UnlockKey": await world.unlockKey()]) }
        router.post("swarm/update") { request, _ -> Response in
            let spec = try await Self.body(Swarm.SwarmSpec.self, request)
            let query = QueryString(request.uri.query)
            let raw = query["version"] ?? ""
            guard let version = UInt64(raw) else {
                throw DockerAPIError.badRequest("invalid swarm version '\(raw)': strconv.ParseUint: parsing \"\(raw)\": invalid syntax")
            }
            let rotation = DockerWorld.Rotation(
                workerToken: try Self.goBool(query, "rotateWorkerToken"), managerToken: try Self.goBool(query, "rotateManagerToken"),
                unlockKey: try Self.goBool(query, "rotateManagerUnlockKey"))
            try await world.updateSwarm(version: version, spec: spec, rotation: rotation)
            return Self.empty()
        }
        router.post("swarm/unlock") { _, _ -> Response in
            try await world.unlockSwarm()
            return Self.empty()
        }
        router.post("swarm/init") { _, _ -> Response in throw Self.alreadyInSwarm }
        router.post("swarm/join") { _, _ -> Response in throw Self.alreadyInSwarm }
        router.post("swarm/leave") { request, _ -> Response in
            guard Self.flag(request, "force") else {
                throw DockerAPIError.unavailable(
                    "You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.")
            }
            throw DockerAPIError.notImplemented("the homelab simulator cannot leave its swarm")
        }
        addNodeRoutes(to: router)
        addServiceRoutes(to: router)
        addTaskRoutes(to: router)
        DockerObjectRoutes(world: world).add(to: router)
        router.get("distribution/**") { _, context -> Response in
            let parts = context.parameters.getCatchAll()
            guard parts.count >= 2, parts.last == "json" else { throw DockerAPIError(code: 404, "page not found") }
            return Self.distribution(parts.dropLast().joined(separator: "/"))
        }
    }

    private func addNodeRoutes(to router: Router<SimulatorRequestContext>) {
        router.get("nodes") { request, _ in
            DockerJSON.response(try await world.listNodes(filters: Self.query(request, "filters")))
        }
        router.get("nodes/:id") { _, context in
            DockerJSON.response(try await world.inspectNode(try Self.parameter(context, "id")))
        }
        router.post("nodes/:id/update") { request, context -> Response in
            let spec = try await Self.body(Swarm.NodeSpec.self, request)
            try await world.updateNode(try Self.parameter(context, "id"), version: try Self.version(request), spec: spec)
            return Self.empty()
        }
        router.delete("nodes/:id") { request, context -> Response in
            try await world.removeNode(try Self.parameter(context, "id"), force: Self.flag(request, "force"))
            return Self.empty()
        }
    }

    private func addServiceRoutes(to router: Router<SimulatorRequestContext>) {
        router.get("services") { request, _ in
            DockerJSON.response(try await world.listServices(filters: Self.query(request, "filters"), status: Self.flag(request, "status")))
        }
        router.post("services/create") { request, _ in
            let spec = try await Self.body(Swarm.ServiceSpec.self, request)
            let id = try await world.createService(spec)
            return DockerJSON.response(Swarm.ServiceCreateResponse(id: id), status: .created)
        }
        router.get("services/:id") { request, context in
            let id = try Self.parameter(context, "id")
            return DockerJSON.response(try await world.inspectService(id, insertDefaults: Self.flag(request, "insertDefaults")))
        }
        router.post("services/:id/update") { request, context in
            let id = try Self.parameter(context, "id")
            let rollback = Self.query(request, "rollback")
            guard rollback == nil || rollback == "previous" || rollback == "" else {
                throw DockerAPIError.badRequest("unrecognized rollback option \(rollback ?? "")")
            }
            let isRollback = rollback == "previous"
            let version = try Self.version(request)
            let spec = isRollback ? nil : try await Self.body(Swarm.ServiceSpec.self, request)
            try await world.updateService(id, version: version, spec: spec, rollback: isRollback)
            return DockerJSON.response(Swarm.ServiceUpdateResponse())
        }
        router.delete("services/:id") { _, context -> Response in
            try await world.removeService(try Self.parameter(context, "id"))
            return Self.empty()
        }
        router.get("services/:id/logs") { request, context -> Response in
            let id = try Self.parameter(context, "id")
            let (query, log) = try await Self.logRequest(request, context) { try await world.serviceLog(id) }
            return DockerLogStream(world: world, query: query) { try? await world.serviceLog(id, mustExist: false) }.response(log)
        }
    }

    private func addTaskRoutes(to router: Router<SimulatorRequestContext>) {
        router.get("tasks") { request, _ in
            DockerJSON.response(try await world.listTasks(filters: Self.query(request, "filters")))
        }
        router.get("tasks/:id") { _, context in
            DockerJSON.response(try await world.inspectTask(try Self.parameter(context, "id")))
        }
        router.get("tasks/:id/logs") { request, context -> Response in
            let id = try Self.parameter(context, "id")
            let (query, log) = try await Self.logRequest(request, context) { try await world.taskLog(id) }
            return DockerLogStream(world: world, query: query) { try? await world.taskLog(id, mustExist: false) }.response(log)
        }
    }

    // MARK: - Answers

    private static let alreadyInSwarm = DockerAPIError.unavailable(
        "This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.")

    /// `GET|HEAD /_ping`: `OK` and the negotiation headers.
    static func ping(head: Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-cache, no-store, must-revalidate"
        headers.set("Pragma", "no-cache")
        headers.set("Builder-Version", "2")
        headers.set("Docker-Experimental", "false")
        headers.set("Swarm", "active/manager")
        if head {
            headers[.contentLength] = "0"
            return Response(status: .ok, headers: headers, body: ResponseBody())
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "OK")))
    }

    /// `GET /distribution/{name}/json`: a stable digest for the image, as a registry would answer.
    static func distribution(_ name: String) -> Response {
        var reference = name
        if let at = reference.firstIndex(of: "@") { reference = String(reference[..<at]) }
        let digest = SwarmIdentifiers.digest(of: reference)
        let body: [String: JSONValue] = [
            "Descriptor": .object([
                "mediaType": .string("application/vnd.oci.image.index.v1+json"), "digest": .string(digest), "size": .integer(1_609),
            ]),
            "Platforms": .array([.object(["architecture": .string("amd64"), "os": .string("linux")])]),
        ]
        return DockerJSON.response(body)
    }

    /// A log request's query and its object's log, checked in the daemon's order: the streams (400), the object
    /// (404), then `tail` and `since` (500).
    static func logRequest(
        _ request: Request, _ context: SimulatorRequestContext, _ find: () async throws -> SimulatedLog?
    ) async throws -> (DockerLogQuery, SimulatedLog) {
        let raw = QueryString(request.uri.query)
        var query = try DockerLogQuery(raw)
        let log = try await find() ?? SimulatedLog(tasks: [], tty: false)
        try query.readRange(raw)
        query.announcesMultiplexed = DockerVersionMiddleware.compare(context.apiVersion ?? DockerWorld.maxAPIVersion, "1.42") >= 0
        return (query, log)
    }

    /// An empty 200 answer.
    static func empty() -> Response { Response(status: .ok, body: ResponseBody()) }

    // MARK: - Request reading

    /// A query parameter decoded as Go's `net/url` decodes it (`+` is a space; see ``QueryString``).
    static func query(_ request: Request, _ name: String) -> String? {
        QueryString(request.uri.query)[name]
    }

    /// A boolean query parameter as the daemon reads one (`1`, `true`, anything but empty/0/no/false/none).
    static func flag(_ request: Request, _ name: String) -> Bool {
        guard let value = query(request, name)?.lowercased() else { return false }
        return !["", "0", "no", "false", "none"].contains(value)
    }

    /// A boolean parameter read with Go's `strconv.ParseBool`, as `POST /swarm/update` reads its rotate flags
    /// (absent or empty: false).
    /// - Throws: ``DockerAPIError`` 400 `invalid value for <name>: <value>` for anything else.
    static func goBool(_ query: QueryString, _ name: String) throws -> Bool {
        guard let value = query[name], !value.isEmpty else { return false }
        if ["1", "t", "T", "TRUE", "true", "True"].contains(value) { return true }
        if ["0", "f", "F", "FALSE", "false", "False"].contains(value) { return false }
        throw DockerAPIError.badRequest("invalid value for \(name): \(value)")
    }

    /// The `version` query parameter of an update.
    /// - Throws: ``DockerAPIError`` 400 when absent or not a number, as the daemon words it.
    static func version(_ request: Request) throws -> UInt64 {
        let raw = query(request, "version") ?? ""
        guard let version = UInt64(raw) else {
            throw DockerAPIError.badRequest("invalid version '\(raw)': strconv.ParseUint: parsing \"\(raw)\": invalid syntax")
        }
        return version
    }

    /// A path parameter.
    /// - Throws: ``DockerAPIError`` 404 when missing.
    static func parameter(_ context: SimulatorRequestContext, _ name: String) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else { throw DockerAPIError(code: 404, "page not found") }
        return value.removingPercentEncoding ?? value
    }

    /// The JSON body decoded as `type`.
    /// - Throws: ``DockerAPIError`` 400 for an empty or malformed body.
    static func body<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: 16 << 20)
        guard buffer.readableBytes > 0 else { throw DockerAPIError.badRequest("got EOF while reading request body") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw DockerAPIError.badBody(Self.describe(error))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        case .keyNotFound(let key, _):
            return "missing \(key.stringValue)"
        @unknown default:
            return "malformed JSON"
        }
    }
}
