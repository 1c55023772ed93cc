import Foundation
import HomelabCore

/// The JSON shapes of Forgejo's swagger (`User`, `Organization`, `Repository`, `Commit`, `Branch`, `Hook`,
/// `Release`, `Package`, `OAuth2Application`, `ContentsResponse`).
extension ForgejoWorld {
    func userJSON(_ user: UserRecord, full: Bool = true) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(user.id), "login": .string(user.login), "login_name": .string(""), "source_id": .integer(0),
            "full_name": .string(user.fullName), "email": .string(user.email),
            "avatar_url": .string(appURL + "avatars/\(user.login)"), "html_url": .string(appURL + user.login),
            "language": .string("en-US"), "is_admin": .bool(user.isAdmin), "active": .bool(true), "prohibit_login": .bool(false),
            "restricted": .bool(false), "visibility": .string("public"), "location": .string(""), "website": .string(""),
            "description": .string(""), "pronouns": .string(""), "followers_count": .integer(0), "following_count": .integer(0),
            "starred_repos_count": .integer(0), "created": ForgejoJSON.time(user.created),
            "last_login": ForgejoJSON.time(user.created.addingTimeInterval(86_400)),
        ]
        if !full { object["email"] = .string("\(user.login)@noreply.home.arpa") }
        return .object(object)
    }

    /// An organisation as the owner of a repository (Forgejo writes it in the `User` shape).
    func ownerJSON(_ login: String) -> JSONValue {
        if let user = user(login) { return userJSON(user, full: false) }
        let org = organizations.first { $0.name == login }
        return .object([
            "id": .integer(org?.id ?? 0), "login": .string(login), "login_name": .string(""), "full_name": .string(org?.fullName ?? login),
            "email": .string(""), "avatar_url": .string(appURL + "avatars/\(login)"), "html_url": .string(appURL + login),
            "language": .string(""), "is_admin": .bool(false), "active": .bool(false), "prohibit_login": .bool(false),
            "restricted": .bool(false), "visibility": .string(org?.visibility ?? "public"), "location": .string(""),
            "website": .string(""), "description": .string(org?.description ?? ""), "pronouns": .string(""),
            "followers_count": .integer(0), "following_count": .integer(0), "starred_repos_count": .integer(0),
            "created": ForgejoJSON.time(Date(timeIntervalSince1970: 1_700_000_000)),
            "last_login": ForgejoJSON.time(Date(timeIntervalSince1970: 0)), "source_id": .integer(0),
        ])
    }

    func organizationJSON(_ org: OrganizationRecord) -> JSONValue {
        .object([
            "id": .integer(org.id), "name": .string(org.name), "username": .string(org.name), "full_name": .string(org.fullName),
            "email": .string(""), "avatar_url": .string(appURL + "avatars/\(org.name)"), "description": .string(org.description),
            "website": .string(""), "location": .string(""), "visibility": .string(org.visibility),
            "repo_admin_change_team_access": .bool(true),
        ])
    }

    func repositoryJSON(_ repo: RepositoryRecord, for login: String?) -> JSONValue {
        let admin = login.flatMap { user($0) }?.isAdmin == true || login == repo.owner
        let member = login.flatMap { user($0) }?.organizations.contains(repo.owner) == true
        return .object([
            "id": .integer(repo.id), "owner": ownerJSON(repo.owner), "name": .string(repo.name), "full_name": .string(repo.fullName),
            "description": .string(repo.description), "empty": .bool(repo.isEmpty), "private": .bool(repo.isPrivate),
            "fork": .bool(false), "template": .bool(false), "mirror": .bool(false), "size": .integer(Int64(repo.commits.count * 12)),
            "language": .string(""), "languages_url": .string(appURL + "api/v1/repos/\(repo.fullName)/languages"),
            "html_url": .string(appURL + repo.fullName), "url": .string(appURL + "api/v1/repos/\(repo.fullName)"), "link": .string(""),
            "ssh_url": .string("ssh://git@git.home.arpa:2222/\(repo.fullName).git"),
            "clone_url": .string(appURL + repo.fullName + ".git"), "original_url": .string(""), "website": .string(""),
            "stars_count": .integer(0), "forks_count": .integer(0), "watchers_count": .integer(1), "open_issues_count": .integer(0),
            "open_pr_counter": .integer(0), "release_counter": .integer(Int64(repo.releases.count)),
            "default_branch": .string(repo.defaultBranch), "archived": .bool(false), "created_at": ForgejoJSON.time(repo.created),
            "updated_at": ForgejoJSON.time(repo.updated), "archived_at": ForgejoJSON.time(Date(timeIntervalSince1970: 0)),
            "permissions": .object(["admin": .bool(admin), "push": .bool(admin || member), "pull": .bool(true)]),
            "has_issues": .bool(true), "has_wiki": .bool(false), "has_pull_requests": .bool(true), "has_projects": .bool(false),
            "has_releases": .bool(true), "has_packages": .bool(true), "has_actions": .bool(false),
            "ignore_whitespace_conflicts": .bool(false), "allow_merge_commits": .bool(true), "allow_rebase": .bool(true),
            "allow_rebase_explicit": .bool(true), "allow_squash_merge": .bool(true), "allow_fast_forward_only_merge": .bool(false),
            "allow_rebase_update": .bool(true), "default_delete_branch_after_merge": .bool(false),
            "default_merge_style": .string("merge"), "default_update_style": .string("merge"),
            "default_allow_maintainer_edit": .bool(false), "avatar_url": .string(""), "internal": .bool(false),
            "mirror_interval": .string(""), "object_format_name": .string("sha1"), "topics": .array([]), "wiki_branch": .string("main"),
            "globally_editable_wiki": .bool(false),
        ])
    }

    func commitJSON(_ repo: RepositoryRecord, _ index: Int, files: Bool) -> JSONValue {
        let commit = repo.commits[index]
        let signature: JSONValue = .object([
            "name": .string(commit.author), "email": .string(commit.email), "date": ForgejoJSON.time(commit.date),
        ])
        let url = appURL + "api/v1/repos/\(repo.fullName)/git/commits/\(commit.sha)"
        var object: [String: JSONValue] = [
            "url": .string(url), "sha": .string(commit.sha), "created": ForgejoJSON.time(commit.date),
            "html_url": .string(appURL + "\(repo.fullName)/commit/\(commit.sha)"),
            "commit": .object([
                "url": .string(url), "author": signature, "committer": signature, "message": .string(commit.message + "\n"),
                "tree": .object(["url": .string(url), "sha": .string(StacksRepositoryHistory.digest("tree" + commit.sha)),
                                 "created": ForgejoJSON.time(commit.date)]),
                "verification": .object(["verified": .bool(false), "reason": .string("gpg.error.not_signed_commit"), "signature": .string(""), "payload": .string("")]),
            ]),
            "parents": .array(index > 0 ? [.object(["url": .string(url), "sha": .string(repo.commits[index - 1].sha)])] : []),
        ]
        if let author = user(commit.author) {
            object["author"] = userJSON(author, full: false)
            object["committer"] = userJSON(author, full: false)
        }
        if files {
            let before = index > 0 ? Self.files(repo, at: index - 1) : [:]
            object["files"] = .array(commit.changes.keys.sorted().map {
                .object(["filename": .string($0), "status": .string(before[$0] == nil ? "added" : "modified")])
            })
        }
        return .object(object)
    }

    func payloadCommitJSON(_ repo: RepositoryRecord, _ index: Int) -> JSONValue {
        let commit = repo.commits[index]
        let who: JSONValue = .object(["name": .string(commit.author), "email": .string(commit.email), "username": .string(commit.author)])
        return .object([
            "id": .string(commit.sha), "message": .string(commit.message + "\n"),
            "url": .string(appURL + "\(repo.fullName)/commit/\(commit.sha)"), "author": who, "committer": who,
            "timestamp": ForgejoJSON.time(commit.date), "added": .array([]), "removed": .array([]),
            "modified": .array(commit.changes.keys.sorted().map { .string($0) }),
        ])
    }

    func hookJSON(_ hook: HookRecord) -> JSONValue {
        var config = hook.config
        config.removeValue(forKey: "secret")
        return .object([
            "id": .integer(hook.id), "type": .string(hook.type), "branch_filter": .string(hook.branchFilter),
            "config": .object(config.mapValues { .string($0) }), "events": .array(hook.events.map { .string($0) }),
            "authorization_header": .string(""), "active": .bool(hook.active), "updated_at": ForgejoJSON.time(hook.created),
            "created_at": ForgejoJSON.time(hook.created), "content_type": .string(hook.config["content_type"] ?? "json"),
            "url": .string(hook.config["url"] ?? ""),
        ])
    }

    func releaseJSON(_ repo: RepositoryRecord, _ release: ReleaseRecord) -> JSONValue {
        let base = appURL + repo.fullName
        return .object([
            "id": .integer(release.id), "tag_name": .string(release.tag), "target_commitish": .string(release.target),
            "name": .string(release.name), "body": .string(release.body), "url": .string(appURL + "api/v1/repos/\(repo.fullName)/releases/\(release.id)"),
            "html_url": .string(base + "/releases/tag/\(release.tag)"), "tarball_url": .string(base + "/archive/\(release.tag).tar.gz"),
            "zipball_url": .string(base + "/archive/\(release.tag).zip"), "upload_url": .string(appURL + "api/v1/repos/\(repo.fullName)/releases/\(release.id)/assets"),
            "hide_archive_links": .bool(false), "draft": .bool(release.draft), "prerelease": .bool(release.prerelease),
            "created_at": ForgejoJSON.time(release.created), "published_at": ForgejoJSON.time(release.created),
            "author": user(release.author).map { userJSON($0, full: false) } ?? ownerJSON(release.author), "assets": .array([]),
            "archive_download_count": .object(["zip": .integer(0), "tar_gz": .integer(2)]),
        ])
    }

    func packageJSON(_ package: PackageRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(package.id), "owner": ownerJSON(package.owner), "creator": ownerJSON(package.creator), "type": .string(package.type),
            "name": .string(package.name), "version": .string(package.version), "created_at": ForgejoJSON.time(package.created),
            "html_url": .string(appURL + "\(package.owner)/-/packages/\(package.type)/\(package.name)/\(package.version)"),
        ]
        if let name = package.repository, let repo = repositories.first(where: { $0.owner == package.owner && $0.name == name }) {
            object["repository"] = repositoryJSON(repo, for: nil)
        }
        return .object(object)
    }

    func applicationJSON(_ app: ApplicationRecord, secret: String? = nil) -> JSONValue {
        .object([
            "id": .integer(app.id), "name": .string(app.name), "client_id": .string(app.clientID), "client_secret": .string(secret ?? ""),
            "confidential_client": .bool(app.confidential), "redirect_uris": .array(app.redirectURIs.map { .string($0) }),
            "created": ForgejoJSON.time(app.created),
        ])
    }

    func contentsJSON(_ repo: RepositoryRecord, path: String, type: String, content: String?, at index: Int, ref: String) -> JSONValue {
        let last = StacksRepositoryHistory.lastChange(repo.commits, of: path, upTo: index) ?? index
        let sha = StacksRepositoryHistory.digest("blob" + path + (content ?? "dir") + repo.commits[last].sha)
        let url = appURL + "api/v1/repos/\(repo.fullName)/contents/\(path)?ref=\(ref)"
        var object: [String: JSONValue] = [
            "name": .string(String(path.split(separator: "/").last ?? "")), "path": .string(path), "sha": .string(sha),
            "last_commit_sha": .string(repo.commits[last].sha), "last_commit_when": ForgejoJSON.time(repo.commits[last].date),
            "type": .string(type), "size": .integer(Int64(content?.utf8.count ?? 0)), "url": .string(url),
            "html_url": .string(appURL + "\(repo.fullName)/src/branch/\(ref)/\(path)"),
            "git_url": .string(appURL + "api/v1/repos/\(repo.fullName)/git/blobs/\(sha)"),
            "_links": .object(["self": .string(url), "git": .string(appURL + "api/v1/repos/\(repo.fullName)/git/blobs/\(sha)"),
                               "html": .string(appURL + "\(repo.fullName)/src/branch/\(ref)/\(path)")]),
        ]
        if let content {
            object["encoding"] = .string("base64")
            object["content"] = .string(Data(content.utf8).base64EncodedString())
            object["download_url"] = .string(appURL + "\(repo.fullName)/raw/branch/\(ref)/\(path)")
        }
        return .object(object)
    }

    static func files(_ repo: RepositoryRecord, at index: Int) -> [String: String] {
        var files: [String: String] = [:]
        for commit in repo.commits.prefix(index + 1) { files.merge(commit.changes) { $1 } }
        return files
    }
}

extension StacksRepositoryHistory {
    /// The newest commit at or before `index` among `commits` that changed `path` (a file or directory prefix).
    static func lastChange(_ commits: [Commit], of path: String, upTo index: Int) -> Int? {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        guard index >= 0 else { return nil }
        return commits.indices.prefix(index + 1).last { commits[$0].changes.keys.contains { $0 == trimmed || $0.hasPrefix(trimmed + "/") } }
    }
}
