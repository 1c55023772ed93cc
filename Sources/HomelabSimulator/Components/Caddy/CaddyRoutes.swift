import Foundation
import HomelabCore
import Hummingbird

/// The admin API's routes: `/config/...` and `/id/...` with every verb, `/load`, `/adapt` and
/// `/reverse_proxy/upstreams`, behind Caddy's Host check (a loopback name, or an empty Host on the socket).
struct CaddyRoutes: Sendable {
    let admin: CaddyAdmin

    func add(to router: Router<SimulatorRequestContext>) {
        for path in ["config", "config/**", "id/**"] {
            let path = RouterPath(path)
            router.get(path) { request, _ in try await self.config(request) }
            router.post(path) { request, _ in try await self.config(request) }
            router.put(path) { request, _ in try await self.config(request) }
            router.patch(path) { request, _ in try await self.config(request) }
            router.delete(path) { request, _ in try await self.config(request) }
        }
        router.post("load") { request, _ in try await self.load(request) }
        router.post("adapt") { request, _ in try await self.adapt(request) }
        router.get("reverse_proxy/upstreams") { request, _ -> Response in
            try Self.checkHost(request)
            return SimulatorJSON.response(await admin.upstreams().map(UpstreamAnswer.init))
        }
    }

    private struct UpstreamAnswer: Encodable {
        let address: String
        let num_requests: Int
        let fails: Int
        init(_ status: Caddy.UpstreamStatus) {
            address = status.address
            num_requests = status.numRequests
            fails = status.fails
        }
    }

    /// Caddy's DNS-rebinding defence: a loopback Host (any port) over TCP, an empty one on the unix socket.
    static func checkHost(_ request: Request) throws {
        let host = request.head.authority ?? ""
        if host.isEmpty { return }
        let name: Substring
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            name = host[...close]
        } else {
            name = host.split(separator: ":", maxSplits: 1).first ?? Substring(host)
        }
        guard ["localhost", "127.0.0.1", "[::1]"].contains(String(name)) else {
            throw CaddyAPIError(.forbidden, "host not allowed: \(host)")
        }
    }

    private func config(_ request: Request) async throws -> Response {
        try Self.checkHost(request)
        let method = request.method.rawValue
        var segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        var ellipses = false
        if segments.last == "..." {
            ellipses = true
            segments.removeLast()
        }
        var parts: [String]
        if segments.first == "id" {
            guard segments.count >= 2 else { throw CaddyAPIError(.badRequest, "request path is missing object ID") }
            parts = try await admin.resolve(id: segments[1], rest: Array(segments.dropFirst(2)))
        } else {
            parts = segments
        }
        if parts.isEmpty { parts = ["config"] }
        var body: JSONValue?
        if method != "GET" && method != "DELETE" {
            let contentType = request.headers[.contentType] ?? ""
            guard contentType.contains("/json") else {
                throw CaddyAPIError(.badRequest, "unacceptable content-type: \(contentType); 'application/json' required")
            }
            body = try await Self.json(request)
        }
        let (value, etag) = try await admin.access(
            method: method, parts: parts, body: body, ellipses: ellipses, ifMatch: request.headers[.ifMatch])
        guard method == "GET" else { return Response(status: .ok) }
        var response = SimulatorJSON.response(SimulatorJSON.encode(value ?? .null))
        if let etag { response.headers[.eTag] = etag }
        return response
    }

    private func load(_ request: Request) async throws -> Response {
        try Self.checkHost(request)
        let contentType = request.headers[.contentType] ?? ""
        if contentType.contains("/json") {
            try await admin.load(try await Self.json(request) ?? .null)
        } else if contentType.hasPrefix("text/caddyfile") {
            let config = try SimulatedCaddyfileAdapter.adapt(try await Self.text(request))
            try await admin.load(config)
        } else {
            throw CaddyAPIError(.badRequest, "unrecognized config adapter '\(contentType)'")
        }
        return Response(status: .ok)
    }

    private func adapt(_ request: Request) async throws -> Response {
        try Self.checkHost(request)
        let contentType = request.headers[.contentType] ?? ""
        let result: JSONValue
        if contentType.contains("/json") {
            result = try await Self.json(request) ?? .null
        } else if contentType.hasPrefix("text/caddyfile") {
            result = try SimulatedCaddyfileAdapter.adapt(try await Self.text(request))
        } else {
            throw CaddyAPIError(.badRequest, "unrecognized config adapter '\(contentType)'")
        }
        return SimulatorJSON.response(SimulatorJSON.encode(JSONValue.object(["result": result])))
    }

    private static func text(_ request: Request) async throws -> String {
        var request = request
        let buffer = try await request.collectBody(upTo: 100 << 20)
        return String(buffer: buffer)
    }

    private static func json(_ request: Request) async throws -> JSONValue? {
        var request = request
        let buffer = try await request.collectBody(upTo: 100 << 20)
        guard buffer.readableBytes > 0 else { return nil }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        } catch {
            throw CaddyAPIError(.badRequest, "decoding request body: invalid JSON")
        }
    }
}
