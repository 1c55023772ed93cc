import Foundation
import HomelabCore

/// One application in `homelab auth apps -o json`.
struct AuthApplicationRow: Encodable, Sendable {
    var slug: String
    var name: String
    var provider: String?
    var provider_pk: Int?
    var launch_url: String?
    var group: String?

    init(_ app: Authentik.Application) {
        slug = app.slug
        name = app.name
        provider = app.providerObject?.name
        provider_pk = app.provider
        launch_url = app.launchURL
        group = app.group.flatMap { $0.isEmpty ? nil : $0 }
    }

    static let table = Table<AuthApplicationRow>([
        .init("SLUG") { .text($0.slug) },
        .init("NAME") { .text($0.name) },
        .init("PROVIDER") { $0.provider.map { .text($0) } ?? .state("none", .warning) },
        .init("LAUNCH URL") { .text($0.launch_url ?? "-") },
        .init("GROUP", wide: true) { .text($0.group ?? "-") },
    ])
}

/// One provider in `homelab auth providers -o json` (proxy providers with their forward-auth settings).
struct AuthProviderRow: Encodable, Sendable {
    var pk: Int
    var name: String
    var type: String
    var mode: String?
    var external_host: String?
    var cookie_domain: String?
    var application: String?
    var outposts: [String]

    init(_ provider: Authentik.Provider, proxy: Authentik.ProxyProvider?) {
        pk = provider.pk
        name = provider.name
        type = provider.verboseName ?? provider.component ?? "provider"
        mode = proxy?.mode.rawValue
        external_host = proxy.flatMap { $0.externalHost.isEmpty ? nil : $0.externalHost }
        cookie_domain = proxy?.cookieDomain.flatMap { $0.isEmpty ? nil : $0 }
        application = provider.assignedApplicationSlug ?? proxy?.assignedApplicationSlug
        outposts = proxy?.outpostSet ?? []
    }

    static let table = Table<AuthProviderRow>([
        .init("PK") { .text(String($0.pk)) },
        .init("NAME") { .text($0.name) },
        .init("MODE") { .text($0.mode ?? $0.type) },
        .init("EXTERNAL HOST") { .text($0.external_host ?? "-") },
        .init("APPLICATION") { $0.application.map { .text($0) } ?? .state("none", .warning) },
        .init("OUTPOSTS") { $0.outposts.isEmpty && $0.mode != nil ? .state("none", .warning) : .text($0.outposts.joined(separator: ", ")) },
        .init("COOKIE DOMAIN", wide: true) { .text($0.cookie_domain ?? "-") },
    ])
}

/// One outpost in `homelab auth outposts -o json`, with its running instances' health.
struct AuthOutpostRow: Encodable, Sendable {
    var pk: String
    var name: String
    var type: String
    var embedded: Bool
    var providers: Int
    var instances: Int
    var healthy: Bool
    var version: String?
    var last_seen: Date?

    init(_ outpost: Authentik.Outpost, health: [Authentik.OutpostHealth], now: Date) {
        pk = outpost.pk
        name = outpost.name
        type = outpost.type.rawValue
        embedded = outpost.isEmbedded
        providers = outpost.providers.count
        instances = health.count
        healthy = health.contains { $0.isHealthy(now: now) }
        version = health.compactMap(\.version).first
        last_seen = health.compactMap(\.lastSeenDate).max()
    }

    static let table = Table<AuthOutpostRow>([
        .init("NAME") { .text($0.name) },
        .init("TYPE") { .text($0.type + ($0.embedded ? " (embedded)" : "")) },
        .init("PROVIDERS") { .text(String($0.providers)) },
        .init("HEALTH") { .state($0.healthy ? "healthy" : ($0.instances == 0 ? "no instance" : "stale"), $0.healthy ? .good : .bad) },
        .init("VERSION") { .text($0.version ?? "-") },
        .init("LAST SEEN") { .time($0.last_seen) },
        .init("UUID", wide: true) { .text($0.pk) },
    ])
}

/// One user in `homelab auth users -o json`.
struct AuthUserRow: Encodable, Sendable {
    var pk: Int
    var username: String
    var name: String
    var email: String?
    var active: Bool
    var superuser: Bool
    var type: String?
    var groups: [String]
    var last_login: Date?

    init(_ user: Authentik.User, groupNames: [String: String]) {
        pk = user.pk
        username = user.username
        name = user.name
        email = user.email.flatMap { $0.isEmpty ? nil : $0 }
        active = user.isActive
        superuser = user.isSuperuser
        type = user.type
        groups = user.groups.map { groupNames[$0] ?? $0 }.sorted()
        last_login = ISOTimestamp.date(user.lastLogin)
    }

    static let table = Table<AuthUserRow>([
        .init("USERNAME") { .text($0.username) },
        .init("NAME") { .text($0.name) },
        .init("ACTIVE") { .state($0.active ? "yes" : "no", $0.active ? .good : .muted) },
        .init("GROUPS") { .text($0.groups.joined(separator: ", ")) },
        .init("LAST LOGIN") { .time($0.last_login) },
        .init("EMAIL", wide: true) { .text($0.email ?? "-") },
        .init("TYPE", wide: true) { .text($0.type ?? "-") },
        .init("PK", wide: true) { .text(String($0.pk)) },
    ])
}

/// One group in `homelab auth groups -o json`.
struct AuthGroupRow: Encodable, Sendable {
    var pk: String
    var name: String
    var superuser: Bool
    var members: [String]

    init(_ group: Authentik.Group, usernames: [Int: String]) {
        pk = group.pk
        name = group.name
        superuser = group.isSuperuser
        members = group.users.map { usernames[$0] ?? String($0) }.sorted()
    }

    static let table = Table<AuthGroupRow>([
        .init("NAME") { .text($0.name) },
        .init("SUPERUSER") { .text($0.superuser ? "yes" : "no") },
        .init("MEMBERS") { .text($0.members.joined(separator: ", ")) },
        .init("UUID", wide: true) { .text($0.pk) },
    ])
}

/// One event in `homelab auth events -o json`.
struct AuthEventRow: Encodable, Sendable {
    var pk: String
    var created: Date?
    var action: String
    var username: String?
    var client_ip: String?
    var app: String?

    init(_ event: Authentik.Event) {
        pk = event.pk
        created = ISOTimestamp.date(event.created)
        action = event.action.rawValue
        username = event.username
        client_ip = event.clientIP
        app = event.app
    }

    static let table = Table<AuthEventRow>([
        .init("WHEN") { .time($0.created) },
        .init("ACTION") { .state($0.action, $0.action.contains("failed") || $0.action.contains("error") ? .bad : .muted) },
        .init("USER") { .text($0.username ?? "-") },
        .init("CLIENT") { .text($0.client_ip ?? "-") },
        .init("APP", wide: true) { .text($0.app ?? "-") },
    ])
}

/// One finding in `homelab auth check -o json`.
struct AuthFindingRow: Encodable, Sendable {
    var kind: String
    var host: String
    var application: String?
    var detail: String

    init(_ finding: ForwardAuthFinding) {
        kind = finding.kind.rawValue
        host = finding.host
        application = finding.application
        detail = finding.detail
    }

    static let table = Table<AuthFindingRow>([
        .init("HOST") { .text($0.host) },
        .init("FINDING") { .state($0.kind, .bad) },
        .init("APPLICATION") { .text($0.application ?? "-") },
        .init("DETAIL") { .text($0.detail) },
    ])
}
