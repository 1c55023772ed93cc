import Foundation
import Logging

extension WoodpeckerClient {
    /// Pipelines of a repository: listing, reading, triggering, restarting, cancelling, approving, declining.
    public var pipelines: Pipelines { Pipelines(client: self) }

    /// `client.pipelines`.
    public struct Pipelines: Sendable {
        let client: WoodpeckerClient

        /// A filter for ``list(repo:filter:logger:)``.
        public struct Filter: Sendable, Hashable {
            public var branch: String?
            public var event: String?
            public var status: Woodpecker.Status?

            /// Everything, or only pipelines matching the given fields.
            public init(branch: String? = nil, event: String? = nil, status: Woodpecker.Status? = nil) {
                self.branch = branch
                self.event = event
                self.status = status
            }

            var query: [(String, String)] {
                var query: [(String, String)] = []
                if let branch { query.append(("branch", branch)) }
                if let event { query.append(("event", event)) }
                if let status { query.append(("status", status.rawValue)) }
                return query
            }
        }

        /// The repository's pipelines, newest first, without their workflows
        /// (`GET /api/repos/{repo_id}/pipelines`).
        public func list(repo: Int64, filter: Filter = Filter(), logger: Logger? = nil) -> PagedSequence<Woodpecker.Pipeline> {
            client.paged(Woodpecker.Pipeline.self, "/repos/\(repo)/pipelines", query: filter.query, logger: logger)
        }

        /// Pipeline `number` with its workflows and steps (`GET /api/repos/{repo_id}/pipelines/{number}`).
        /// - Throws: ``HomelabError/Code/notFound``.
        public func get(repo: Int64, number: Int64, logger: Logger? = nil) async throws -> Woodpecker.Pipeline {
            try await client.rest.get(Woodpecker.Pipeline.self, client.pipelinePath(repo, number), logger: logger)
        }

        /// The newest pipeline built for commit `sha` (a full sha, or a prefix of at least 7 characters), read with
        /// its workflows; `nil` when no pipeline of the repository built it. With `branch`, only that branch's
        /// pipelines count (a pull request from another branch may have built the same commit). Pages are read
        /// newest first until it is found (the API has no commit filter).
        /// - Throws: ``HomelabError/Code/invalidArgument`` for a prefix shorter than 7; what listing throws.
        public func forCommit(
            _ sha: String, repo: Int64, branch: String? = nil, logger: Logger? = nil
        ) async throws -> Woodpecker.Pipeline? {
            let wanted = sha.lowercased()
            guard wanted.count >= 7 else {
                throw HomelabError(.invalidArgument, "'\(sha)' is too short to name a commit (7 characters at least)", component: "woodpecker")
            }
            for try await pipeline in list(repo: repo, filter: Filter(branch: branch), logger: logger) {
                if let commit = pipeline.commit?.lowercased(), commit.hasPrefix(wanted) {
                    return try await get(repo: repo, number: pipeline.number, logger: logger)
                }
            }
            return nil
        }

        /// Runs the pipeline of `branch` by hand (`POST /api/repos/{repo_id}/pipelines`).
        /// - Throws: ``HomelabError/Code/notFound`` for an unknown branch; `.httpStatus` when the config filters
        ///   the manual event out (204 without a pipeline is reported as that).
        public func create(
            repo: Int64, branch: String, variables: [String: String] = [:], logger: Logger? = nil
        ) async throws -> Woodpecker.Pipeline {
            let response = try await client.rest.send(
                .post, "/repos/\(repo)/pipelines", json: Woodpecker.PipelineOptions(branch: branch, variables: variables.isEmpty ? nil : variables),
                logger: logger)
            if response.status == 204 || response.body.isEmpty {
                throw HomelabError(
                    .httpStatus, "no pipeline ran for \(branch): the configuration filters out manual runs", component: "woodpecker",
                    status: response.status)
            }
            return try client.rest.decode(Woodpecker.Pipeline.self, response.body, path: "/repos/\(repo)/pipelines")
        }

        /// Runs pipeline `number` again as a new pipeline (`POST /api/repos/{repo_id}/pipelines/{number}`); returns
        /// the new one.
        /// - Throws: ``HomelabError/Code/notFound``; `.conflict` while it still runs.
        public func restart(repo: Int64, number: Int64, logger: Logger? = nil) async throws -> Woodpecker.Pipeline {
            try await act(nil, repo: repo, number: number, logger: logger)
        }

        /// Cancels a pending, running or blocked pipeline (`POST .../cancel`; the answer is empty) and returns it as
        /// it is afterwards.
        /// - Throws: ``HomelabError/Code/notFound``; `.conflict` when it has finished.
        public func cancel(repo: Int64, number: Int64, logger: Logger? = nil) async throws -> Woodpecker.Pipeline {
            try await act("cancel", repo: repo, number: number, rereads: true, logger: logger)
        }

        /// Approves a pipeline blocked awaiting approval (`POST .../approve`); it then queues.
        /// - Throws: ``HomelabError/Code/notFound``; `.conflict` when it is not blocked.
        public func approve(repo: Int64, number: Int64, logger: Logger? = nil) async throws -> Woodpecker.Pipeline {
            try await act("approve", repo: repo, number: number, logger: logger)
        }

        /// Declines a pipeline blocked awaiting approval (`POST .../decline`).
        /// - Throws: ``HomelabError/Code/notFound``; `.conflict` when it is not blocked.
        public func decline(repo: Int64, number: Int64, logger: Logger? = nil) async throws -> Woodpecker.Pipeline {
            try await act("decline", repo: repo, number: number, logger: logger)
        }

        /// `POST` to pipeline `number` (restart) or to its `action` path; the pipeline the answer holds, or with
        /// `rereads` (cancel answers nothing) the pipeline read afterwards.
        private func act(
            _ action: String?, repo: Int64, number: Int64, rereads: Bool = false, logger: Logger?
        ) async throws -> Woodpecker.Pipeline {
            let path = client.pipelinePath(repo, number) + (action.map { "/" + $0 } ?? "")
            let response = try await client.rest.call(.post, path, logger: logger)
            if rereads { return try await get(repo: repo, number: number, logger: logger) }
            return try client.rest.decode(Woodpecker.Pipeline.self, response.body, path: path)
        }
    }
}
