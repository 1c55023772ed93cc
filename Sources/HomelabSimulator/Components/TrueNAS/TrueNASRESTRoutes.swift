import Foundation
import HomelabCore
import Hummingbird

/// The REST API v2.0 of the simulated middleware (`/api/v2.0/...`, releases before 26) and `GET /api/versions`,
/// mapped onto the same methods as JSON-RPC, as `restful.py` maps them. Authentication: `Authorization: Bearer KEY`
/// or `Basic USER:PASSWORD`; anything else is 401.
struct TrueNASRESTRoutes: Sendable {
    let world: TrueNASWorld

    /// Resources with `GET` (query), `POST` (create), `GET|PUT|DELETE /id/{id}`.
    static let resources: Set<String> = ["pool", "pool.dataset", "zfs.snapshot", "pool.snapshottask", "sharing.nfs", "disk"]
    /// Methods taking `[filters, options]` though not named `query`.
    static let queryMethods: Set<String> = ["core.get_jobs", "smart.test.results"]
    /// Argument names of methods with several arguments (their REST body is an object keyed by them).
    static let argumentNames: [String: [String]] = [
        "pool.scrub.run": ["name", "threshold"], "zfs.snapshot.rollback": ["id", "options"], "disk.temperatures": ["names", "options"],
    ]

    func add(to router: Router<SimulatorRequestContext>) {
        router.get("api/versions") { _, _ -> Response in
            let versions = await world.apiVersions
            guard !versions.isEmpty else { return Self.json(.object(["message": .string("Not Found")]), status: .notFound) }
            return Self.json(.array(versions.map { .string($0) }))
        }
        router.get("api/v2.0/**") { request, _ -> Response in try await handle(request) }
        router.post("api/v2.0/**") { request, _ -> Response in try await handle(request) }
        router.put("api/v2.0/**") { request, _ -> Response in try await handle(request) }
        router.delete("api/v2.0/**") { request, _ -> Response in try await handle(request) }
    }

    private func handle(_ request: Request) async throws -> Response {
        guard await world.hasREST else { return Self.json(.object(["message": .string("Not Found")]), status: .notFound) }
        guard await authorized(request.headers[.authorization]) else {
            return Self.json(.object(["message": .string("Authentication credentials were not provided.")]), status: .unauthorized)
        }
        var body: JSONValue?
        var mutable = request
        let buffer = try await mutable.collectBody(upTo: 1 << 20)
        if buffer.readableBytes > 0 {
            body = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
            if body == nil { return Self.json(.object(["message": .string("Invalid JSON"), "errno": .integer(22)]), status: .badRequest) }
        }
        let path = request.uri.path.dropFirst("/api/v2.0/".count)
        var segments = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        let query = QueryString(request.uri.query)
        let call: (String, [JSONValue])
        if let idIndex = segments.firstIndex(of: "id"), idIndex + 1 < segments.count {
            let resource = segments[..<idIndex].joined(separator: ".")
            let id: JSONValue = Int64(segments[idIndex + 1]).map { .integer($0) } ?? .string(segments[idIndex + 1])
            switch request.method {
            case .get: call = ("\(resource).query", [.array([.array([.string("id"), .string("="), id])]), .object(["get": .bool(true)])])
            case .put: call = ("\(resource).update", [id, body ?? .object([:])])
            case .delete: call = ("\(resource).delete", body.map { [id, $0] } ?? [id])
            default: call = ("\(resource).\(segments.last ?? "")", [id] + (body.map { [$0] } ?? []))
            }
        } else {
            let joined = segments.joined(separator: ".")
            if Self.resources.contains(joined) {
                call = request.method == .get ? ("\(joined).query", Self.queryParams(query)) : ("\(joined).create", [body ?? .object([:])])
            } else if Self.queryMethods.contains(joined) {
                call = (joined, Self.queryParams(query))
            } else {
                segments = segments.filter { !$0.isEmpty }
                var params: [JSONValue] = []
                if let names = Self.argumentNames[joined], case .object(let fields)? = body {
                    params = names.map { fields[$0] ?? .null }
                    while params.last == .null { params.removeLast() }
                } else if let body {
                    params = [body]
                }
                call = (joined, params)
            }
        }
        do {
            switch try await world.perform(call.0, call.1, version: nil) {
            case .value(let value): return Self.json(Self.restDates(value))
            case .job(let id): return Self.json(.integer(Int64(id)))
            }
        } catch let fault as TrueNASFault {
            let (status, body) = fault.rest
            return Self.json(body, status: HTTPResponse.Status(code: status))
        }
    }

    private func authorized(_ header: String?) async -> Bool {
        guard let header else { return false }
        if header.hasPrefix("Bearer ") { return String(header.dropFirst(7)) == world.apiKey }
        if header.hasPrefix("Basic "), let data = Data(base64Encoded: String(header.dropFirst(6))),
            let text = String(data: data, encoding: .utf8)
        {
            return text == "\(world.apiUser):\(world.password)"
        }
        return false
    }

    /// REST query parameters as `[filters, options]`.
    static func queryParams(_ query: QueryString) -> [JSONValue] {
        var filters: [JSONValue] = []
        var options: [String: JSONValue] = [:]
        let operators = ["eq": "=", "neq": "!=", "gt": ">", "lt": "<", "gte": ">=", "lte": "<=", "regex": "~"]
        for (key, values) in query.values.sorted(by: { $0.key < $1.key }) {
            guard let value = values.first else { continue }
            switch key {
            case "limit", "offset": options[key] = .integer(Int64(value) ?? 0)
            case "count": options["count"] = .bool(value == "true")
            case "sort": options["order_by"] = .array(value.split(separator: ",").map { .string(String($0)) })
            default:
                let parts = key.components(separatedBy: "__")
                let op = parts.count == 2 ? operators[parts[1]] ?? "=" : "="
                let typed: JSONValue = Int64(value).map { .integer($0) } ?? (value == "true" || value == "false" ? .bool(value == "true") : .string(value))
                filters.append(.array([.string(parts[0]), .string(op), typed]))
            }
        }
        return [.array(filters), .object(options)]
    }

    /// ejson dates (`{"$date": ms}`) as the ISO 8601 strings the REST schema declares.
    static func restDates(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields):
            if fields.count == 1, let milliseconds = TrueNASQueryFilter.number(fields["$date"] ?? .null) {
                return .string(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: milliseconds / 1000)))
            }
            return .object(fields.mapValues(restDates))
        case .array(let items): return .array(items.map(restDates))
        default: return value
        }
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        SimulatorJSON.response(SimulatorJSON.encode(value), status: status)
    }
}
