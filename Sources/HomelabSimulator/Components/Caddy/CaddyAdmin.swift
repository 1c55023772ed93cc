import Foundation
import HomelabCore
import Hummingbird

/// The simulated Caddy's state: its active configuration (`{"config": ...}` as Caddy holds it), the `@id` index,
/// ETags, and the upstream counters `/reverse_proxy/upstreams` reports.
public actor CaddyAdmin {
    private var root: JSONValue
    /// Upstreams the simulated passive health checks count failures against (`host:port` -> fails).
    private var failing: [String: Int]
    /// The Caddyfile the simulated caddy-docker-proxy generated from the swarm's labels at start.
    public let generatedCaddyfile: String
    /// Loads since start (`POST /load`).
    public private(set) var loads = 0

    init(config: JSONValue, failing: [String: Int], generatedCaddyfile: String) {
        root = .object(["config": config])
        self.failing = failing
        self.generatedCaddyfile = generatedCaddyfile
    }

    /// The active configuration.
    public var config: JSONValue { CaddyConfigTree.value(in: root, at: ["config"]) ?? .null }

    /// The ETag of the value at `parts`: `"/<path> <hash>"`, as Caddy sends it.
    func etag(_ parts: [String]) -> String {
        let value = CaddyConfigTree.value(in: root, at: parts) ?? .null
        return "\"/\(parts.joined(separator: "/")) \(Self.hash(value))\""
    }

    /// Resolves an `/id/<id>/rest` address to its `config/...` path.
    /// - Throws: ``CaddyAPIError`` 404 for an unknown id.
    func resolve(id: String, rest: [String]) throws -> [String] {
        guard let path = CaddyConfigTree.ids(in: root)[id] else { throw CaddyAPIError(.notFound, "unknown object ID '\(id)'") }
        return path + rest
    }

    /// Reads or changes the tree at `parts` (`config` first), checking `ifMatch` first.
    /// - Returns: what a GET reads and the value's ETag.
    /// - Throws: ``CaddyAPIError`` (412 for a stale If-Match, 400 for a malformed one, Caddy's traversal errors).
    func access(method: String, parts: [String], body: JSONValue?, ellipses: Bool, ifMatch: String?) throws -> (JSONValue?, String?) {
        if let ifMatch {
            let trimmed = ifMatch.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let pieces = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
            guard ifMatch.hasPrefix("\""), ifMatch.hasSuffix("\""), pieces.count == 2 else {
                throw CaddyAPIError(.badRequest, "malformed If-Match header; expect quoted string")
            }
            let expectedParts = pieces[0].split(separator: "/").map(String.init)
            let current = CaddyConfigTree.value(in: root, at: expectedParts) ?? .null
            guard Self.hash(current) == pieces[1] else {
                throw CaddyAPIError(.preconditionFailed, "If-Match header did not match current config hash")
            }
        }
        let path = "/" + parts.joined(separator: "/")
        var copy = root
        let result = try CaddyConfigTree.access(&copy, method: method, parts: parts, value: body, ellipses: ellipses, path: path)
        if method != "GET" {
            try check(copy)
            root = copy
        }
        return (result, method == "GET" ? etag(parts) : nil)
    }

    /// Replaces the whole configuration (`POST /load`).
    /// - Throws: ``CaddyAPIError`` 400 when it is not a configuration object.
    func load(_ config: JSONValue) throws {
        let candidate = JSONValue.object(["config": config])
        try check(candidate)
        root = candidate
        loads += 1
    }

    /// The upstreams every reverse proxy knows, with their counters.
    func upstreams() -> [Caddy.UpstreamStatus] {
        var dials: Set<String> = []
        func visit(_ node: JSONValue) {
            switch node {
            case .object(let object):
                if object["handler"] == .string("reverse_proxy"), case .array(let upstreams)? = object["upstreams"] {
                    for case .object(let upstream) in upstreams {
                        if case .string(let dial)? = upstream["dial"] { dials.insert(dial) }
                    }
                }
                object.values.forEach(visit)
            case .array(let array):
                array.forEach(visit)
            default:
                break
            }
        }
        visit(root)
        return dials.sorted().map { Caddy.UpstreamStatus(address: $0, numRequests: 0, fails: failing[$0] ?? 0) }
    }

    /// A configuration Caddy would refuse to run: the `config` is not an object (or null), or its typed parts do
    /// not decode (a route's `handle` that is not a list, a handler without a `handler` name).
    private func check(_ candidate: JSONValue) throws {
        guard let config = CaddyConfigTree.value(in: candidate, at: ["config"]) else { return }
        switch config {
        case .null: return
        case .object: break
        default: throw CaddyAPIError(.badRequest, "loading config: json: cannot unmarshal into Go value of type caddy.Config")
        }
        do {
            _ = try JSONDecoder().decode(Caddy.Config.self, from: Data(SimulatorJSON.encode(config)))
        } catch {
            throw CaddyAPIError(.badRequest, "loading new config: \(error)")
        }
    }

    /// A 64-bit FNV-1a hash of the value's compact JSON, in hex (Caddy uses xxhash; any stable hash serves).
    static func hash(_ value: JSONValue) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in SimulatorJSON.encode(value) {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
