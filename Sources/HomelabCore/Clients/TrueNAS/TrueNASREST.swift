import Foundation
import Logging

/// The REST API v2.0 backend (24.04 and 24.10; deprecated in 25.04, gone in 26), mapping method calls onto paths
/// as the middleware's `restful.py` does: `a.b.query` is `GET /a/b` (filters as `field`/`field__op` query
/// parameters, `limit`, `offset`, `count`, `sort`), `create` is `POST /a/b`, `update(id, ...)` `PUT /a/b/id/{id}`,
/// `delete(id, ...)` `DELETE /a/b/id/{id}`, any other method `GET` (no arguments) or `POST /a/b/<method>` (one
/// argument as the body, several as an object keyed by their names). Jobs answer their id; their state is polled.
struct TrueNASREST: TrueNASBackend {
    let rest: RESTClient
    let version = TrueNASAPIVersion.rest
    /// Time between polls of a job.
    var pollInterval: Duration = .milliseconds(250)

    func perform(_ call: TrueNASCall, logger: Logger?) async throws -> JSONValue {
        var segments = call.method.split(separator: ".").map(String.init)
        guard let verb = segments.popLast(), !segments.isEmpty else {
            throw HomelabError(.invalidArgument, "'\(call.method)' is not a TrueNAS method name", component: "truenas")
        }
        let base = "/v2.0/" + segments.joined(separator: "/")
        let response: HTTPResponse
        let isQuery = verb == "query" || (call.reads && Self.looksLikeQuery(call.params))
        switch verb {
        case _ where isQuery:
            let (query, single) = try Self.queryParameters(call.params)
            response = try await rest.call(.get, verb == "query" ? base : base + "/" + verb, query: query, logger: logger)
            let value = try decode(response)
            if single {
                guard case .array(let items) = value, let first = items.first else {
                    throw HomelabError(.notFound, "\(call.method) matched nothing", component: "truenas")
                }
                return first
            }
            return value
        case "create":
            response = try await rest.send(.post, base, json: call.params.first ?? .object([:]), logger: logger)
        case "update", "delete":
            guard let id = call.params.first.flatMap(Self.idText) else {
                throw HomelabError(.invalidArgument, "\(call.method) needs an id", component: "truenas")
            }
            let path = base + "/id/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~@"))) ?? id)
            let body = call.params.count > 1 ? call.params[1] : nil
            response = try await rest.send(verb == "update" ? .put : .delete, path, json: body, logger: logger)
        default:
            let path = base + "/" + verb
            if call.params.isEmpty {
                response = try await rest.call(call.reads ? .get : .post, path, logger: logger)
            } else if call.params.count == 1 {
                response = try await rest.send(.post, path, json: call.params[0], retryAsRead: call.reads, logger: logger)
            } else {
                var body: [String: JSONValue] = [:]
                for (index, value) in call.params.enumerated() where index < call.names.count { body[call.names[index]] = value }
                response = try await rest.send(.post, path, json: JSONValue.object(body), retryAsRead: call.reads, logger: logger)
            }
        }
        return try decode(response)
    }

    func jobUpdates(_ id: Int, logger: Logger?) async throws -> AsyncThrowingStream<TrueNAS.Job, any Error> {
        let interval = pollInterval
        let first = try await currentJob(id, backend: self, logger: logger)
        return AsyncThrowingStream { continuation in
            let task = Task {
                var job = first
                continuation.yield(job)
                do {
                    while !job.state.isFinished {
                        try await Task.sleep(for: interval)
                        let next = try await currentJob(id, backend: self, logger: logger)
                        if next != job { continuation.yield(next) }
                        job = next
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func close() async {}

    private func decode(_ response: HTTPResponse) throws -> JSONValue {
        if response.body.isEmpty { return .null }
        return try rest.decode(JSONValue.self, response.body, path: "TrueNAS REST")
    }

    /// `[filters, options]`: a query method (`core.get_jobs`, `smart.test.results`).
    static func looksLikeQuery(_ params: [JSONValue]) -> Bool {
        guard params.count == 2, case .array(let filters) = params[0], case .object = params[1] else { return false }
        return filters.allSatisfy { if case .array = $0 { return true } else { return false } }
    }

    static func idText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        default: return nil
        }
    }

    /// `[filters, options]` as REST query parameters; `single` when the options ask for one object (`get: true`).
    /// - Throws: ``HomelabError/Code/invalidArgument`` for filters REST cannot express (OR, nested lists).
    static func queryParameters(_ params: [JSONValue]) throws -> (query: [(String, String)], single: Bool) {
        var query: [(String, String)] = []
        let operators = ["=": "", "!=": "__neq", ">": "__gt", "<": "__lt", ">=": "__gte", "<=": "__lte", "~": "__regex"]
        if case .array(let filters)? = params.first {
            for filter in filters {
                guard case .array(let parts) = filter, parts.count == 3, case .string(let field) = parts[0],
                    case .string(let op) = parts[1], let suffix = operators[op]
                else { throw HomelabError(.invalidArgument, "REST v2.0 takes only [field, op, value] filters", component: "truenas") }
                let value: String
                switch parts[2] {
                case .string(let text): value = text
                case .integer(let number): value = String(number)
                case .bool(let flag): value = flag ? "true" : "false"
                case .number(let number): value = String(number)
                default: throw HomelabError(.invalidArgument, "REST v2.0 filters compare with a single value", component: "truenas")
                }
                query.append((field + suffix, value))
            }
        }
        var single = false
        if params.count > 1, case .object(let options) = params[1] {
            if case .integer(let limit)? = options["limit"] { query.append(("limit", String(limit))) }
            if case .integer(let offset)? = options["offset"] { query.append(("offset", String(offset))) }
            if options["count"] == .bool(true) { query.append(("count", "true")) }
            if case .array(let order)? = options["order_by"] {
                query.append(("sort", order.compactMap(TrueNASJSON.string).joined(separator: ",")))
            }
            single = options["get"] == .bool(true)
        }
        return (query, single)
    }
}
