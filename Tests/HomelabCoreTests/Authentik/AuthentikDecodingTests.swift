import Foundation
import HomelabCore
import Testing

@Suite("Authentik models decode leniently")
struct AuthentikDecodingTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test("a new proxy mode, a new outpost type and a new event action are kept, not fatal")
    func unknownEnumValues() throws {
        let provider = try decode(Authentik.ProxyProvider.self, #"{"pk": 4, "name": "x", "external_host": "https://x.home.arpa", "mode": "forward_everything"}"#)
        #expect(provider.mode == .unknown("forward_everything") && !provider.mode.isForwardAuth)
        let outpost = try decode(Authentik.Outpost.self, #"{"pk": "u", "name": "o", "type": "scim", "providers": [1]}"#)
        #expect(outpost.type == .unknown("scim") && outpost.providers == [1])
        let event = try decode(Authentik.Event.self, #"{"pk": "e", "action": "review_attested", "app": "a", "created": "2026-02-01T10:00:00.123456Z", "user": {"username": "alice"}}"#)
        #expect(event.action.rawValue == "review_attested" && event.username == "alice")
        #expect(ISOTimestamp.date(event.created) != nil)
    }

    @Test("fields of a changed type or missing read as absent; unknown fields are ignored")
    func changedFields() throws {
        let app = try decode(Authentik.Application.self, #"{"slug": "grafana", "provider": "7", "provider_obj": null, "brand_new": {"a": 1}}"#)
        #expect(app.slug == "grafana" && app.name == "grafana" && app.provider == nil)
        let user = try decode(Authentik.User.self, #"{"pk": 3, "username": "bob", "groups": "not-a-list", "is_active": false}"#)
        #expect(user.groups.isEmpty && !user.isActive)
        let group = try decode(Authentik.Group.self, #"{"pk": "g", "name": "old", "parent": "p1"}"#)
        #expect(group.parents == ["p1"], "a pre-2026 single parent")
        #expect(throws: DecodingError.self) { try decode(Authentik.Provider.self, #"{"name": "no pk"}"#) }
    }

    @Test("outpost health: recent check-ins are healthy, old or missing ones are not")
    func health() throws {
        let now = try #require(ISOTimestamp.date("2026-03-01T12:00:00Z"))
        let recent = try decode(Authentik.OutpostHealth.self, #"{"uid": "a", "last_seen": "2026-03-01T11:59:30.5+00:00"}"#)
        let old = try decode(Authentik.OutpostHealth.self, #"{"uid": "b", "last_seen": "2026-03-01T10:00:00Z"}"#)
        let never = try decode(Authentik.OutpostHealth.self, #"{"uid": "c"}"#)
        #expect(recent.isHealthy(now: now) && !old.isHealthy(now: now) && !never.isHealthy(now: now))
    }
}

@Suite("The forward-auth check, without I/O")
struct ForwardAuthCheckTests {
    func state(modes: [Authentik.ProxyProvider.Mode] = [.forwardSingle, .forwardSingle], bound: [Int] = [1, 2], seen: String = "2026-03-01T11:59:00Z")
        -> AuthentikForwardAuthState
    {
        var grafana = Authentik.ProxyProvider(pk: 1, name: "grafana", externalHost: "https://grafana.home.arpa", mode: modes[0])
        grafana.assignedApplicationSlug = "grafana"
        var wiki = Authentik.ProxyProvider(pk: 2, name: "wiki", externalHost: "https://Wiki.home.arpa/", mode: modes[1])
        wiki.assignedApplicationSlug = "wiki"
        return AuthentikForwardAuthState(
            applications: [Authentik.Application(name: "Grafana", slug: "grafana", provider: 1), Authentik.Application(name: "Wiki", slug: "wiki", provider: 2)],
            proxyProviders: [grafana, wiki],
            outposts: [Authentik.Outpost(pk: "o1", name: "embedded", providers: bound)],
            health: ["o1": [Authentik.OutpostHealth(uid: "i", lastSeen: seen)]])
    }

    let now = ISOTimestamp.date("2026-03-01T12:00:00Z") ?? Date()

    @Test("a covered route and a routed provider give no finding")
    func clean() {
        let routes = [ForwardAuthRoute(host: "GRAFANA.home.arpa", isProtected: true), ForwardAuthRoute(host: "wiki.home.arpa", isProtected: false)]
        #expect(ForwardAuthCheck.findings(routes: routes, state: state(), now: now).isEmpty)
    }

    @Test("each kind of finding", arguments: [
        ("missing", ForwardAuthFinding.Kind.noProvider), ("proxy-mode", .noProvider), ("unbound", .noOutpost), ("stale", .outpostUnhealthy),
        ("unrouted", .unroutedHost),
    ])
    func findings(_ scenario: String, _ kind: ForwardAuthFinding.Kind) {
        var routes = [ForwardAuthRoute(host: "grafana.home.arpa", isProtected: true), ForwardAuthRoute(host: "wiki.home.arpa", isProtected: false)]
        var current = state()
        switch scenario {
        case "missing": routes.append(ForwardAuthRoute(host: "sonarr.home.arpa", isProtected: true))
        case "proxy-mode": current = state(modes: [.proxy, .forwardSingle])
        case "unbound": current = state(bound: [2])
        case "stale": current = state(seen: "2026-03-01T09:00:00Z")
        default: routes.removeLast()
        }
        let found = ForwardAuthCheck.findings(routes: routes, state: current, now: now)
        #expect(found.map(\.kind) == [kind], "\(found)")
    }
}
