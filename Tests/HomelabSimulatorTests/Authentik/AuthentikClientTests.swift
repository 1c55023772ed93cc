import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

@Suite("Authentik client against the simulated Authentik", .serialized)
struct AuthentikClientTests {
    @Test("applications, proxy providers, outposts, flows, version and system read through the page sequence")
    func readsEverything() async throws {
        try await withPlatform { platform in
            let authentik = platform.authentik()
            let version = try await authentik.version()
            #expect(version.versionCurrent == "2026.2.2")
            #expect(try await authentik.system().embeddedOutpostDisabled == false)
            let apps = try await authentik.applications.list().collect()
            let protected = platform.simulatedRoutes.filter(\.isProtected)
            #expect(apps.count == protected.count + 1)
            #expect(Set(apps.map(\.slug)).isSuperset(of: ["grafana", "sonarr", "maintainerr", "old-wiki"]))
            let grafana = try await authentik.applications.get("grafana")
            #expect(grafana.providerObject?.name == "grafana forward auth")
            let proxies = try await authentik.providers.proxies().collect()
            let forGrafana = try #require(proxies.first { $0.externalHostName == "grafana.home.arpa" })
            #expect(forGrafana.mode == .forwardSingle && forGrafana.mode.isForwardAuth)
            #expect(forGrafana.assignedApplicationSlug == "grafana")
            #expect(forGrafana.outpostSet == ["authentik Embedded Outpost"])
            let all = try await authentik.providers.list().collect()
            #expect(all.count == proxies.count)
            let embedded = try #require(try await authentik.outposts.embedded())
            #expect(embedded.type == .proxy && embedded.isEmbedded)
            let health = try await authentik.outposts.health(embedded.pk)
            #expect(health.count == 1 && health[0].isHealthy() && health[0].version == "2026.2.2")
            let authorization = try await authentik.flows.list(designation: "authorization").collect()
            #expect(authorization.map(\.slug) == ["default-provider-authorization-implicit-consent"])
        }
    }

    @Test("pagination: exactly one page, many pages, a page as large as the listing; no item at all", arguments: [200, 2, 14, 5])
    func pages(pageSize: Int) async throws {
        try await withPlatform { platform in
            let authentik = platform.authentik(pageSize: pageSize)
            let apps = try await authentik.applications.list().collect()
            #expect(apps.count == 14, "13 protected routes and old-wiki")
            #expect(Set(apps.map(\.slug)).count == apps.count, "no page read twice")
            let none = try await authentik.applications.list(search: "no-such-application").collect()
            #expect(none.isEmpty)
        }
    }

    @Test("filters: active users, username, search; events by action, newest first; unassigned providers")
    func filters() async throws {
        try await withPlatform { platform in
            let authentik = platform.authentik(pageSize: 3)
            let active = try await authentik.users.list(isActive: true).collect()
            let inactive = try await authentik.users.list(isActive: false).collect()
            #expect(inactive.map(\.username) == ["carol"])
            #expect(active.count == 4 && !active.contains { $0.username == "carol" })
            #expect(try await authentik.users.find(username: "alice")?.name == "Alice Martin")
            #expect(try await authentik.users.find(username: "nobody") == nil)
            let failed = try await authentik.events.recent(action: .loginFailed)
            #expect(failed.count == 2 && failed.allSatisfy { $0.action == .loginFailed })
            let recent = try await authentik.events.recent(limit: 4)
            #expect(recent.count == 4)
            let dates = recent.compactMap { ISOTimestamp.date($0.created) }
            #expect(dates == dates.sorted(by: >))
            #expect(try await authentik.providers.list(unassigned: true).collect().isEmpty)
        }
    }

    @Test("users and groups: create, add to a group, remove, deactivate")
    func usersAndGroups() async throws {
        try await withPlatform { platform in
            let authentik = platform.authentik()
            let user = try await authentik.users.create(Authentik.UserRequest(username: "dave", name: "Dave", email: "dave@home.arpa"))
            #expect(user.isActive && user.groups.isEmpty)
            let group = try await authentik.groups.create(name: "backup-operators")
            try await authentik.groups.add(user: user.pk, to: group.pk)
            #expect(try await authentik.groups.get(group.pk).users == [user.pk])
            #expect(try await authentik.users.get(user.pk).groups == [group.pk])
            try await authentik.groups.remove(user: user.pk, from: group.pk)
            #expect(try await authentik.groups.get(group.pk).users.isEmpty)
            let deactivated = try await authentik.users.deactivate(user.pk)
            #expect(!deactivated.isActive)
            do {
                _ = try await authentik.users.create(Authentik.UserRequest(username: "dave", name: "Again"))
                Issue.record("a second user with the same username was created")
            } catch let error as HomelabError {
                #expect(error.code == .invalidArgument && (error.serverMessage ?? "").contains("username"))
            }
        }
    }

    @Test("an application with a forward-auth provider bound to the embedded outpost, created through the API")
    func createsForwardAuth() async throws {
        try await withPlatform { platform in
            let authentik = platform.authentik()
            let flows = try await authentik.flows.list().collect()
            let authorization = try #require(flows.first { $0.designation == "authorization" })
            let invalidation = try #require(flows.first { $0.designation == "invalidation" })
            let provider = try await authentik.providers.createProxy(Authentik.ProxyProviderRequest(
                name: "wiki forward auth", externalHost: "https://notes.home.arpa", authorizationFlow: authorization.pk,
                invalidationFlow: invalidation.pk))
            #expect(provider.mode == .forwardSingle && provider.outpostSet.isEmpty)
            let app = try await authentik.applications.create(Authentik.ApplicationRequest(name: "Notes", slug: "notes", provider: provider.pk))
            #expect(app.provider == provider.pk)
            let embedded = try #require(try await authentik.outposts.embedded())
            let bound = try await authentik.outposts.bind(provider: provider.pk, to: embedded.pk)
            #expect(bound.providers.contains(provider.pk))
            #expect(try await authentik.providers.proxy(provider.pk).outpostSet == ["authentik Embedded Outpost"])
            try await authentik.applications.delete("notes")
            await #expect(throws: HomelabError.self) { try await authentik.applications.get("notes") }
        }
    }

    @Test("a rejected token is a 403 mapped to .unauthorized, and the token never appears in the error")
    func rejectedToken() async throws {
        try await withPlatform { platform in
            let canary = "ak-canary-\(UUID().uuidString)"
            do {
                _ = try await platform.authentik(token: canary).applications.list().collect()
                Issue.record("a wrong token was accepted")
            } catch let error as HomelabError {
                #expect(error.code == .unauthorized && error.status == 403)
                #expect(!"\(error)".contains(canary))
            }
        }
    }

    @Test("auth check finds exactly maintainerr's missing outpost and old-wiki's unrouted host; a stale outpost is reported")
    func forwardAuthCheck() async throws {
        try await withPlatform { platform in
            let state = try await AuthentikForwardAuthState.read(from: platform.authentik(pageSize: 7))
            let findings = ForwardAuthCheck.findings(routes: platform.routes, state: state)
            #expect(findings.map(\.kind) == [.noOutpost, .unroutedHost])
            #expect(findings.map(\.host) == ["maintainerr.home.arpa", "wiki.home.arpa"])
            #expect(findings.map(\.application) == ["maintainerr", "old-wiki"])

            await platform.authentikWorld.setOutpostHealthy(false)
            let stale = ForwardAuthCheck.findings(
                routes: platform.routes, state: try await AuthentikForwardAuthState.read(from: platform.authentik()))
            #expect(stale.filter { $0.kind == .outpostUnhealthy }.count == platform.simulatedRoutes.filter(\.isProtected).count - 1)
        }
    }

    @Test("the simulated homelab opens Authentik through its inventory, the token an op:// reference resolved through Connect")
    func opensThroughOnePassword() async throws {
        try await withPlatform { platform in
            let component = try #require(platform.sim.simulation.homelab.components[.authentik])
            #expect(component.credentials["token"] == .onePassword(vault: "homelab", item: "authentik", section: nil, field: "api-token"))
            let connect = try #require(platform.sim.simulation.homelab.components[.onepassword])
            #expect(connect.credentials["token"]?.kind == .file)
            let connections = platform.connections()
            let version = try await connections.authentik().version()
            #expect(version.versionCurrent == "2026.2.2")
            await connections.close()
        }
    }
}
