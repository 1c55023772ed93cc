import Foundation
import HomelabCore
import Testing

/// The Caddy admin client's behaviour, checked the same way against the real caddy (Debian's and the official
/// build) and against the simulator: load, typed read with unknown fields kept, `@id` addressing, a patch with
/// `If-Match`, a 412 and its retry, append and delete, adapt, upstreams.
public enum CaddyClientScenario {
    /// The configuration the scenario loads: one server on `127.0.0.1:httpPort` (no automatic HTTPS) with a
    /// static route `hello` (Host `hello.test`) and a proxy route `proxy` (Host `app.test`) to `upstream`; `admin`
    /// keeps a real caddy's admin listener where it is.
    public static func config(httpPort: Int, upstream: String, admin: JSONValue?) -> Caddy.Config {
        let hello = Caddy.Route(
            id: "hello", match: [Caddy.MatcherSet(host: ["hello.test"])], handle: [.staticResponse(status: 200, body: "hello")],
            terminal: true)
        let proxy = Caddy.Route(
            id: "proxy", match: [Caddy.MatcherSet(host: ["app.test"], path: ["/echo*"])], handle: [.reverseProxy([upstream])], terminal: true)
        let server = Caddy.HTTPServer(
            listen: ["127.0.0.1:\(httpPort)"], routes: [hello, proxy],
            other: ["automatic_https": .object(["disable": .bool(true)]), "idle_timeout": .integer(120_000_000_000)])
        return Caddy.Config(admin: admin, apps: Caddy.Apps(http: Caddy.HTTPApp(servers: ["srv0": server])))
    }

    /// Runs every step against `caddy`.
    public static func run(_ caddy: CaddyClient, httpPort: Int, upstream: String, admin: JSONValue?) async throws {
        try await caddy.load(config(httpPort: httpPort, upstream: upstream, admin: admin), force: true)

        // Typed read; a field the models do not name is kept.
        let whole = try await caddy.config()
        let server = try #require(whole.value.httpServers["srv0"])
        #expect(server.routes?.map(\.id) == ["hello", "proxy"])
        #expect(server.other["idle_timeout"] != nil)
        #expect(whole.etag != nil)

        // @id addressing, with the ETag of the object's real path.
        let hello = try await caddy.read(Caddy.Route.self, at: .id("hello"))
        #expect(hello.value.handle?.first?.body == "hello")
        let etag = try #require(hello.etag)
        #expect(etag.hasPrefix("\"/config/apps/http/servers/srv0/routes/0 "))
        let dial = try await caddy.read(String.self, at: .id("proxy", "handle/0/upstreams/0/dial"))
        #expect(dial.value == upstream)

        // A patch with the right If-Match is applied.
        try await caddy.patch("patched", at: .id("hello", "handle/0/body"), ifMatch: etag)
        #expect(try await caddy.read(String.self, at: .id("hello", "handle/0/body")).value == "patched")

        // The old ETag is now stale: 412, mapped to outOfSequence.
        do {
            try await caddy.patch("stale", at: .id("hello", "handle/0/body"), ifMatch: etag)
            Issue.record("a stale If-Match was accepted")
        } catch let error as HomelabError {
            #expect(error.status == 412)
            #expect(error.code == .outOfSequence)
        }

        // The kit's optimistic update retries after the 412: the first attempt sends the stale ETag.
        let attempts = Attempts()
        try await OptimisticUpdate.ifMatch().run("route hello", component: "caddy", logger: nil) {
            let number = await attempts.next()
            let current = try await caddy.read(Caddy.Route.self, at: .id("hello"))
            try await caddy.patch("retried", at: .id("hello", "handle/0/body"), ifMatch: number == 1 ? etag : current.etag)
        }
        #expect(await attempts.count == 2)
        #expect(try await caddy.read(String.self, at: .id("hello", "handle/0/body")).value == "retried")

        // modify: the whole read-modify-write, unknown fields of the route kept.
        let modified = try await caddy.modify(Caddy.Route.self, at: .id("hello")) { route in
            route.handle = [.staticResponse(status: 200, body: "modified")]
        }
        #expect(modified.id == "hello")
        #expect(try await caddy.read(String.self, at: .id("hello", "handle/0/body")).value == "modified")

        // Append a route, address it by its @id, delete it.
        try await caddy.post(
            Caddy.Route(id: "extra", match: [Caddy.MatcherSet(host: ["extra.test"])], handle: [.staticResponse(status: 204)]),
            at: .path("apps/http/servers/srv0/routes"))
        #expect(try await caddy.read(Caddy.Route.self, at: .id("extra")).value.hosts == ["extra.test"])
        try await caddy.delete(at: .id("extra"))
        do {
            _ = try await caddy.read(at: .id("extra"))
            Issue.record("a deleted @id still answers")
        } catch let error as HomelabError {
            #expect(error.code == .notFound)
        }

        // PUT creates strictly.
        do {
            try await caddy.put("again", at: .id("hello", "handle/0/body"))
            Issue.record("PUT replaced an existing key")
        } catch is HomelabError {}

        // Adapt a Caddyfile without loading it.
        let adapted = try await caddy.adapt(caddyfile: "adapted.test {\n\treverse_proxy \(upstream)\n}\n")
        let routes = Caddy.siteRoutes(in: try adapted.config())
        #expect(routes.map(\.host) == ["adapted.test"])
        #expect(routes.first?.upstreams == [upstream])
        #expect(try await caddy.read(Caddy.Route.self, at: .id("hello")).value.hosts == ["hello.test"])

        // The reverse proxies' upstreams.
        #expect(try await caddy.upstreams().contains { $0.address == upstream })
    }

    private actor Attempts {
        var count = 0
        func next() -> Int {
            count += 1
            return count
        }
    }
}
