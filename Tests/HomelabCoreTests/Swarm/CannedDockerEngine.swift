import Foundation
import Logging
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// An in-memory Docker engine for client tests: a routing closure answers each request, and every request is
/// recorded. No sockets: a ``SwarmClient`` talks to it through an ``InMemoryTransport``, as it would through curl.
final class CannedDockerEngine: Sendable {
    typealias Route = @Sendable (HTTPRequest) -> HTTPResponse

    private let route: Locked<Route>
    private let log = Locked<[HTTPRequest]>([])
    private let pingHeaders: Locked<HTTPHeaders>

    /// An engine whose `_ping` answers with `ping` headers (API 1.41 by default).
    init(ping: HTTPHeaders = ["Api-Version": "1.41", "Ostype": "linux"], route: @escaping Route = { _ in HTTPResponse(status: 404) }) {
        self.pingHeaders = Locked(ping)
        self.route = Locked(route)
    }

    /// Replaces the `_ping` headers.
    func ping(_ headers: HTTPHeaders) { pingHeaders.withLock { $0 = headers } }

    /// Replaces the routing closure.
    func answer(_ route: @escaping Route) { self.route.withLock { $0 = route } }

    /// Every request so far.
    var requests: [HTTPRequest] { log.withLock { $0 } }

    /// Requests whose path (without the version prefix and query) is `path`, with `method`.
    func requests(_ method: HTTPMethod, _ path: String) -> [HTTPRequest] {
        requests.filter { $0.method == method && Self.bare($0.path) == path }
    }

    /// `/v1.41/services/x?y=z` → `/services/x`.
    static func bare(_ path: String) -> String {
        var text = Substring(path.split(separator: "?", maxSplits: 1).first ?? "")
        if text.hasPrefix("/v"), let slash = text.dropFirst().firstIndex(of: "/") { text = text[slash...] }
        return String(text)
    }

    /// The query items of a request, decoded.
    static func query(_ request: HTTPRequest) -> [String: String] {
        guard let components = URLComponents(string: "http://x" + request.path) else { return [:] }
        var items: [String: String] = [:]
        for item in components.queryItems ?? [] { items[item.name] = item.value ?? "" }
        return items
    }

    /// A client wired to this engine.
    func client(apiVersion fixed: Swarm.APIVersion? = nil) -> SwarmClient {
        let transport = InMemoryTransport { request, _ in self.handle(request) }
        return SwarmClient(
            transport: transport, endpoint: .unixSocket("/canned/docker.sock"), apiVersion: fixed, retryPolicy: .never)
    }

    private func handle(_ request: HTTPRequest) -> HTTPResponse {
        log.withLock { $0.append(request) }
        if Self.bare(request.path) == "/_ping" {
            return HTTPResponse(status: 200, headers: pingHeaders.withLock { $0 }, body: Array("OK".utf8))
        }
        return route.withLock { $0 }(request)
    }

    /// A JSON answer.
    static func json(_ value: some Encodable, status: Int = 200) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return HTTPResponse(
            status: status, headers: ["Content-Type": "application/json"], body: Array((try? encoder.encode(value)) ?? Data()))
    }

    /// A JSON answer from text.
    static func json(_ status: Int = 200, text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(text.utf8))
    }

    /// Docker's error shape.
    static func error(_ status: Int, _ message: String) -> HTTPResponse {
        json(["message": message], status: status)
    }
}

/// Counts calls from `@Sendable` closures.
final class Counter: Sendable {
    private let value = Locked(0)
    @discardableResult func next() -> Int { value.withLock { $0 += 1; return $0 } }
    var count: Int { value.withLock { $0 } }
}
