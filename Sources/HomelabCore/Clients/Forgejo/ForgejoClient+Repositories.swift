import Foundation
import Logging

extension ForgejoClient {
    /// Repositories: the token's, an organisation's, a search; one; creating one.
    public var repositories: Repositories { Repositories(client: self) }
    /// Files at a ref.
    public var contents: Contents { Contents(client: self) }

    /// `client.repositories`.
    public struct Repositories: Sendable {
        let client: ForgejoClient

        /// Every repository the token's user owns or can see as a member (`GET /user/repos`).
        public func mine(logger: Logger? = nil) -> PagedSequence<Forgejo.Repository> {
            client.paged(Forgejo.Repository.self, "/user/repos", logger: logger)
        }

        /// Every repository of organisation `org` (`GET /orgs/{org}/repos`).
        /// - Throws (while iterating): ``HomelabError/Code/notFound`` for an unknown organisation.
        public func of(organization org: String, logger: Logger? = nil) throws -> PagedSequence<Forgejo.Repository> {
            client.paged(
                Forgejo.Repository.self, "/orgs/" + (try client.rest.pathComponent(org, what: "organisation")) + "/repos", logger: logger)
        }

        /// Repositories matching `query` (name, and description when `includeDescription`) visible to the token
        /// (`GET /repos/search`, answered as `{ok, data}`); an empty query lists every visible repository.
        public func search(_ query: String = "", includeDescription: Bool = false, logger: Logger? = nil) -> PagedSequence<Forgejo.Repository> {
            struct Results: Decodable {
                let ok: Bool?
                let data: [Forgejo.Repository]?
            }
            let rest = client.rest
            let text = query
            return .linkHeader(limit: client.pageSize, component: "forgejo") { page, limit in
                var parameters = [("page", String(page)), ("limit", String(limit))]
                if !text.isEmpty { parameters.append(("q", text)) }
                if includeDescription { parameters.append(("includeDesc", "true")) }
                let response = try await rest.call(.get, "/repos/search", query: parameters, logger: logger)
                let results = try rest.decode(Results.self, response.body, path: "/repos/search")
                guard results.ok != false else {
                    throw HomelabError(.httpStatus, "the search for '\(text)' failed", component: "forgejo", status: response.status)
                }
                return (results.data ?? [], response.headers)
            }
        }

        /// One repository (`GET /repos/{owner}/{repo}`).
        /// - Throws: ``HomelabError/Code/notFound``.
        public func get(_ repository: Forgejo.RepositoryName, logger: Logger? = nil) async throws -> Forgejo.Repository {
            try await client.rest.get(Forgejo.Repository.self, try client.repoPath(repository), logger: logger)
        }

        /// Creates a repository for the token's user, or in `organization` (`POST /user/repos`,
        /// `POST /orgs/{org}/repos`).
        /// - Throws: ``HomelabError/Code/conflict`` when it exists; `.invalidArgument` for a refused name.
        public func create(
            _ options: Forgejo.CreateRepository, organization: String? = nil, logger: Logger? = nil
        ) async throws -> Forgejo.Repository {
            let path = try organization.map { "/orgs/" + (try client.rest.pathComponent($0, what: "organisation")) + "/repos" } ?? "/user/repos"
            return try await client.rest.send(.post, path, json: options, decoding: Forgejo.Repository.self, logger: logger)
        }

        /// Deletes a repository (`DELETE /repos/{owner}/{repo}`).
        /// - Throws: ``HomelabError/Code/notFound``; `.unauthorized` without admin rights on it.
        public func delete(_ repository: Forgejo.RepositoryName, logger: Logger? = nil) async throws {
            _ = try await client.rest.call(.delete, try client.repoPath(repository), logger: logger)
        }
    }

    /// `client.contents`: files and directories at a ref (the stack files).
    public struct Contents: Sendable {
        let client: ForgejoClient

        /// The file at `path` in `repository` at `ref` (a branch, tag or sha; the default branch when `nil`), with
        /// its content (`GET /repos/{owner}/{repo}/contents/{filepath}?ref=`).
        /// - Throws: ``HomelabError/Code/notFound``; `.invalidArgument` when `path` is a directory.
        public func file(
            _ path: String, in repository: Forgejo.RepositoryName, ref: String? = nil, logger: Logger? = nil
        ) async throws -> Forgejo.Contents {
            let (body, url) = try await answer(path, repository, ref, logger)
            if body.first == UInt8(ascii: "[") {
                throw HomelabError(.invalidArgument, "'\(path)' in \(repository) is a directory, not a file", component: "forgejo")
            }
            return try client.rest.decode(Forgejo.Contents.self, body, path: url)
        }

        /// The entries of directory `path` (`""` for the root) at `ref`, without contents.
        /// - Throws: ``HomelabError/Code/notFound``; `.invalidArgument` when `path` is a file.
        public func directory(
            _ path: String, in repository: Forgejo.RepositoryName, ref: String? = nil, logger: Logger? = nil
        ) async throws -> [Forgejo.Contents] {
            let (body, url) = try await answer(path, repository, ref, logger)
            guard body.first == UInt8(ascii: "[") else {
                throw HomelabError(.invalidArgument, "'\(path)' in \(repository) is a file, not a directory", component: "forgejo")
            }
            return try client.rest.decode([Forgejo.Contents].self, body, path: url)
        }

        /// The file's text at `ref`.
        /// - Throws: as ``file(_:in:ref:logger:)``; ``HomelabError/Code/decodingFailed`` when it is not UTF-8 text.
        public func text(
            _ path: String, in repository: Forgejo.RepositoryName, ref: String? = nil, logger: Logger? = nil
        ) async throws -> String {
            let file = try await file(path, in: repository, ref: ref, logger: logger)
            guard let text = file.text else {
                throw HomelabError(.decodingFailed, "'\(path)' in \(repository) is not base64 UTF-8 text", component: "forgejo")
            }
            return text
        }

        private func answer(
            _ path: String, _ repository: Forgejo.RepositoryName, _ ref: String?, _ logger: Logger?
        ) async throws -> ([UInt8], String) {
            let trimmed = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            let url = try client.repoPath(repository) + "/contents" + (trimmed.isEmpty ? "" : "/" + (try client.filePath(trimmed)))
            let query = ref.map { [("ref", $0)] } ?? []
            let response = try await client.rest.call(.get, url, query: query, logger: logger)
            let body = Array(response.body.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
            return (body, url)
        }
    }
}
