import Foundation
import HomelabCore
import Hummingbird

/// The `/api/v1` routes of the simulated Forgejo (the part a homelab uses), `page`/`limit` pagination with
/// `X-Total-Count` and `Link` as Forgejo writes them, and `GET /api/healthz`.
struct ForgejoRoutes: Sendable {
    let world: ForgejoWorld

    /// Forgejo's `[api] DEFAULT_PAGING_NUM` and `MAX_RESPONSE_ITEMS`.
    static let defaultLimit = 30
    static let maxLimit = 50

    func add(to router: Router<SimulatorRequestContext>) {
        let world = self.world
        router.get("api/healthz") { _, _ in
            ForgejoJSON.response(.object([
                "status": .string("pass"), "description": .string("Forgejo: Beyond coding. We Forge."),
                "checks": .object([
                    "cache:ping": .array([.object(["status": .string("pass"), "time": .string(Forgejo.timestamp(Date()))])]),
                    "database:ping": .array([.object(["status": .string("pass"), "time": .string(Forgejo.timestamp(Date()))])]),
                ]),
            ]))
        }
        let api = router.group("api/v1")
        api.get("version") { _, _ in ForgejoJSON.response(.object(["version": .string(await world.version)])) }
        api.get("user") { request, _ in ForgejoJSON.response(try await world.currentUser(try await Self.require(request, world))) }
        api.get("user/repos") { request, _ in
            Self.paged(await world.userRepositories(try await Self.require(request, world)), request)
        }
        api.post("user/repos") { request, _ in
            let login = try await Self.require(request, world)
            return ForgejoJSON.response(try await world.createRepository(try await Self.body(request), organization: nil, by: login), status: .created)
        }
        api.get("user/orgs") { request, _ in Self.paged(await world.userOrganizations(try await Self.require(request, world)), request) }
        api.get("user/applications/oauth2") { request, _ in
            Self.paged(await world.applications(try await Self.require(request, world)), request)
        }
        api.post("user/applications/oauth2") { request, _ in
            let login = try await Self.require(request, world)
            return ForgejoJSON.response(try await world.createApplication(try await Self.body(request), login), status: .created)
        }
        api.delete("user/applications/oauth2/:id") { request, context in
            let login = try await Self.require(request, world)
            guard let id = context.parameters.get("id").flatMap({ Int64($0) }) else { throw ForgejoAPIError.notFound() }
            try await world.deleteApplication(id, login)
            return Response(status: .noContent)
        }
        api.get("orgs") { request, _ in Self.paged(await world.organizationList(try await Self.login(request, world)), request) }
        api.get("orgs/:org") { request, context in
            ForgejoJSON.response(try await world.organization(try Self.parameter(context, "org"), try await Self.login(request, world)))
        }
        api.get("orgs/:org/repos") { request, context in
            Self.paged(try await world.organizationRepositories(try Self.parameter(context, "org"), try await Self.login(request, world)), request)
        }
        api.post("orgs/:org/repos") { request, context in
            let login = try await Self.require(request, world)
            let org = try Self.parameter(context, "org")
            return ForgejoJSON.response(try await world.createRepository(try await Self.body(request), organization: org, by: login), status: .created)
        }
        api.get("admin/users") { request, _ in Self.paged(try await world.adminUsers(try await Self.login(request, world)), request) }
        api.post("admin/users") { request, _ in
            let login = try await Self.require(request, world)
            return ForgejoJSON.response(try await world.createUser(try await Self.body(request), by: login), status: .created)
        }
        api.get("repos/search") { request, _ in
            let query = QueryString(request.uri.query)
            let found = await world.search(
                query["q"] ?? "", includeDescription: query["includeDesc"] == "true", try await Self.login(request, world))
            return Self.paged(found, request) { .object(["ok": .bool(true), "data": .array($0)]) }
        }
        api.get("packages/:owner") { request, context in
            let query = QueryString(request.uri.query)
            return Self.paged(
                try await world.packages(
                    owner: try Self.parameter(context, "owner"), type: query["type"], query: query["q"], try await Self.login(request, world)),
                request)
        }
        addRepositoryRoutes(api)
    }

    private func addRepositoryRoutes(_ api: RouterGroup<SimulatorRequestContext>) {
        let world = self.world
        api.get("repos/:owner/:repo") { request, context in
            let (owner, repo) = try Self.repo(context)
            return ForgejoJSON.response(try await world.repository(owner, repo, try await Self.login(request, world)))
        }
        api.delete("repos/:owner/:repo") { request, context in
            let (owner, repo) = try Self.repo(context)
            try await world.deleteRepository(owner, repo, try await Self.require(request, world))
            return Response(status: .noContent)
        }
        api.get("repos/:owner/:repo/contents") { request, context in
            let (owner, repo) = try Self.repo(context)
            let ref = QueryString(request.uri.query)["ref"]
            return ForgejoJSON.response(try await world.contents(owner, repo, path: "", ref: ref, try await Self.login(request, world)))
        }
        api.get("repos/:owner/:repo/contents/**") { request, context in
            let (owner, repo) = try Self.repo(context)
            let path = context.parameters.getCatchAll().joined(separator: "/").removingPercentEncoding ?? ""
            let ref = QueryString(request.uri.query)["ref"]
            return ForgejoJSON.response(try await world.contents(owner, repo, path: path, ref: ref, try await Self.login(request, world)))
        }
        api.get("repos/:owner/:repo/commits") { request, context in
            let (owner, repo) = try Self.repo(context)
            let query = QueryString(request.uri.query)
            return Self.paged(
                try await world.commits(
                    owner, repo, sha: query["sha"], path: query["path"], files: query["files"] != "false", try await Self.login(request, world)),
                request)
        }
        api.get("repos/:owner/:repo/git/commits/:sha") { request, context in
            let (owner, repo) = try Self.repo(context)
            return ForgejoJSON.response(
                try await world.gitCommit(owner, repo, sha: try Self.parameter(context, "sha"), try await Self.login(request, world)))
        }
        api.get("repos/:owner/:repo/branches") { request, context in
            let (owner, repo) = try Self.repo(context)
            return Self.paged(try await world.branches(owner, repo, try await Self.login(request, world)), request)
        }
        api.get("repos/:owner/:repo/branches/**") { request, context in
            let (owner, repo) = try Self.repo(context)
            let branch = context.parameters.getCatchAll().joined(separator: "/").removingPercentEncoding ?? ""
            return ForgejoJSON.response(try await world.branch(owner, repo, branch: branch, try await Self.login(request, world)))
        }
        api.get("repos/:owner/:repo/hooks") { request, context in
            let (owner, repo) = try Self.repo(context)
            return Self.paged(try await world.hooks(owner, repo, try await Self.require(request, world)), request)
        }
        api.post("repos/:owner/:repo/hooks") { request, context in
            let (owner, repo) = try Self.repo(context)
            let login = try await Self.require(request, world)
            return ForgejoJSON.response(try await world.createHook(owner, repo, try await Self.body(request), login), status: .created)
        }
        api.delete("repos/:owner/:repo/hooks/:id") { request, context in
            let (owner, repo) = try Self.repo(context)
            guard let id = context.parameters.get("id").flatMap({ Int64($0) }) else { throw ForgejoAPIError.notFound() }
            try await world.deleteHook(owner, repo, id: id, try await Self.require(request, world))
            return Response(status: .noContent)
        }
        api.get("repos/:owner/:repo/releases") { request, context in
            let (owner, repo) = try Self.repo(context)
            return Self.paged(try await world.releases(owner, repo, try await Self.login(request, world)), request)
        }
        api.get("repos/:owner/:repo/releases/latest") { request, context in
            let (owner, repo) = try Self.repo(context)
            return ForgejoJSON.response(try await world.latestRelease(owner, repo, try await Self.login(request, world)))
        }
    }

    // MARK: Helpers

    /// The login the request's credentials name; `nil` without credentials.
    /// - Throws: ``ForgejoAPIError`` 401 for credentials that match no one.
    static func login(_ request: Request, _ world: ForgejoWorld) async throws -> String? {
        guard let header = request.headers[.authorization], !header.isEmpty else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ForgejoAPIError.unauthorized("invalid authorization header") }
        var token = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "token", "bearer":
            break
        case "basic":
            guard let decoded = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }),
                let colon = decoded.firstIndex(of: ":")
            else { throw ForgejoAPIError.unauthorized("invalid basic authentication") }
            token = String(decoded[decoded.index(after: colon)...])
        default:
            throw ForgejoAPIError.unauthorized("invalid authorization header")
        }
        guard let login = await world.login(forToken: token) else {
            throw ForgejoAPIError.unauthorized("user does not exist [uid: 0, name: ]")
        }
        return login
    }

    /// The login, required.
    /// - Throws: ``ForgejoAPIError`` 401 without credentials or with wrong ones.
    static func require(_ request: Request, _ world: ForgejoWorld) async throws -> String {
        guard let login = try await login(request, world) else { throw ForgejoAPIError.unauthorized() }
        return login
    }

    static func parameter(_ context: SimulatorRequestContext, _ name: String) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else { throw ForgejoAPIError.notFound() }
        return value.removingPercentEncoding ?? value
    }

    static func repo(_ context: SimulatorRequestContext) throws -> (String, String) {
        (try parameter(context, "owner"), try parameter(context, "repo"))
    }

    static func body(_ request: Request) async throws -> JSONValue {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
            throw ForgejoAPIError.unprocessable("invalid JSON body")
        }
        return value
    }

    /// One page of `items` as Forgejo answers a listing: `page` from 1, `limit` defaulting to 30 and clamped to 50,
    /// `X-Total-Count`, and a `Link` header with next, first, prev and last where they apply.
    static func paged(
        _ items: [JSONValue], _ request: Request, wrap: ([JSONValue]) -> JSONValue = { .array($0) }
    ) -> Response {
        let query = QueryString(request.uri.query)
        let page = Swift.max(1, Int(query["page"] ?? "") ?? 1)
        var limit = Int(query["limit"] ?? "") ?? defaultLimit
        if limit <= 0 { limit = defaultLimit }
        limit = Swift.min(limit, maxLimit)
        let start = Swift.min(items.count, (page - 1) * limit)
        let slice = Array(items[start..<Swift.min(items.count, start + limit)])
        var headers = HTTPFields()
        headers.set("X-Total-Count", String(items.count))
        let lastPage = Swift.max(1, (items.count + limit - 1) / limit)
        let host = request.head.authority ?? "127.0.0.1"
        let others = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("page=") && !$0.hasPrefix("limit=") }
        func link(_ number: Int, _ rel: String) -> String {
            let parameters = others.map(String.init) + ["limit=\(limit)", "page=\(number)"]
            return "<http://\(host)\(request.uri.path)?\(parameters.joined(separator: "&"))>; rel=\"\(rel)\""
        }
        var links: [String] = []
        if page < lastPage { links.append(link(page + 1, "next")) }
        if page > 1 { links.append(link(1, "first")); links.append(link(page - 1, "prev")) }
        if page < lastPage { links.append(link(lastPage, "last")) }
        if !links.isEmpty { headers.set("Link", links.joined(separator: ",")) }
        return ForgejoJSON.response(wrap(slice), headers: headers)
    }
}
