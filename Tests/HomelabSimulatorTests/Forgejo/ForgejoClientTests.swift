import Foundation
import HomelabCore
import HomelabSimulator
import Testing

@Suite("Forgejo client against the simulated Forgejo: every operation, pagination edges, rejected credentials")
struct ForgejoClientTests {
    @Test("Version (not semver), the token's user, organisations and admin users; opened from the written inventory")
    func basics() async throws {
        try await withForge { forge in
            let client = try await forge.connections().forgejo()
            let version = try await client.version()
            #expect(version.raw == "11.0.1+gitea-1.22.0" && version.major == 11 && version.giteaCompatibility == "1.22.0")
            await forge.forge.setVersion("12.0.0-dev+abc1234")
            let dev = try await client.version()
            #expect(dev.major == 12 && dev.isPrerelease && dev.build == ["abc1234"])
            #expect(try await client.currentUser().login == "ops")
            let orgs = try await client.organizations.list().collect()
            #expect(Set(orgs.map(\.name)) == ["homelab", "mirrors"])
            #expect(try await client.organizations.get("homelab").fullName == "Homelab")
            #expect(try await client.organizations.mine().collect().count == 2)
            let users = try await client.admin.users().collect()
            #expect(users.map(\.login).contains("woodpecker") && users.first { $0.login == "ops" }?.isAdmin == true)
            let made = try await client.admin.createUser(Forgejo.CreateUser(username: "guest", email: "guest@home.arpa"))
            #expect(made.login == "guest")
            await #expect(throws: HomelabError.self) { _ = try await client.admin.createUser(Forgejo.CreateUser(username: "guest", email: "g@x.y")) }
        }
    }

    @Test("Rejected credentials: a wrong token is 401 (.unauthorized) everywhere; a non-admin gets 403 on admin calls")
    func rejectedCredentials() async throws {
        try await withForge { forge in
            let wrong = forge.forgejo(token: "fj_not_a_token")
            for call in [{ _ = try await wrong.currentUser() }, { _ = try await wrong.repositories.search().collect() }] as [() async throws -> Void] {
                do {
                    try await call()
                    Issue.record("a wrong token was accepted")
                } catch let error as HomelabError {
                    #expect(error.code == .unauthorized && error.status == 401, "\(error)")
                    #expect(!error.description.contains("fj_not_a_token"))
                }
            }
            let reader = forge.forgejo(token: forge.forge.readerToken)
            #expect(try await reader.currentUser().login == "reader")
            await #expect(throws: HomelabError.self) { _ = try await reader.admin.users().collect() }
            do {
                _ = try await reader.admin.users().collect()
            } catch let error as HomelabError {
                #expect(error.status == 403 && error.code == .unauthorized)
            }
            let visible = try await reader.repositories.search().collect().map(\.fullName)
            #expect(!visible.contains("homelab/stacks"), "a private repository is hidden from a reader")
        }
    }

    @Test("Repositories: search, mine, an organisation's, one, create (then 409), delete; files and directories at a ref")
    func repositoriesAndContents() async throws {
        try await withForge { forge in
            let client = forge.forgejo()
            let all = try await client.repositories.search().collect()
            #expect(Set(all.map(\.fullName)).isSuperset(of: ["homelab/stacks", "homelab/exporter-image", "homelab/infra", "homelab/scratch", "ops/dotfiles"]))
            #expect(try await client.repositories.search("export").collect().map(\.fullName) == ["homelab/exporter-image"])
            #expect(try await client.repositories.mine().collect().count == all.count)
            #expect(try await client.repositories.of(organization: "homelab").collect().count == 4)
            let stacks = try await client.repositories.get(StacksPaths.repository)
            #expect(stacks.private == true && stacks.defaultBranch == "main" && stacks.ownerLogin == "homelab")
            let created = try await client.repositories.create(.init(name: "notes", description: "scratchpad", autoInit: true), organization: "homelab")
            #expect(created.fullName == "homelab/notes" && created.empty == false)
            do {
                _ = try await client.repositories.create(.init(name: "notes"), organization: "homelab")
                Issue.record("a second repository of the same name was created")
            } catch let error as HomelabError {
                #expect(error.code == .conflict && error.status == 409)
            }
            try await client.repositories.delete("homelab/notes")
            await #expect(throws: HomelabError.self) { _ = try await client.repositories.get("homelab/notes") }

            let stack = try #require(forge.stacks.last)
            let path = StacksPaths.composeFile(for: stack.name)
            let text = try await client.contents.text(path, in: StacksPaths.repository)
            #expect(text.contains("revision 2") && text.contains(stack.services.first?.image ?? "?"))
            let first = try #require(try await client.commits.list(StacksPaths.repository).collect().last)
            let old = try await client.contents.text(path, in: StacksPaths.repository, ref: first.sha)
            #expect(old.contains("revision 1"), "the file at the first commit is the imported one")
            let file = try await client.contents.file(path, in: StacksPaths.repository, ref: "main")
            #expect(file.type == "file" && file.lastCommitSHA != nil)
            let root = try await client.contents.directory("", in: StacksPaths.repository)
            #expect(Set(root.map(\.name)).isSuperset(of: ["README.md", "stacks", ".woodpecker.yaml"]))
            #expect(root.first { $0.name == "stacks" }?.type == "dir")
            let stackDirs = try await client.contents.directory("stacks", in: StacksPaths.repository)
            #expect(stackDirs.count == forge.stacks.count)
            await #expect(throws: HomelabError.self) { _ = try await client.contents.file("stacks", in: StacksPaths.repository) }
            do {
                _ = try await client.contents.file("stacks/nope/compose.yaml", in: StacksPaths.repository)
            } catch let error as HomelabError {
                #expect(error.code == .notFound)
            }
            await #expect(throws: HomelabError.self) { _ = try await client.contents.file("../etc/passwd", in: StacksPaths.repository) }
        }
    }

    @Test("Commits: newest first, by path; the last commit touching each stack file, with its time; an empty repository has none")
    func commits() async throws {
        try await withForge { forge in
            let client = forge.forgejo()
            let all = try await client.commits.list(StacksPaths.repository).collect()
            #expect(all.count == forge.stacks.count + 2)
            #expect(zip(all, all.dropFirst()).allSatisfy { ($0.date ?? .distantPast) >= ($1.date ?? .distantPast) })
            for stack in forge.stacks {
                let path = StacksPaths.composeFile(for: stack.name)
                let last = try #require(try await client.commits.last(touching: path, in: StacksPaths.repository))
                #expect(last.title == "\(stack.name): update images")
                #expect((last.date?.timeIntervalSinceNow ?? 0) < 0)
                let touching = try await client.commits.list(StacksPaths.repository, path: path).collect()
                #expect(touching.count == 2 && touching.first?.sha == last.sha)
            }
            let fetched = try await client.commits.get(String(all[0].sha.prefix(10)), in: StacksPaths.repository)
            #expect(fetched.sha == all[0].sha && fetched.files?.map(\.filename) == ["README.md"])
            #expect(try await client.commits.list("homelab/scratch").collect().isEmpty)
            #expect(try await client.commits.last(touching: "README.md", in: "homelab/scratch") == nil)
            #expect(try await client.commits.last(touching: "no/such/file", in: StacksPaths.repository) == nil)
            let branches = try await client.branches.list(StacksPaths.repository).collect()
            #expect(Set(branches.map(\.name)) == ["main", "renovate/updates"])
            #expect(try await client.branches.get("main", in: StacksPaths.repository).commit?.id == all[0].sha)
        }
    }

    @Test("Webhooks (the Woodpecker hook, created and deleted; secrets never echoed), releases, packages, OAuth2 applications")
    func hooksReleasesPackagesApplications() async throws {
        try await withForge { forge in
            let client = forge.forgejo()
            let hooks = try await client.hooks.list(StacksPaths.repository).collect()
            #expect(hooks.count == 1 && hooks[0].type == "forgejo" && hooks[0].events?.contains("push") == true)
            #expect(hooks[0].targetURL?.contains("access_token=") == true && hooks[0].targetURL?.contains(Redaction.placeholder) == true)
            let hook = Forgejo.CreateHook.woodpecker(server: "https://ci.home.arpa/", accessToken: Secret("hook-jwt-value"), secret: Secret("repo-hash"))
            #expect(!hook.description.contains("hook-jwt-value"))
            let made = try await client.hooks.create(hook, in: "homelab/infra")
            #expect(made.config?["secret"] == nil && made.events == ["push", "create", "pull_request", "release"])
            #expect(try await client.hooks.list("homelab/infra").collect().count == 1)
            try await client.hooks.delete(made.id, in: "homelab/infra")
            #expect(try await client.hooks.list("homelab/infra").collect().isEmpty)
            await #expect(throws: HomelabError.self) { _ = try await client.hooks.create(Forgejo.CreateHook(type: "smoke-signals", url: "https://x", events: []), in: "homelab/infra") }

            let releases = try await client.releases.list("homelab/exporter-image").collect()
            #expect(releases.map(\.tagName) == ["v1.2.0-rc1", "v1.1.0", "v1.0.0"])
            #expect(try await client.releases.latest("homelab/exporter-image")?.tagName == "v1.1.0")
            #expect(try await client.releases.latest("homelab/infra") == nil)
            #expect(try await client.releases.list("homelab/infra").collect().isEmpty)
            let images = try await client.packages.list(owner: "homelab", type: "container").collect()
            #expect(images.count == 3 && Set(images.map(\.name)) == ["homelab-exporter"] && images.first?.repository?.fullName == "homelab/exporter-image")
            #expect(try await client.packages.list(owner: "homelab").collect().count == 4)
            #expect(try await client.packages.list(owner: "mirrors").collect().isEmpty)

            let apps = try await client.oauth2.list().collect()
            #expect(apps.count == 1 && apps[0].redirectURIs == ["https://ci.home.arpa/authorize"] && apps[0].clientSecret == nil)
            let app = try await client.oauth2.create(name: "Grafana", redirectURIs: ["https://grafana.home.arpa/login/generic_oauth"])
            let secret = try #require(app.clientSecret)
            #expect(!"\(app)".contains(secret.reveal()))
            #expect(try await client.oauth2.list().collect().count == 2)
            try await client.oauth2.delete(app.id)
            #expect(try await client.oauth2.list().collect().count == 1)
        }
    }

    @Test("Pagination edges: no items, exactly one full page of 50, many pages at any page size")
    func pagination() async throws {
        try await withForge { forge in
            var client = forge.forgejo()
            #expect(try await client.repositories.of(organization: "mirrors").collect().isEmpty)
            for index in 0..<50 {
                _ = try await client.repositories.create(.init(name: "mirror-\(index)"), organization: "mirrors")
            }
            for size in [50, 49, 7, 1] {
                client.pageSize = size
                let names = try await client.repositories.of(organization: "mirrors").collect().map(\.name)
                #expect(names.count == 50 && Set(names).count == 50, "page size \(size)")
            }
            client.pageSize = 50
            _ = try await client.repositories.create(.init(name: "mirror-50"), organization: "mirrors")
            #expect(try await client.repositories.of(organization: "mirrors").collect().count == 51)
            client.pageSize = 3
            #expect(try await client.commits.list(StacksPaths.repository).collect().count == forge.stacks.count + 2)
        }
    }
}
