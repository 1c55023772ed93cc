import Foundation
import HomelabCore
import Hummingbird

/// An Authentik error answer: `{"detail": ...}` (403, 404) or field errors (400).
struct AuthentikAPIError: SimulatedAPIError {
    let code: Int
    let body: JSONValue

    var status: HTTPResponse.Status { HTTPResponse.Status(code: code) }

    var message: String {
        if case .object(let object) = body, case .string(let detail)? = object["detail"] { return detail }
        return "invalid request"
    }

    /// 404 `{"detail": "No ... matches the given query."}`.
    static func notFound(_ what: String) -> AuthentikAPIError {
        AuthentikAPIError(code: 404, body: .object(["detail": .string("No \(what) matches the given query.")]))
    }

    /// 400 with one field's errors.
    static func field(_ name: String, _ message: String) -> AuthentikAPIError {
        AuthentikAPIError(code: 400, body: .object([name: .array([.string(message)])]))
    }
}

extension AuthentikWorld {
    static let iso: Date.ISO8601FormatStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func time(_ date: Date) -> JSONValue { .string(date.formatted(iso)) }

    /// One page of `items` in Authentik's envelope (`next`/`previous` are page numbers, 0 when there is none).
    /// - Throws: ``AuthentikAPIError`` 404 "Invalid page." for a page past the end, as Django's paginator answers.
    static func page(_ items: [JSONValue], query: [String: String], defaultSize: Int = 100, maxSize: Int = 100) throws -> JSONValue {
        let size = min(maxSize, max(1, query["page_size"].flatMap { Int($0) } ?? defaultSize))
        let number = max(1, query["page"].flatMap { Int($0) } ?? 1)
        let total = max(1, (items.count + size - 1) / size)
        guard number <= total else { throw AuthentikAPIError(code: 404, body: .object(["detail": .string("Invalid page.")])) }
        let start = (number - 1) * size
        let slice = Array(items[min(start, items.count)..<min(start + size, items.count)])
        return .object([
            "pagination": .object([
                "next": .integer(Int64(number < total ? number + 1 : 0)), "previous": .integer(Int64(number > 1 ? number - 1 : 0)),
                "count": .integer(Int64(items.count)), "current": .integer(Int64(number)), "total_pages": .integer(Int64(total)),
                "start_index": .integer(Int64(items.isEmpty ? 0 : start + 1)), "end_index": .integer(Int64(start + slice.count)),
            ]),
            "results": .array(slice), "autocomplete": .object([:]),
        ])
    }

    // MARK: JSON shapes (the 2026.2.2 schema's, every required field present)

    func providerJSON(_ provider: Provider, proxy: Bool) -> JSONValue {
        let app = state.applications.first { $0.provider == provider.pk }
        var object: [String: JSONValue] = [
            "pk": .integer(Int64(provider.pk)), "name": .string(provider.name), "authentication_flow": .null,
            "authorization_flow": .string(provider.authorizationFlow), "invalidation_flow": .string(provider.invalidationFlow),
            "property_mappings": .array([]), "component": .string("ak-provider-proxy-form"),
            "assigned_application_slug": app.map { .string($0.slug) } ?? .null, "assigned_application_name": app.map { .string($0.name) } ?? .null,
            "assigned_backchannel_application_slug": .null, "assigned_backchannel_application_name": .null,
            "verbose_name": .string("Proxy Provider"), "verbose_name_plural": .string("Proxy Providers"),
            "meta_model_name": .string("authentik_providers_proxy.proxyprovider"),
        ]
        guard proxy else { return .object(object) }
        let outposts = state.outposts.filter { $0.providers.contains(provider.pk) }.map { JSONValue.string($0.name) }
        let callback = provider.externalHost + "/outpost.goauthentik.io/callback?X-authentik-auth-callback=true"
        object.merge([
            "client_id": .string(provider.clientID), "internal_host": .string(""), "external_host": .string(provider.externalHost),
            "internal_host_ssl_validation": .bool(true), "certificate": .null, "skip_path_regex": .string(""),
            "basic_auth_enabled": .bool(false), "basic_auth_password_attribute": .string(""), "basic_auth_user_attribute": .string(""),
            "mode": .string(provider.mode), "intercept_header_auth": .bool(true),
            "redirect_uris": .array([.object(["matching_mode": .string("strict"), "url": .string(callback)])]),
            "cookie_domain": .string(provider.cookieDomain), "jwt_federation_sources": .array([]), "jwt_federation_providers": .array([]),
            "access_token_validity": .string("hours=24"), "refresh_token_validity": .string("days=30"), "outpost_set": .array(outposts),
        ]) { _, new in new }
        return .object(object)
    }

    func applicationJSON(_ app: Application) -> JSONValue {
        let provider = app.provider.flatMap { pk in state.providers.first { $0.pk == pk } }
        return .object([
            "pk": .string(app.pk), "name": .string(app.name), "slug": .string(app.slug),
            "provider": app.provider.map { .integer(Int64($0)) } ?? .null,
            "provider_obj": provider.map { providerJSON($0, proxy: false) } ?? .null,
            "backchannel_providers": .array([]), "backchannel_providers_obj": .array([]), "launch_url": .string(app.launchURL),
            "open_in_new_tab": .bool(false), "meta_launch_url": .string(""), "meta_icon": .string(""), "meta_icon_url": .null,
            "meta_icon_themed_urls": .null, "meta_description": .string(""), "meta_publisher": .string(""),
            "policy_engine_mode": .string("any"), "group": .string(app.group),
            // A field a newer server might add; clients must ignore it.
            "sim_added_in_a_later_release": .bool(true),
        ])
    }

    func outpostJSON(_ outpost: Outpost) -> JSONValue {
        .object([
            "pk": .string(outpost.pk), "name": .string(outpost.name), "type": .string(outpost.type),
            "providers": .array(outpost.providers.map { .integer(Int64($0)) }),
            "providers_obj": .array(outpost.providers.compactMap { pk in state.providers.first { $0.pk == pk }.map { providerJSON($0, proxy: false) } }),
            "service_connection": .null, "service_connection_obj": .null, "refresh_interval_s": .integer(300),
            "token_identifier": .string("ak-outpost-\(outpost.pk)-api"),
            "config": .object(["authentik_host": .string("https://auth.home.arpa"), "log_level": .string("info")]),
            "managed": outpost.managed.map { .string($0) } ?? .null,
        ])
    }

    func healthJSON(_ outpost: Outpost, now: Date) -> JSONValue {
        guard outpost.managed != nil else { return .array([]) }
        let seen = state.outpostHealthy ? now.addingTimeInterval(-5) : now.addingTimeInterval(-3_600)
        return .array([.object([
            "uid": .string("embedded-" + String(outpost.pk.suffix(4))), "last_seen": Self.time(seen), "version": .string(version),
            "golang_version": .string("go1.24.4"), "openssl_enabled": .bool(false), "openssl_version": .string(""),
            "fips_enabled": .bool(false), "version_should": .string(version), "version_outdated": .bool(false),
            "build_hash": .string("sim"), "build_hash_should": .string("sim"), "hostname": .string("authentik-server"),
        ])])
    }

    func userJSON(_ user: User) -> JSONValue {
        let memberOf = state.groups.filter { $0.users.contains(user.pk) }
        return .object([
            "pk": .integer(Int64(user.pk)), "username": .string(user.username), "name": .string(user.name), "is_active": .bool(user.isActive),
            "last_login": user.lastLogin.map(Self.time) ?? .null, "date_joined": Self.time(user.joined),
            "is_superuser": .bool(memberOf.contains { $0.isSuperuser }), "groups": .array(memberOf.map { .string($0.pk) }),
            "groups_obj": .array(memberOf.map { .object(["pk": .string($0.pk), "num_pk": .integer(Int64($0.numPK)), "name": .string($0.name), "is_superuser": .bool($0.isSuperuser), "attributes": .object([:])]) }),
            "roles": .array([]), "roles_obj": .array([]), "email": .string(user.email), "avatar": .string("/static/dist/assets/images/user_default.png"),
            "attributes": .object([:]), "uid": .string(String(repeating: String(format: "%02x", user.pk), count: 32)), "path": .string("users"),
            "type": .string(user.type), "uuid": .string(user.uuid), "password_change_date": Self.time(user.joined), "last_updated": Self.time(user.joined),
        ])
    }

    func groupJSON(_ group: Group) -> JSONValue {
        let members = state.users.filter { group.users.contains($0.pk) }
        return .object([
            "pk": .string(group.pk), "num_pk": .integer(Int64(group.numPK)), "name": .string(group.name), "is_superuser": .bool(group.isSuperuser),
            "parents": .array([]), "parents_obj": .array([]), "users": .array(group.users.map { .integer(Int64($0)) }),
            "users_obj": .array(members.map {
                .object(["pk": .integer(Int64($0.pk)), "username": .string($0.username), "name": .string($0.name), "is_active": .bool($0.isActive),
                         "last_login": $0.lastLogin.map(Self.time) ?? .null, "email": .string($0.email), "attributes": .object([:]),
                         "uid": .string(String(repeating: String(format: "%02x", $0.pk), count: 32))])
            }),
            "attributes": .object([:]), "roles": .array([]), "roles_obj": .array([]), "inherited_roles_obj": .array([]),
            "children": .array([]), "children_obj": .array([]),
        ])
    }

    func flowJSON(_ flow: Flow) -> JSONValue {
        .object([
            "pk": .string(flow.pk), "policybindingmodel_ptr_id": .string(flow.pk), "name": .string(flow.name), "slug": .string(flow.slug),
            "title": .string(flow.name), "designation": .string(flow.designation), "background": .string(""),
            "background_url": .string("/static/dist/assets/images/flow_background.jpg"), "background_themed_urls": .null,
            "stages": .array([]), "policies": .array([]), "cache_count": .integer(0), "policy_engine_mode": .string("any"),
            "compatibility_mode": .bool(false), "export_url": .string("/api/v3/flows/instances/\(flow.slug)/export/"),
            "layout": .string("stacked"), "denied_action": .string("message_continue"), "authentication": .string("none"),
        ])
    }

    func eventJSON(_ event: Event) -> JSONValue {
        let user = event.user.flatMap { pk in state.users.first { $0.pk == pk } }
        return .object([
            "pk": .string(event.pk),
            "user": user.map { .object(["pk": .integer(Int64($0.pk)), "username": .string($0.username), "email": .string($0.email)]) } ?? .object([:]),
            "action": .string(event.action), "app": .string(event.app), "context": .object(event.context),
            "client_ip": event.clientIP.map { .string($0) } ?? .null, "created": Self.time(event.created),
            "expires": Self.time(event.created.addingTimeInterval(86_400 * 365)), "brand": .object(["pk": .string(Self.uuid(999)), "name": .string("authentik-default")]),
        ])
    }

    func versionJSON() -> JSONValue {
        .object([
            "version_current": .string(version), "version_latest": .string(version), "version_latest_valid": .bool(true),
            "build_hash": .string("sim"), "outdated": .bool(false), "outpost_outdated": .bool(false),
        ])
    }

    func systemJSON(now: Date) -> JSONValue {
        .object([
            "http_headers": .object([:]), "http_host": .string("auth.home.arpa"), "http_is_secure": .bool(true),
            "runtime": .object([
                "python_version": .string("3.13.5"), "environment": .string("docker"), "architecture": .string("x86_64"),
                "platform": .string("linux"), "uname": .string("Linux authentik-server"), "openssl_version": .string("OpenSSL 3.5.1"),
                "openssl_fips_enabled": .bool(false), "authentik_version": .string(version),
            ]),
            "brand": .string("authentik-default"), "server_time": Self.time(now), "embedded_outpost_disabled": .bool(false),
            "embedded_outpost_host": .string("https://auth.home.arpa"),
        ])
    }
}
