import Foundation
import HomelabCore

/// What the simulated Forgejo's routes ask: each answer in Forgejo's JSON, refusals as ``ForgejoAPIError``.
extension ForgejoWorld {
    // MARK: Visibility

    func isAdmin(_ login: String?) -> Bool { login.flatMap { user($0) }?.isAdmin == true }

    func canSee(_ repo: RepositoryRecord, _ login: String?) -> Bool {
        !repo.isPrivate || isAdmin(login) || login == repo.owner || (login.flatMap { user($0) }?.organizations.contains(repo.owner) ?? false)
    }

    func canAdminister(_ repo: RepositoryRecord, _ login: String?) -> Bool {
        isAdmin(login) || login == repo.owner
    }

    func record(_ owner: String, _ name: String, _ login: String?) throws -> RepositoryRecord {
        guard let repo = repositories.first(where: { $0.owner.lowercased() == owner.lowercased() && $0.name.lowercased() == name.lowercased() }),
            canSee(repo, login)
        else { throw ForgejoAPIError.notFound() }
        return repo
    }

    // MARK: Users and organisations

    func currentUser(_ login: String) throws -> JSONValue {
        guard let user = user(login) else { throw ForgejoAPIError.unauthorized() }
        return userJSON(user)
    }

    func adminUsers(_ login: String?) throws -> [JSONValue] {
        guard isAdmin(login) else { throw ForgejoAPIError.forbidden("reqSiteAdmin") }
        return users.map { userJSON($0) }
    }

    func createUser(_ body: JSONValue, by login: String?) throws -> JSONValue {
        guard isAdmin(login) else { throw ForgejoAPIError.forbidden("reqSiteAdmin") }
        guard case .object(let fields) = body, case .string(let name)? = fields["username"], case .string(let email)? = fields["email"],
            !name.isEmpty, email.contains("@")
        else { throw ForgejoAPIError.unprocessable("[Username]: Required; [Email]: Required") }
        guard user(name) == nil, !organizations.contains(where: { $0.name == name }) else {
            throw ForgejoAPIError.unprocessable("user already exists [name: \(name)]")
        }
        var fullName = ""
        if case .string(let text)? = fields["full_name"] { fullName = text }
        let record = UserRecord(id: takeID(), login: name, fullName: fullName, email: email, isAdmin: false, created: Date())
        users.append(record)
        return userJSON(record)
    }

    func organizationList(_ login: String?) -> [JSONValue] {
        organizations.filter { $0.visibility == "public" || login != nil }.map(organizationJSON)
    }

    func userOrganizations(_ login: String) -> [JSONValue] {
        let names = user(login)?.organizations ?? []
        return organizations.filter { names.contains($0.name) }.map(organizationJSON)
    }

    func organization(_ name: String, _ login: String?) throws -> JSONValue {
        guard let org = organizations.first(where: { $0.name.lowercased() == name.lowercased() }),
            org.visibility == "public" || login != nil
        else { throw ForgejoAPIError.notFound() }
        return organizationJSON(org)
    }

    // MARK: Repositories

    func userRepositories(_ login: String) -> [JSONValue] {
        let orgs = user(login)?.organizations ?? []
        return repositories.filter { $0.owner == login || orgs.contains($0.owner) }.map { repositoryJSON($0, for: login) }
    }

    func organizationRepositories(_ org: String, _ login: String?) throws -> [JSONValue] {
        _ = try organization(org, login)
        return repositories.filter { $0.owner.lowercased() == org.lowercased() && canSee($0, login) }.map { repositoryJSON($0, for: login) }
    }

    func search(_ query: String, includeDescription: Bool, _ login: String?) -> [JSONValue] {
        let text = query.lowercased()
        return repositories.filter { repo in
            canSee(repo, login)
                && (text.isEmpty || repo.name.lowercased().contains(text)
                    || (includeDescription && repo.description.lowercased().contains(text)))
        }.map { repositoryJSON($0, for: login) }
    }

    func repository(_ owner: String, _ name: String, _ login: String?) throws -> JSONValue {
        repositoryJSON(try record(owner, name, login), for: login)
    }

    func createRepository(_ body: JSONValue, organization org: String?, by login: String) throws -> JSONValue {
        guard case .object(let fields) = body, case .string(let name)? = fields["name"], !name.isEmpty else {
            throw ForgejoAPIError.unprocessable("[Name]: Required")
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), name != ".", name != ".." else {
            throw ForgejoAPIError.unprocessable("[Name]: must be valid alpha or numeric or dash(-_) or dot characters")
        }
        let owner = org ?? login
        if let org {
            _ = try organization(org, login)
            guard isAdmin(login) || (user(login)?.organizations.contains(org) ?? false) else {
                throw ForgejoAPIError.forbidden("Given user is not owner of organization.")
            }
        }
        guard !repositories.contains(where: { $0.owner.lowercased() == owner.lowercased() && $0.name.lowercased() == name.lowercased() }) else {
            throw ForgejoAPIError.conflict("The repository with the same name already exists.")
        }
        func flag(_ key: String) -> Bool { if case .bool(true)? = fields[key] { return true } else { return false } }
        func text(_ key: String) -> String? { if case .string(let value)? = fields[key], !value.isEmpty { return value } else { return nil } }
        let branch = text("default_branch") ?? "main"
        var commits: [StacksRepositoryHistory.Commit] = []
        if flag("auto_init") {
            commits = [.init(
                sha: StacksRepositoryHistory.digest(owner + "/" + name + "initial"), message: "Initial commit", author: login,
                email: user(login)?.email ?? "", date: Date(), changes: ["README.md": "# \(name)\n\n\(text("description") ?? "")\n"])]
        }
        let repo = RepositoryRecord(
            id: takeID(), owner: owner, name: name, description: text("description") ?? "", isPrivate: flag("private"), defaultBranch: branch,
            created: Date(), commits: commits, branches: commits.isEmpty ? [:] : [branch: 0])
        repositories.append(repo)
        return repositoryJSON(repo, for: login)
    }

    func deleteRepository(_ owner: String, _ name: String, _ login: String?) throws {
        let repo = try record(owner, name, login)
        guard canAdminister(repo, login) else { throw ForgejoAPIError.forbidden("Given user is not owner of organization.") }
        repositories.removeAll { $0.id == repo.id }
    }

    // MARK: Git

    /// The commit index `ref` names: a branch, a tag, or a sha (a prefix of 7 or more); the default branch for none.
    func resolve(_ ref: String?, in repo: RepositoryRecord) throws -> Int {
        guard !repo.isEmpty else { throw ForgejoAPIError.conflict("Git Repository is empty.") }
        let wanted = ref.flatMap { $0.isEmpty ? nil : $0 } ?? repo.defaultBranch
        if let index = repo.branches[wanted] { return index }
        if let release = repo.releases.first(where: { $0.tag == wanted }) {
            return repo.branches[release.target] ?? repo.commits.count - 1
        }
        if wanted.count >= 7, let index = repo.commits.lastIndex(where: { $0.sha.hasPrefix(wanted.lowercased()) }) { return index }
        throw ForgejoAPIError.notFound("object does not exist [id: \(wanted), rel_path: ]")
    }

    func contents(_ owner: String, _ name: String, path: String, ref: String?, _ login: String?) throws -> JSONValue {
        let repo = try record(owner, name, login)
        let index: Int
        do {
            index = try resolve(ref, in: repo)
        } catch let error as ForgejoAPIError where error.code == 409 {
            throw ForgejoAPIError.notFound("GetContentsOrList")
        }
        let files = Self.files(repo, at: index)
        let refName = ref ?? repo.defaultBranch
        let trimmed = path.split(separator: "/").joined(separator: "/")
        if let content = files[trimmed] {
            return contentsJSON(repo, path: trimmed, type: "file", content: content, at: index, ref: refName)
        }
        let prefix = trimmed.isEmpty ? "" : trimmed + "/"
        let below = files.keys.filter { $0.hasPrefix(prefix) }
        guard !below.isEmpty else { throw ForgejoAPIError.notFound("object does not exist [id: , rel_path: \(trimmed)]") }
        var entries: [String: Bool] = [:]
        for file in below {
            let rest = file.dropFirst(prefix.count)
            if let slash = rest.firstIndex(of: "/") { entries[prefix + rest[..<slash]] = true } else { entries[file] = false }
        }
        return .array(entries.keys.sorted().map { entry in
            entries[entry] == true
                ? contentsJSON(repo, path: entry, type: "dir", content: nil, at: index, ref: refName)
                : contentsListEntry(repo, entry, files[entry] ?? "", index, refName)
        })
    }

    private func contentsListEntry(_ repo: RepositoryRecord, _ path: String, _ content: String, _ index: Int, _ ref: String) -> JSONValue {
        guard case .object(var object) = contentsJSON(repo, path: path, type: "file", content: content, at: index, ref: ref) else { return .null }
        object.removeValue(forKey: "content")
        object.removeValue(forKey: "encoding")
        return .object(object)
    }

    func commits(_ owner: String, _ name: String, sha: String?, path: String?, files: Bool, _ login: String?) throws -> [JSONValue] {
        let repo = try record(owner, name, login)
        let head = try resolve(sha, in: repo)
        var indices = Array((0...head).reversed())
        if let path, !path.isEmpty {
            let trimmed = path.split(separator: "/").joined(separator: "/")
            indices = indices.filter { index in repo.commits[index].changes.keys.contains { $0 == trimmed || $0.hasPrefix(trimmed + "/") } }
        }
        return indices.map { commitJSON(repo, $0, files: files) }
    }

    func gitCommit(_ owner: String, _ name: String, sha: String, _ login: String?) throws -> JSONValue {
        let repo = try record(owner, name, login)
        let index = try resolve(sha, in: repo)
        return commitJSON(repo, index, files: true)
    }

    func branches(_ owner: String, _ name: String, _ login: String?) throws -> [JSONValue] {
        let repo = try record(owner, name, login)
        return repo.branches.keys.sorted().map { branchJSON(repo, $0) }
    }

    func branch(_ owner: String, _ name: String, branch: String, _ login: String?) throws -> JSONValue {
        let repo = try record(owner, name, login)
        guard repo.branches[branch] != nil else { throw ForgejoAPIError.notFound("Branch Not Found") }
        return branchJSON(repo, branch)
    }

    private func branchJSON(_ repo: RepositoryRecord, _ name: String) -> JSONValue {
        .object([
            "name": .string(name), "commit": payloadCommitJSON(repo, repo.branches[name] ?? 0), "protected": .bool(name == repo.defaultBranch),
            "required_approvals": .integer(0), "enable_status_check": .bool(false), "status_check_contexts": .array([]),
            "user_can_push": .bool(true), "user_can_merge": .bool(true), "effective_branch_protection_name": .string(name == repo.defaultBranch ? name : ""),
        ])
    }

    // MARK: Hooks, releases, packages, applications

    func hooks(_ owner: String, _ name: String, _ login: String?) throws -> [JSONValue] {
        let repo = try record(owner, name, login)
        guard canAdminister(repo, login) else { throw ForgejoAPIError.forbidden("must be repo admin") }
        return repo.hooks.map(hookJSON)
    }

    static let hookTypes = ["forgejo", "dingtalk", "discord", "gitea", "gogs", "msteams", "slack", "telegram", "feishu", "wechatwork", "packagist"]

    func createHook(_ owner: String, _ name: String, _ body: JSONValue, _ login: String?) throws -> JSONValue {
        var repo = try record(owner, name, login)
        guard canAdminister(repo, login) else { throw ForgejoAPIError.forbidden("must be repo admin") }
        guard case .object(let fields) = body, case .string(let type)? = fields["type"], Self.hookTypes.contains(type) else {
            throw ForgejoAPIError.unprocessable("Invalid hook type")
        }
        guard case .object(let config)? = fields["config"], case .string(let url)? = config["url"], url.hasPrefix("http") else {
            throw ForgejoAPIError.unprocessable("Missing config option: url")
        }
        var events: [String] = ["push"]
        if case .array(let list)? = fields["events"] {
            events = list.compactMap { if case .string(let event) = $0 { return event } else { return nil } }
        }
        var active = true
        if case .bool(let flag)? = fields["active"] { active = flag }
        var branchFilter = "*"
        if case .string(let filter)? = fields["branch_filter"], !filter.isEmpty { branchFilter = filter }
        var stored: [String: String] = [:]
        for (key, value) in config { if case .string(let text) = value { stored[key] = text } }
        stored["content_type"] = stored["content_type"] ?? "json"
        let hook = HookRecord(id: takeID(), type: type, config: stored, events: events, active: active, branchFilter: branchFilter, created: Date())
        repo.hooks.append(hook)
        replace(repo)
        return hookJSON(hook)
    }

    func deleteHook(_ owner: String, _ name: String, id: Int64, _ login: String?) throws {
        var repo = try record(owner, name, login)
        guard canAdminister(repo, login) else { throw ForgejoAPIError.forbidden("must be repo admin") }
        guard repo.hooks.contains(where: { $0.id == id }) else { throw ForgejoAPIError.notFound() }
        repo.hooks.removeAll { $0.id == id }
        replace(repo)
    }

    func releases(_ owner: String, _ name: String, _ login: String?) throws -> [JSONValue] {
        let repo = try record(owner, name, login)
        return repo.releases.sorted { $0.created > $1.created }.filter { !$0.draft || canAdminister(repo, login) }.map { releaseJSON(repo, $0) }
    }

    func latestRelease(_ owner: String, _ name: String, _ login: String?) throws -> JSONValue {
        let repo = try record(owner, name, login)
        guard let release = repo.releases.filter({ !$0.draft && !$0.prerelease }).max(by: { $0.created < $1.created }) else {
            throw ForgejoAPIError.notFound()
        }
        return releaseJSON(repo, release)
    }

    func packages(owner: String, type: String?, query: String?, _ login: String?) throws -> [JSONValue] {
        guard user(owner) != nil || organizations.contains(where: { $0.name == owner }) else { throw ForgejoAPIError.notFound("GetUserByName") }
        return packages.filter { package in
            package.owner == owner && (type.map { $0.isEmpty || $0 == package.type } ?? true)
                && (query.map { $0.isEmpty || package.name.contains($0) } ?? true)
        }.map(packageJSON)
    }

    func applications(_ login: String) -> [JSONValue] {
        applications.filter { $0.owner == login }.map { applicationJSON($0) }
    }

    func createApplication(_ body: JSONValue, _ login: String) throws -> JSONValue {
        guard case .object(let fields) = body, case .string(let name)? = fields["name"], !name.isEmpty else {
            throw ForgejoAPIError(code: 400, message: "[Name]: Required")
        }
        var uris: [String] = []
        if case .array(let list)? = fields["redirect_uris"] { uris = list.compactMap { if case .string(let uri) = $0 { return uri } else { return nil } } }
        var confidential = true
        if case .bool(let flag)? = fields["confidential_client"] { confidential = flag }
        let app = ApplicationRecord(
            id: takeID(), owner: login, name: name, clientID: UUID().uuidString.lowercased(), redirectURIs: uris, confidential: confidential,
            created: Date())
        applications.append(app)
        return applicationJSON(app, secret: "gto_" + Self.randomHex(24))
    }

    func deleteApplication(_ id: Int64, _ login: String) throws {
        guard applications.contains(where: { $0.id == id && $0.owner == login }) else { throw ForgejoAPIError.notFound() }
        applications.removeAll { $0.id == id }
    }

    private func replace(_ repo: RepositoryRecord) {
        if let index = repositories.firstIndex(where: { $0.id == repo.id }) { repositories[index] = repo }
    }
}
