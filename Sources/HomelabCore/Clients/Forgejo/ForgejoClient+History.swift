import Foundation
import Logging

extension ForgejoClient {
    /// Commits, newest first, optionally those touching a path.
    public var commits: Commits { Commits(client: self) }
    /// Branches with their head commits.
    public var branches: Branches { Branches(client: self) }
    /// Releases.
    public var releases: Releases { Releases(client: self) }

    /// `client.commits`.
    public struct Commits: Sendable {
        let client: ForgejoClient

        /// Commits reachable from `ref` (the default branch when `nil`), newest first; only those touching `path`
        /// when given (`GET /repos/{owner}/{repo}/commits?sha=&path=`). Without stats, verification or file lists
        /// (the cheap form). An empty repository has none (Forgejo answers it with 409).
        public func list(
            _ repository: Forgejo.RepositoryName, ref: String? = nil, path: String? = nil, logger: Logger? = nil
        ) throws -> PagedSequence<Forgejo.Commit> {
            let base = try client.repoPath(repository) + "/commits"
            var query = [("stat", "false"), ("verification", "false"), ("files", "false")]
            if let ref { query.append(("sha", ref)) }
            if let path { query.append(("path", path)) }
            let inner = client.paged(Forgejo.Commit.self, base, query: query, logger: logger)
            return PagedSequence(first: inner.first, component: "forgejo") { request in
                do {
                    return try await inner.fetch(request)
                } catch let error as HomelabError where error.status == 409 {
                    return Page(items: [], next: nil)
                }
            }
        }

        /// The last commit on `ref` that touched `path` (a file or a directory), with its sha and time; `nil` when
        /// none did (or the repository is empty).
        /// - Throws: ``HomelabError/Code/notFound`` for an unknown repository or ref.
        public func last(
            touching path: String, in repository: Forgejo.RepositoryName, ref: String? = nil, logger: Logger? = nil
        ) async throws -> Forgejo.Commit? {
            var query = [("stat", "false"), ("verification", "false"), ("files", "false"), ("path", path), ("page", "1"), ("limit", "1")]
            if let ref { query.append(("sha", ref)) }
            let url = try client.repoPath(repository) + "/commits"
            do {
                let response = try await client.rest.call(.get, url, query: query, logger: logger)
                return try client.rest.decode([Forgejo.Commit].self, response.body, path: url).first
            } catch let error as HomelabError where error.status == 409 {
                return nil
            }
        }

        /// One commit by sha or ref (`GET /repos/{owner}/{repo}/git/commits/{sha}`), with the files it touched.
        /// - Throws: ``HomelabError/Code/notFound``.
        public func get(_ sha: String, in repository: Forgejo.RepositoryName, logger: Logger? = nil) async throws -> Forgejo.Commit {
            let url = try client.repoPath(repository) + "/git/commits/" + (try client.rest.pathComponent(sha, what: "commit"))
            return try await client.rest.get(Forgejo.Commit.self, url, logger: logger)
        }
    }

    /// `client.branches`.
    public struct Branches: Sendable {
        let client: ForgejoClient

        /// Every branch with its head commit (`GET /repos/{owner}/{repo}/branches`).
        public func list(_ repository: Forgejo.RepositoryName, logger: Logger? = nil) throws -> PagedSequence<Forgejo.Branch> {
            client.paged(Forgejo.Branch.self, try client.repoPath(repository) + "/branches", logger: logger)
        }

        /// One branch (`GET /repos/{owner}/{repo}/branches/{branch}`); names may contain slashes (`renovate/updates`).
        /// - Throws: ``HomelabError/Code/notFound``.
        public func get(_ name: String, in repository: Forgejo.RepositoryName, logger: Logger? = nil) async throws -> Forgejo.Branch {
            let url = try client.repoPath(repository) + "/branches/" + (try client.filePath(name))
            return try await client.rest.get(Forgejo.Branch.self, url, logger: logger)
        }
    }

    /// `client.releases`.
    public struct Releases: Sendable {
        let client: ForgejoClient

        /// Every release, newest first, drafts included when the token may see them
        /// (`GET /repos/{owner}/{repo}/releases`).
        public func list(_ repository: Forgejo.RepositoryName, logger: Logger? = nil) throws -> PagedSequence<Forgejo.Release> {
            client.paged(Forgejo.Release.self, try client.repoPath(repository) + "/releases", logger: logger)
        }

        /// The newest published release that is not a pre-release (`GET .../releases/latest`); `nil` when none.
        /// - Throws: ``HomelabError/Code/notFound`` for an unknown repository.
        public func latest(_ repository: Forgejo.RepositoryName, logger: Logger? = nil) async throws -> Forgejo.Release? {
            let path = try client.repoPath(repository)
            do {
                return try await client.rest.get(Forgejo.Release.self, path + "/releases/latest", logger: logger)
            } catch let error as HomelabError where error.code == .notFound {
                _ = try await client.repositories.get(repository, logger: logger)
                return nil
            }
        }
    }
}
