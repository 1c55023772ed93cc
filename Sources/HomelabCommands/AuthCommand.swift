import ArgumentParser
import Foundation
import HomelabCore

/// `homelab auth`: Authentik's applications, providers, outposts, users, groups and events, and `auth check`, the
/// consistency check between the ingress routes and Authentik's forward auth. Every listing takes
/// `-o table|wide|json|yaml` and `-q`; the rows in AuthRows.swift are the JSON shapes.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Authentik: applications, providers, outposts, users, groups, events; the forward-auth check.",
        subcommands: [Apps.self, Providers.self, Outposts.self, Users.self, Groups.self, Events.self, Check.self])

    /// Opens the inventory's Authentik and runs `body` with its client.
    static func with<T: Sendable>(_ config: ConfigOptions, _ body: (AuthentikClient) async throws -> T) async throws -> T {
        try await HomelabContext.withConnections(config) { connections in
            try await body(try await connections.authentik())
        }
    }
}

extension AuthCommand {
    struct Apps: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "apps", abstract: "Applications and their providers.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "Only applications whose name or slug contains this.")
        var search: String?

        func run() async throws {
            let apps = try await AuthCommand.with(config) { try await $0.applications.list(search: search).collect() }
            try output.list(apps.map(AuthApplicationRow.init), table: AuthApplicationRow.table, id: \.slug)
        }
    }

    struct Providers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "providers",
            abstract: "Providers; proxy providers with their mode, external host, cookie domain and outposts.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Flag(name: .long, help: "Only providers bound to no application.")
        var unassigned = false

        func run() async throws {
            let onlyUnassigned: Bool? = unassigned ? true : nil
            let (all, proxies) = try await AuthCommand.with(config) { authentik in
                async let all = authentik.providers.list(unassigned: onlyUnassigned).collect()
                async let proxies = authentik.providers.proxies().collect()
                return (try await all, try await proxies)
            }
            let byPK = Dictionary(proxies.map { ($0.pk, $0) }, uniquingKeysWith: { first, _ in first })
            let rows = all.map { AuthProviderRow($0, proxy: byPK[$0.pk]) }
            try output.list(rows, table: AuthProviderRow.table, id: { String($0.pk) })
        }
    }

    struct Outposts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "outposts", abstract: "Outposts and the health and version of their running instances.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let rows = try await AuthCommand.with(config) { authentik in
                let state = try await AuthentikForwardAuthState.read(from: authentik)
                let now = Date()
                return state.outposts.map { AuthOutpostRow($0, health: state.health[$0.pk] ?? [], now: now) }
            }
            try output.list(rows, table: AuthOutpostRow.table, id: \.name)
        }
    }

    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "users", abstract: "Users, their groups and last login.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Flag(name: .long, help: "Only active users.")
        var active = false
        @Flag(name: .long, help: "Only deactivated users.")
        var inactive = false
        @Option(name: .long, help: "Only users whose username, name or e-mail contains this.")
        var search: String?

        func validate() throws {
            if active && inactive { throw ValidationError("--active and --inactive exclude each other") }
        }

        func run() async throws {
            let filter: Bool? = active ? true : (inactive ? false : nil)
            let search = self.search
            let (users, groups) = try await AuthCommand.with(config) { authentik in
                async let users = authentik.users.list(isActive: filter, search: search).collect()
                async let groups = authentik.groups.list().collect()
                return (try await users, try await groups)
            }
            let names = Dictionary(groups.map { ($0.pk, $0.name) }, uniquingKeysWith: { first, _ in first })
            try output.list(users.map { AuthUserRow($0, groupNames: names) }, table: AuthUserRow.table, id: \.username)
        }
    }

    struct Groups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "groups", abstract: "Groups and their members.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (groups, users) = try await AuthCommand.with(config) { authentik in
                async let groups = authentik.groups.list().collect()
                async let users = authentik.users.list().collect()
                return (try await groups, try await users)
            }
            let usernames = Dictionary(users.map { ($0.pk, $0.username) }, uniquingKeysWith: { first, _ in first })
            try output.list(groups.map { AuthGroupRow($0, usernames: usernames) }, table: AuthGroupRow.table, id: \.name)
        }
    }

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "events", abstract: "Recent events, newest first (login, login_failed, model_updated, ...).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "Only events with this action (login_failed, model_created, ...).")
        var action: String?
        @Option(name: .long, help: "How many events (default 50).")
        var limit = 50

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let events = try await AuthCommand.with(config) {
                try await $0.events.recent(action: action.map { Authentik.Event.Action(rawValue: $0) }, limit: limit)
            }
            try output.list(events.map(AuthEventRow.init), table: AuthEventRow.table, id: \.pk)
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Checks forward auth: every protected route has an application and proxy provider bound to a healthy outpost.",
            discussion: """
                Exits 5 when there are findings. The routes are read from the inventory's Caddy (every host it serves, \
                protected when its handlers go through forward auth); --protected HOST and --public HOST give them \
                instead (to check a plan, or an ingress that is not Caddy).
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .customLong("protected"), help: "A host Caddy sends through forward auth (repeatable).")
        var protectedHosts: [String] = []
        @Option(name: .customLong("public"), help: "A host Caddy serves without forward auth (repeatable).")
        var publicHosts: [String] = []

        func run() async throws {
            let given = protectedHosts.map { ForwardAuthRoute(host: $0, isProtected: true) }
                + publicHosts.map { ForwardAuthRoute(host: $0, isProtected: false) }
            let findings = try await HomelabContext.withConnections(config) { connections in
                let routes = try await AuthCheckRoutes.routes(connections: connections, given: given)
                let state = try await AuthentikForwardAuthState.read(from: try await connections.authentik())
                return ForwardAuthCheck.findings(routes: routes, state: state)
            }
            try output.list(findings.map(AuthFindingRow.init), table: AuthFindingRow.table, id: { "\($0.host) \($0.kind)" })
            if findings.isEmpty {
                output.line("forward auth: every protected route is covered")
            } else {
                throw ExitStatus.degraded.code
            }
        }
    }
}

/// Where `homelab auth check` gets the ingress routes from: the live Caddy, unless routes are given.
enum AuthCheckRoutes {
    /// The routes given on the command line when there are any (to check a plan, or an ingress that is not Caddy);
    /// otherwise every host the inventory's Caddy serves, protected when its handler chain goes through forward auth.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when nothing is given and the inventory has no Caddy;
    ///   Caddy's errors when it cannot be read.
    static func routes(connections: HomelabConnections, given: [ForwardAuthRoute]) async throws -> [ForwardAuthRoute] {
        guard given.isEmpty else { return given }
        guard connections.homelab.components[.caddy] != nil else {
            throw HomelabError(
                .invalidConfiguration, "auth check reads the ingress routes from Caddy, and the inventory has no caddy component: add one, or give the routes with --protected HOST and --public HOST",
                component: "caddy")
        }
        let config = try await connections.caddy().config()
        return ForwardAuthRoute.routes(from: Caddy.siteRoutes(in: config.value))
    }
}
