import Foundation
import HomelabCore
import Hummingbird

/// The routes of the simulated Woodpecker: `/healthz` and `/version` at the root, the `/api` part a homelab uses
/// (user, repositories, pipelines, logs, agents, queue) with `page`/`perPage` pagination and no total, and the
/// server-sent log stream `/api/stream/logs/{repo}/{pipeline}/{step}`.
struct WoodpeckerRoutes: Sendable {
    let world: WoodpeckerWorld

    func add(to router: Router<SimulatorRequestContext>) {
        let world = self.world
        router.get("healthz") { _, _ in Response(status: .noContent) }
        router.get("version") { _, _ in
            SimulatorJSON.response(JSONValue.object([
                "source": .string("https://github.com/woodpecker-ci/woodpecker"), "version": .string(await world.version),
            ]))
        }
        let api = router.group("api")
        api.get("user") { request, _ in
            try await Self.authorize(request, world)
            return SimulatorJSON.response(await world.userJSON())
        }
        api.get("user/repos") { request, _ in
            try await Self.authorize(request, world)
            return SimulatorJSON.response(JSONValue.array(await world.userRepos(all: QueryString(request.uri.query)["all"] == "true")))
        }
        api.get("repos") { request, _ in
            try await Self.authorize(request, world)
            let active = QueryString(request.uri.query)["active"].map { $0 == "true" }
            return Self.paged(await world.repoList(active: active), request)
        }
        api.post("repos") { request, _ in
            try await Self.authorize(request, world)
            guard let id = QueryString(request.uri.query)["forge_remote_id"], !id.isEmpty else {
                throw WoodpeckerAPIError.badRequest("forge_remote_id is required")
            }
            return SimulatorJSON.response(try await world.activate(forgeRemoteID: id))
        }
        api.get("repos/lookup/**") { request, context in
            try await Self.authorize(request, world)
            let name = context.parameters.getCatchAll().map { $0.removingPercentEncoding ?? String($0) }.joined(separator: "/")
            return SimulatorJSON.response(try await world.lookup(name))
        }
        api.get("repos/:repo") { request, context in
            try await Self.authorize(request, world)
            return SimulatorJSON.response(await world.repoJSON(try await world.repo(try Self.number(context, "repo"))))
        }
        api.get("repos/:repo/pipelines") { request, context in
            try await Self.authorize(request, world)
            let query = QueryString(request.uri.query)
            return Self.paged(
                try await world.pipelineList(
                    repo: try Self.number(context, "repo"), branch: query["branch"], event: query["event"], status: query["status"]),
                request)
        }
        api.post("repos/:repo/pipelines") { request, context in
            try await Self.authorize(request, world)
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 16)
            let options = try? JSONDecoder().decode(Woodpecker.PipelineOptions.self, from: Data(buffer.readableBytesView))
            guard let branch = options?.branch, !branch.isEmpty else { throw WoodpeckerAPIError.badRequest("branch is required") }
            return SimulatorJSON.response(try await world.create(repo: try Self.number(context, "repo"), branch: branch))
        }
        api.get("repos/:repo/pipelines/:number") { request, context in
            try await Self.authorize(request, world)
            return SimulatorJSON.response(try await world.pipeline(try Self.number(context, "repo"), try Self.number(context, "number")))
        }
        api.post("repos/:repo/pipelines/:number") { request, context in
            try await Self.authorize(request, world)
            return SimulatorJSON.response(try await world.restart(try Self.number(context, "repo"), try Self.number(context, "number")))
        }
        api.post("repos/:repo/pipelines/:number/cancel") { request, context in
            try await Self.authorize(request, world)
            try await world.cancel(try Self.number(context, "repo"), try Self.number(context, "number"))
            return Response(status: .ok)
        }
        api.post("repos/:repo/pipelines/:number/approve") { request, context in
            try await Self.authorize(request, world)
            return SimulatorJSON.response(try await world.approve(try Self.number(context, "repo"), try Self.number(context, "number")))
        }
        api.post("repos/:repo/pipelines/:number/decline") { request, context in
            try await Self.authorize(request, world)
            return SimulatorJSON.response(try await world.decline(try Self.number(context, "repo"), try Self.number(context, "number")))
        }
        api.get("repos/:repo/logs/:number/:step") { request, context in
            try await Self.authorize(request, world)
            return SimulatorJSON.response(JSONValue.array(try await world.logLines(
                try Self.number(context, "repo"), try Self.number(context, "number"), step: try Self.number(context, "step"))))
        }
        api.get("stream/logs/:repo/:number/:step") { request, context in
            try await Self.authorize(request, world)
            return Self.logStream(
                world, repo: try Self.number(context, "repo"), number: try Self.number(context, "number"), step: try Self.number(context, "step"))
        }
        api.get("agents") { request, _ in
            try await Self.authorize(request, world)
            return Self.paged(await world.agentList(), request)
        }
        api.get("queue/info") { request, _ in
            try await Self.authorize(request, world)
            return SimulatorJSON.response(await world.queueInfo())
        }
    }

    /// The SSE answer of `LogStreamSSE`: `: ping`, then `id: N` / `data: <LogEntry JSON>` per line (the lines
    /// written so far first), and `event: error` / `data: eof` when the step ends; a step that is not running
    /// gets `event: error` / `data: stream not found` at once.
    static func logStream(_ world: WoodpeckerWorld, repo: Int64, number: Int64, step: Int64) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: ": ping\n\n"))
            guard let first = await world.streamState(repo, number, step: step, after: 0) else {
                try await writer.write(ByteBuffer(string: "event: error\ndata: process not found\n\n"))
                try await writer.finish(nil)
                return
            }
            guard first.running else {
                try await writer.write(ByteBuffer(string: "event: error\ndata: stream not found\n\n"))
                try await writer.finish(nil)
                return
            }
            var sent = 0
            var state = first
            while true {
                for line in state.lines {
                    sent += 1
                    try await writer.write(ByteBuffer(string: "id: \(sent)\ndata: " + String(decoding: SimulatorJSON.encode(line), as: UTF8.self) + "\n\n"))
                }
                guard state.running else { break }
                try await Task.sleep(for: .milliseconds(20))
                guard let next = await world.streamState(repo, number, step: step, after: sent) else { break }
                state = next
            }
            try await writer.write(ByteBuffer(string: "event: error\ndata: eof\n\n"))
            try await writer.finish(nil)
        })
    }

    /// Checks `Authorization: Bearer <token>` (or `?access_token=`).
    /// - Throws: ``WoodpeckerAPIError`` 401.
    static func authorize(_ request: Request, _ world: WoodpeckerWorld) async throws {
        var token = QueryString(request.uri.query)["access_token"]
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        guard token == world.token else { throw WoodpeckerAPIError.unauthorized }
    }

    static func number(_ context: SimulatorRequestContext, _ name: String) throws -> Int64 {
        guard let value = context.parameters.get(name).flatMap({ Int64($0) }) else {
            throw WoodpeckerAPIError.badRequest("invalid \(name)")
        }
        return value
    }

    /// One page: `page` from 1, `perPage` 1-50 (default 50), no total header.
    static func paged(_ items: [JSONValue], _ request: Request) -> Response {
        let query = QueryString(request.uri.query)
        let page = Swift.max(1, Int(query["page"] ?? "") ?? 1)
        var perPage = Int(query["perPage"] ?? "") ?? 50
        if perPage < 1 || perPage > 50 { perPage = 50 }
        let start = Swift.min(items.count, (page - 1) * perPage)
        return SimulatorJSON.response(JSONValue.array(Array(items[start..<Swift.min(items.count, start + perPage)])))
    }
}
