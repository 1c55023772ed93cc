import Foundation
import HomelabCore

/// The simulated Authentik's state: flows, applications with forward-auth proxy providers for the homelab's
/// protected routes (maintainerr's bound to no outpost, and an `old-wiki` application for a host no route serves,
/// on purpose), the embedded outpost with one healthy instance, users, groups and an event log.
public actor AuthentikWorld {
    /// The API token the written inventory references.
    public nonisolated let token: String
    /// The version it reports.
    public nonisolated let version = "2026.2.2"

    struct Flow: Sendable {
        let pk: String
        let slug: String
        let name: String
        let designation: String
    }

    struct Provider: Sendable {
        let pk: Int
        var name: String
        var externalHost: String
        var mode: String
        var cookieDomain: String
        var authorizationFlow: String
        var invalidationFlow: String
        let clientID: String
    }

    struct Application: Sendable {
        let pk: String
        var name: String
        var slug: String
        var provider: Int?
        var group: String
        var launchURL: String
    }

    struct Outpost: Sendable {
        let pk: String
        var name: String
        var type: String
        var providers: [Int]
        var managed: String?
    }

    struct User: Sendable {
        let pk: Int
        var username: String
        var name: String
        var email: String
        var isActive: Bool
        var type: String
        let uuid: String
        let joined: Date
        var lastLogin: Date?
    }

    struct Group: Sendable {
        let pk: String
        let numPK: Int
        var name: String
        var isSuperuser: Bool
        var users: [Int]
    }

    struct Event: Sendable {
        let pk: String
        let action: String
        let app: String
        let user: Int?
        let clientIP: String?
        let created: Date
        let context: [String: JSONValue]
    }

    /// The directory's contents, a value the actor owns.
    struct State: Sendable {
        var flows: [Flow] = []
        var providers: [Provider] = []
        var applications: [Application] = []
        var outposts: [Outpost] = []
        var users: [User] = []
        var groups: [Group] = []
        var events: [Event] = []
        var nextProvider = 1
        var nextUser = 1
        var nextGroup = 1
        /// Whether the embedded outpost's instance checks in (a test turns it off to see the check notice).
        var outpostHealthy = true

        /// The seeded state for `routes`.
        init(routes: [SimulatedRoute], now: Date) {
            let authorization = Flow(
                pk: AuthentikWorld.uuid(1), slug: "default-provider-authorization-implicit-consent", name: "Authorize Application", designation: "authorization")
            let invalidation = Flow(pk: AuthentikWorld.uuid(2), slug: "default-provider-invalidation-flow", name: "Logged out of application", designation: "invalidation")
            let authentication = Flow(pk: AuthentikWorld.uuid(3), slug: "default-authentication-flow", name: "Welcome to authentik!", designation: "authentication")
            flows = [authentication, authorization, invalidation]
            var embeddedProviders: [Int] = []
            for route in routes where route.isProtected {
                let provider = makeProvider(name: "\(route.name) forward auth", host: "https://" + route.host, authorization: authorization.pk, invalidation: invalidation.pk)
                applications.append(Application(
                    pk: AuthentikWorld.uuid(100 + provider.pk), name: route.name.capitalized, slug: route.name, provider: provider.pk,
                    group: AuthentikWorld.group(of: route.name), launchURL: "https://" + route.host))
                if route.name != "maintainerr" { embeddedProviders.append(provider.pk) }
            }
            let wiki = makeProvider(name: "old-wiki forward auth", host: "https://wiki.home.arpa", authorization: authorization.pk, invalidation: invalidation.pk)
            applications.append(Application(
                pk: AuthentikWorld.uuid(100 + wiki.pk), name: "Old wiki", slug: "old-wiki", provider: wiki.pk, group: "", launchURL: "https://wiki.home.arpa"))
            embeddedProviders.append(wiki.pk)
            outposts = [Outpost(pk: AuthentikWorld.uuid(900), name: "authentik Embedded Outpost", type: "proxy", providers: embeddedProviders, managed: "goauthentik.io/outposts/embedded")]
            let admins = Group(pk: AuthentikWorld.uuid(500), numPK: 1, name: "authentik Admins", isSuperuser: true, users: [])
            let media = Group(pk: AuthentikWorld.uuid(501), numPK: 2, name: "media-users", isSuperuser: false, users: [])
            let operators = Group(pk: AuthentikWorld.uuid(502), numPK: 3, name: "homelab-operators", isSuperuser: false, users: [])
            groups = [admins, media, operators]
            nextGroup = 4
            let people: [(String, String, [Int], Bool, String)] = [
                ("akadmin", "authentik Default Admin", [0, 2], true, "internal"), ("alice", "Alice Martin", [1, 2], true, "internal"),
                ("bob", "Bob Durand", [1], true, "internal"), ("carol", "Carol Petit", [1], false, "internal"),
                ("homelab-sdk", "homelab SDK", [2], true, "service_account"),
            ]
            for (username, name, memberOf, active, type) in people {
                let pk = nextUser
                nextUser += 1
                users.append(User(
                    pk: pk, username: username, name: name, email: "\(username)@home.arpa", isActive: active, type: type,
                    uuid: AuthentikWorld.uuid(300 + pk), joined: now.addingTimeInterval(-86_400 * 90), lastLogin: active ? now.addingTimeInterval(-3_600 * Double(pk)) : nil))
                for index in memberOf { groups[index].users.append(pk) }
            }
            let actions = ["login", "login", "login_failed", "model_updated", "authorize_application", "login", "login_failed", "model_created",
                           "logout", "login", "secret_view", "login", "configuration_error", "login", "update_available"]
            for (index, action) in actions.enumerated() {
                let user = index % 3 == 0 ? 1 : 2
                events.append(Event(
                    pk: AuthentikWorld.uuid(700 + index), action: action, app: action.hasPrefix("model") ? "authentik.events.signals" : "authentik.stages.password",
                    user: action == "update_available" ? nil : user, clientIP: "192.0.2.\(10 + index % 5)",
                    created: now.addingTimeInterval(-600 * Double(index + 1)),
                    context: action == "login_failed" ? ["username": .string("alice"), "stage": .string("default-authentication-password")] : [:]))
            }
        }

        mutating func makeProvider(name: String, host: String, authorization: String, invalidation: String) -> Provider {
            let provider = Provider(
                pk: nextProvider, name: name, externalHost: host, mode: "forward_single", cookieDomain: "", authorizationFlow: authorization,
                invalidationFlow: invalidation, clientID: String(repeating: String(format: "%02x", nextProvider), count: 20))
            nextProvider += 1
            providers.append(provider)
            return provider
        }

    }

    var state: State

    /// The seeded directory for `routes`.
    public init(routes: [SimulatedRoute], now: Date = Date()) {
        token = "ak-sim-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        state = State(routes: routes, now: now)
    }

    static func uuid(_ number: Int) -> String {
        let hex = String(number, radix: 16)
        return "5e1a0000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    static func group(of name: String) -> String {
        ["prowlarr", "sabnzbd", "sonarr", "radarr", "bazarr", "tautulli", "maintainerr", "seerr"].contains(name) ? "Media" : "Operations"
    }

    /// Turns the embedded outpost's instance's check-ins on or off.
    public func setOutpostHealthy(_ healthy: Bool) { state.outpostHealthy = healthy }
}
