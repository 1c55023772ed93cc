import Foundation
import HomelabCore

extension AuthentikWorld {
    // MARK: Listings (query: page, page_size and each listing's filters)

    func applications(_ query: [String: String]) throws -> JSONValue {
        var apps = state.applications.sorted { $0.name.lowercased() < $1.name.lowercased() }
        if let search = query["search"]?.lowercased(), !search.isEmpty {
            apps = apps.filter { $0.name.lowercased().contains(search) || $0.slug.contains(search) }
        }
        return try Self.page(apps.map { applicationJSON($0) }, query: query)
    }

    func application(_ slug: String) throws -> JSONValue {
        guard let app = state.applications.first(where: { $0.slug == slug }) else { throw AuthentikAPIError.notFound("Application") }
        return applicationJSON(app)
    }

    func createApplication(_ body: [String: JSONValue]) throws -> JSONValue {
        guard case .string(let name)? = body["name"], !name.isEmpty else { throw AuthentikAPIError.field("name", "This field is required.") }
        guard case .string(let slug)? = body["slug"], !slug.isEmpty else { throw AuthentikAPIError.field("slug", "This field is required.") }
        guard !state.applications.contains(where: { $0.slug == slug }) else {
            throw AuthentikAPIError.field("slug", "Application with this slug already exists.")
        }
        var provider: Int?
        if case .integer(let pk)? = body["provider"] {
            guard state.providers.contains(where: { $0.pk == Int(pk) }) else {
                throw AuthentikAPIError.field("provider", "Invalid pk \"\(pk)\" - object does not exist.")
            }
            provider = Int(pk)
        }
        let launch: String
        if case .string(let url)? = body["meta_launch_url"] { launch = url } else { launch = "" }
        let app = Application(
            pk: UUID().uuidString.lowercased(), name: name, slug: slug, provider: provider, group: "", launchURL: launch)
        state.applications.append(app)
        record("model_created", context: ["model": .object(["app": .string("authentik_core"), "name": .string(name)])])
        return applicationJSON(app)
    }

    func deleteApplication(_ slug: String) throws {
        guard let index = state.applications.firstIndex(where: { $0.slug == slug }) else { throw AuthentikAPIError.notFound("Application") }
        state.applications.remove(at: index)
    }

    func providers(_ query: [String: String]) throws -> JSONValue {
        var providers = state.providers
        if let unassigned = query["application__isnull"] {
            let assigned = Set(state.applications.compactMap(\.provider))
            providers = providers.filter { (unassigned == "true") != assigned.contains($0.pk) }
        }
        return try Self.page(providers.map { providerJSON($0, proxy: false) }, query: query)
    }

    func proxyProviders(_ query: [String: String]) throws -> JSONValue {
        try Self.page(state.providers.map { providerJSON($0, proxy: true) }, query: query)
    }

    func proxyProvider(_ pk: Int) throws -> JSONValue {
        guard let provider = state.providers.first(where: { $0.pk == pk }) else { throw AuthentikAPIError.notFound("ProxyProvider") }
        return providerJSON(provider, proxy: true)
    }

    func createProxyProvider(_ body: [String: JSONValue]) throws -> JSONValue {
        func text(_ key: String, required: Bool = true) throws -> String {
            if case .string(let value)? = body[key], !value.isEmpty { return value }
            if required { throw AuthentikAPIError.field(key, "This field is required.") }
            return ""
        }
        let name = try text("name")
        let host = try text("external_host")
        let authorization = try text("authorization_flow")
        let invalidation = try text("invalidation_flow")
        for (key, flow) in [("authorization_flow", authorization), ("invalidation_flow", invalidation)] where !state.flows.contains(where: { $0.pk == flow }) {
            throw AuthentikAPIError.field(key, "Invalid pk \"\(flow)\" - object does not exist.")
        }
        let mode = try text("mode", required: false)
        guard ["", "proxy", "forward_single", "forward_domain"].contains(mode) else {
            throw AuthentikAPIError.field("mode", "\"\(mode)\" is not a valid choice.")
        }
        var provider = state.makeProvider(name: name, host: host, authorization: authorization, invalidation: invalidation)
        provider.mode = mode.isEmpty ? "proxy" : mode
        provider.cookieDomain = try text("cookie_domain", required: false)
        if let index = state.providers.firstIndex(where: { $0.pk == provider.pk }) { state.providers[index] = provider }
        return providerJSON(provider, proxy: true)
    }

    func outposts(_ query: [String: String]) throws -> JSONValue {
        var outposts = state.outposts
        if let managed = query["managed__iexact"] {
            outposts = outposts.filter { ($0.managed ?? "").lowercased() == managed.lowercased() }
        }
        return try Self.page(outposts.map { outpostJSON($0) }, query: query)
    }

    func outpost(_ pk: String) throws -> JSONValue {
        guard let outpost = state.outposts.first(where: { $0.pk == pk }) else { throw AuthentikAPIError.notFound("Outpost") }
        return outpostJSON(outpost)
    }

    func patchOutpost(_ pk: String, _ body: [String: JSONValue]) throws -> JSONValue {
        guard let index = state.outposts.firstIndex(where: { $0.pk == pk }) else { throw AuthentikAPIError.notFound("Outpost") }
        if case .array(let list)? = body["providers"] {
            var providers: [Int] = []
            for item in list {
                guard case .integer(let value) = item, state.providers.contains(where: { $0.pk == Int(value) }) else {
                    throw AuthentikAPIError.field("providers", "Invalid pk - object does not exist.")
                }
                providers.append(Int(value))
            }
            state.outposts[index].providers = providers
        }
        return outpostJSON(state.outposts[index])
    }

    func outpostHealth(_ pk: String, now: Date) throws -> JSONValue {
        guard let outpost = state.outposts.first(where: { $0.pk == pk }) else { throw AuthentikAPIError.notFound("Outpost") }
        return healthJSON(outpost, now: now)
    }

    func users(_ query: [String: String]) throws -> JSONValue {
        var users = state.users
        if let active = query["is_active"] { users = users.filter { $0.isActive == (active == "true") } }
        if let username = query["username"] { users = users.filter { $0.username == username } }
        if let search = query["search"]?.lowercased(), !search.isEmpty {
            users = users.filter { $0.username.contains(search) || $0.name.lowercased().contains(search) || $0.email.contains(search) }
        }
        return try Self.page(users.map { userJSON($0) }, query: query)
    }

    func user(_ pk: Int) throws -> JSONValue {
        guard let user = state.users.first(where: { $0.pk == pk }) else { throw AuthentikAPIError.notFound("User") }
        return userJSON(user)
    }

    func createUser(_ body: [String: JSONValue], now: Date) throws -> JSONValue {
        guard case .string(let username)? = body["username"], !username.isEmpty else { throw AuthentikAPIError.field("username", "This field is required.") }
        guard case .string(let name)? = body["name"] else { throw AuthentikAPIError.field("name", "This field is required.") }
        guard !state.users.contains(where: { $0.username == username }) else {
            throw AuthentikAPIError.field("username", "This field must be unique.")
        }
        let pk = state.nextUser
        state.nextUser += 1
        var email = ""
        if case .string(let value)? = body["email"] { email = value }
        var active = true
        if case .bool(let value)? = body["is_active"] { active = value }
        state.users.append(User(
            pk: pk, username: username, name: name, email: email, isActive: active, type: "internal", uuid: UUID().uuidString.lowercased(),
            joined: now, lastLogin: nil))
        if case .array(let groups)? = body["groups"] {
            for case .string(let group) in groups {
                if let index = state.groups.firstIndex(where: { $0.pk == group }) { state.groups[index].users.append(pk) }
            }
        }
        record("model_created", context: ["model": .object(["app": .string("authentik_core"), "name": .string(username)])])
        return try user(pk)
    }

    func patchUser(_ pk: Int, _ body: [String: JSONValue]) throws -> JSONValue {
        guard let index = state.users.firstIndex(where: { $0.pk == pk }) else { throw AuthentikAPIError.notFound("User") }
        if case .bool(let active)? = body["is_active"] { state.users[index].isActive = active }
        if case .string(let name)? = body["name"] { state.users[index].name = name }
        if case .string(let email)? = body["email"] { state.users[index].email = email }
        record("model_updated", context: ["model": .object(["app": .string("authentik_core"), "name": .string(state.users[index].username)])])
        return userJSON(state.users[index])
    }

    func groups(_ query: [String: String]) throws -> JSONValue {
        var groups = state.groups
        if let search = query["search"]?.lowercased(), !search.isEmpty { groups = groups.filter { $0.name.lowercased().contains(search) } }
        return try Self.page(groups.map { groupJSON($0) }, query: query)
    }

    func group(_ pk: String) throws -> JSONValue {
        guard let group = state.groups.first(where: { $0.pk == pk }) else { throw AuthentikAPIError.notFound("Group") }
        return groupJSON(group)
    }

    func createGroup(_ body: [String: JSONValue]) throws -> JSONValue {
        guard case .string(let name)? = body["name"], !name.isEmpty else { throw AuthentikAPIError.field("name", "This field is required.") }
        guard !state.groups.contains(where: { $0.name == name }) else { throw AuthentikAPIError.field("name", "This field must be unique.") }
        var superuser = false
        if case .bool(let value)? = body["is_superuser"] { superuser = value }
        let group = Group(pk: UUID().uuidString.lowercased(), numPK: state.nextGroup, name: name, isSuperuser: superuser, users: [])
        state.nextGroup += 1
        state.groups.append(group)
        return groupJSON(group)
    }

    func membership(_ groupPK: String, user: Int, add: Bool) throws {
        guard let index = state.groups.firstIndex(where: { $0.pk == groupPK }) else { throw AuthentikAPIError.notFound("Group") }
        guard state.users.contains(where: { $0.pk == user }) else { throw AuthentikAPIError.notFound("User") }
        state.groups[index].users.removeAll { $0 == user }
        if add { state.groups[index].users.append(user) }
    }

    func flows(_ query: [String: String]) throws -> JSONValue {
        var flows = state.flows
        if let designation = query["designation"] { flows = flows.filter { $0.designation == designation } }
        return try Self.page(flows.map { flowJSON($0) }, query: query)
    }

    func events(_ query: [String: String]) throws -> JSONValue {
        var events = state.events.sorted { $0.created > $1.created }
        if query["ordering"] == "created" { events.reverse() }
        if let action = query["action"] { events = events.filter { $0.action == action } }
        return try Self.page(events.map { eventJSON($0) }, query: query)
    }

    private func record(_ action: String, context: [String: JSONValue]) {
        state.events.append(Event(
            pk: UUID().uuidString.lowercased(), action: action, app: "authentik.events.signals", user: 5, clientIP: "127.0.0.1",
            created: Date(), context: context))
    }
}
