import Foundation
import Logging

/// A Komodo Core client (`http(s)://HOST:9120`) on the client kit's ``RESTClient``.
///
/// Every call is `POST /read`, `/write` or `/execute` with `{"type": "<Request>", "params": {...}}` and answers the
/// bare response type. Reads are retried like GETs (they change nothing); writes and executes are not. `List*`
/// calls are paged (`page`, 0-based, and `limit`; Komodo 2.3 returns 50 items unless asked) and every page is read;
/// `ListUpdates`/`ListAlerts` follow `next_page`. An execute returns an ``Komodo/Update`` at once, which
/// ``waitForUpdate(_:timeout:progress:logger:)`` polls until it completes. Errors (`{error, trace}`) become
/// ``HomelabError``s carrying the message (never the trace, which may quote configuration).
///
/// Authentication is the HTTP client's middleware: `X-Api-Key` and `X-Api-Secret` (``ComponentCredentials``).
/// Cheap to copy. Operations are grouped: `client.servers`, `client.stacks`, `client.deployments`, `client.syncs`,
/// `client.updates`, `client.alerts`.
public struct KomodoClient: Sendable {
    /// The request core.
    let rest: RESTClient
    /// Items asked for per page of a `List*` call (Komodo's default is 50).
    public var pageSize: Int = 50
    /// How often a running update is looked at (Komodo's own client: every 500 ms).
    public var pollSchedule = PollSchedule(initial: .milliseconds(250), multiplier: 1.5, maximum: .seconds(1))

    /// A client over `http` (from ``HomelabConnections``, or built by hand); its middleware (authentication,
    /// retry, logging) is kept.
    public init(http: HTTPClient) {
        var http = http
        http.component = "komodo"
        rest = RESTClient(http: http, errors: .komodo)
    }

    /// A client for `endpoint` (`https://komodo.lab:9120`) with an API key and its secret.
    public init(transport: any HTTPTransport, endpoint: Endpoint, apiKey: Secret, apiSecret: Secret) {
        self.init(http: HTTPClient(
            transport: transport, endpoint: endpoint, component: "komodo",
            middleware: [
                RetryMiddleware(policy: .standard), HeaderAuthMiddleware(name: "X-Api-Key", secret: apiKey),
                HeaderAuthMiddleware(name: "X-Api-Secret", secret: apiSecret), LoggingMiddleware(),
            ]))
    }

    /// Where requests go, for messages.
    public var endpointDescription: String { rest.endpointDescription }

    /// Core's version (`GetVersion`).
    /// - Throws: ``HomelabError``.
    public func version(logger: Logger? = nil) async throws -> String {
        struct Answer: Decodable { var version: String }
        return try await read("GetVersion", [:], as: Answer.self, logger: logger).version
    }

    // MARK: The request core

    /// One of Komodo's three request families.
    enum Family: String, Sendable {
        case read, write, execute
    }

    struct Envelope: Encodable {
        var type: String
        var params: [String: JSONValue]
    }

    /// Sends `type` with `params` to `/family` and decodes the answer as `T` (snake_case keys).
    /// - Throws: the mapped ``HomelabError``; ``HomelabError/Code/decodingFailed`` naming the request.
    /// Keys are converted from snake_case unless `T` is ``Komodo/Resource`` (whose configuration keeps Komodo's
    /// own spelling, as TOML files write it).
    func call<T: Decodable>(
        _ family: Family, _ type: String, _ params: [String: JSONValue], as: T.Type, logger: Logger?
    ) async throws -> T {
        let path = "/" + family.rawValue
        let body = try rest.encode(Envelope(type: type, params: params), path: path)
        var headers: HTTPHeaders = [:]
        headers.add(name: "Content-Type", value: "application/json")
        let response = try await rest.call(
            .post, path, body: body, headers: headers, retryAsRead: family == .read, logger: logger)
        let decoder = JSONDecoder()
        if T.self != Komodo.Resource.self { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        return try JSONAnswer.decode(T.self, response.body, what: "the answer to \(family.rawValue) \(type)", component: "komodo", decoder: decoder)
    }

    /// A `/read` request (retried like a GET).
    func read<T: Decodable>(_ type: String, _ params: [String: JSONValue], as: T.Type, logger: Logger?) async throws -> T {
        try await call(.read, type, params, as: T.self, logger: logger)
    }

    /// An `/execute` request: the update it started.
    func execute(_ type: String, _ params: [String: JSONValue], logger: Logger?) async throws -> Komodo.Update {
        try await call(.execute, type, params, as: Komodo.Update.self, logger: logger)
    }

    /// Every item of a paged `List*` request: `page` 0, 1, ... with `limit` ``pageSize``, until a short page.
    func list<Item: Decodable & Sendable>(
        _ type: String, _ params: [String: JSONValue] = [:], as: Item.Type, logger: Logger?
    ) -> PagedSequence<Item> {
        let client = self
        return PagedSequence<Item>.offsets(limit: pageSize, component: "komodo") { offset, limit in
            var params = params
            params["page"] = .integer(Int64(offset / Swift.max(1, limit)))
            params["limit"] = .integer(Int64(limit))
            return try await client.read(type, params, as: [Item].self, logger: logger)
        }
    }

    /// Every item of a `ListUpdates`/`ListAlerts`-style request: `page` 0, then each answer's `next_page`.
    func nextPages<Answer: Decodable & Sendable, Item: Sendable>(
        _ type: String, query: [String: JSONValue]?, as: Answer.Type, logger: Logger?,
        items: @escaping @Sendable (Answer) -> (items: [Item], next: Int64?)
    ) -> PagedSequence<Item> {
        let client = self
        return PagedSequence<Item>(first: .page(0, size: 100), component: "komodo") { request in
            guard case .page(let number, let size) = request else { return Page(items: [], next: nil) }
            var params: [String: JSONValue] = ["page": .integer(Int64(number))]
            if let query { params["query"] = .object(query) }
            let answer = items(try await client.read(type, params, as: Answer.self, logger: logger))
            guard let next = answer.next, next > number else { return Page(items: answer.items, next: nil) }
            return Page(items: answer.items, next: .page(Int(next), size: size))
        }
    }

    /// A non-empty ID or name.
    /// - Throws: ``HomelabError/Code/invalidArgument`` naming `what`.
    func name(_ value: String, _ what: String) throws -> JSONValue {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HomelabError(.invalidArgument, "a \(what) ID or name is needed", component: "komodo")
        }
        return .string(value)
    }
}

extension ErrorMapping {
    /// Komodo's `{error, trace}`: the message is `error` (the trace stays out of errors and logs); "did not find"
    /// is a missing resource whatever the status.
    public static let komodo = ErrorMapping(
        message: { body in
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                let text = object["error"] as? String
            else { return ErrorMapping.standardMessage(body) }
            return text.count > 300 ? String(text.prefix(300)) + "…" : text
        },
        classify: { answer in
            let text = answer.message?.lowercased() ?? ""
            if answer.status == 401 || answer.status == 403 {
                return (.unauthorized, "Komodo refused the API key and secret (check credentials.api_key and api_secret)")
            }
            if text.contains("did not find") || text.contains("no resource") || text.contains("not found") {
                return (.notFound, "Komodo has no such resource")
            }
            return nil
        })
}

extension HomelabConnections {
    /// The Komodo client of `components.komodo` (its URL is Core's base, `https://komodo.lab`), with `X-Api-Key` and
    /// `X-Api-Secret` from its credentials, TLS options and SSH tunnel.
    /// - Throws: what ``http(for:)`` throws.
    public func komodo() async throws -> KomodoClient {
        KomodoClient(http: try await http(for: .komodo))
    }
}
