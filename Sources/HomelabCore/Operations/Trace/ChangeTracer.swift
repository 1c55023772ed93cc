import Foundation
import Logging

/// Follows a service's change from commit to running service (``ChangeTrace``) through the homelab's connections:
/// Komodo's stack (the repository, branch and compose file it deploys), Forgejo's last commit touching that file,
/// Woodpecker's pipeline for the commit, Komodo's deploy updates, and the Swarm service.
///
/// Each component is read under ``timeout``; one that fails or does not answer makes its link unknown and the
/// trace goes on. Without Komodo the file is `StacksPaths.composeFile(for:)` in `StacksPaths.repository` on the
/// default branch.
public struct ChangeTracer: Sendable {
    /// The homelab's connections (nothing is closed here).
    public let connections: HomelabConnections
    /// The longest one component's part may take.
    public var timeout: Duration
    /// How many of a stack's deploy updates are read at most, newest first, looking for the commit.
    public var deploysLooked: Int = 20

    /// A tracer over `connections`.
    public init(connections: HomelabConnections, timeout: Duration = .seconds(30)) {
        self.connections = connections
        self.timeout = timeout
    }

    /// The trace of `service`: a Swarm name (`stack_service`) or a service name the inventory knows.
    /// - Throws: ``HomelabError/Code/notFound`` when neither the inventory nor the swarm knows the service;
    ///   `.invalidArgument` when a bare name is in several stacks. Component failures are not thrown: they make
    ///   their link unknown.
    public func trace(_ service: String, logger: Logger? = nil) async throws -> ChangeTrace {
        let target = try await resolve(service, logger: logger)
        let homelab = connections.homelab
        // What Komodo deploys: the repository, branch and compose file of the stack.
        var source = Source(repository: StacksPaths.repository, ref: nil, file: StacksPaths.composeFile(for: target.stack))
        var stackResult: Result<Komodo.Resource, any Error>?
        if homelab.components[.komodo] != nil {
            let stack = target.stack
            let result = await Deadline.run(timeout, "reading Komodo's stack \(stack)") { [connections] in
                try await connections.komodo().stacks.get(stack, logger: logger)
            }
            if case .success(let resource) = result { source = Source(komodo: resource, stack: stack) ?? source }
            stackResult = result
        }
        var trace = ChangeTrace(
            service: target.swarmName, stack: target.stack, repository: source.repository.description, ref: source.ref, file: source.file,
            commit: .init(.skipped, note: "Forgejo is not in the inventory"), pipeline: .init(.skipped, note: "Woodpecker is not in the inventory"),
            deploy: .init(.skipped, note: "Komodo is not in the inventory"), running: .init(.unknown))
        if homelab.components[.forgejo] != nil { trace.commit = await commit(source, logger: logger) }
        let change = trace.commit.detail
        let (known, place) = (stackResult, source)
        async let pipelineLink = pipeline(for: change, source: place, logger: logger)
        async let deployLink = deploy(of: change, stack: known, source: place, logger: logger)
        async let runningLink = running(target, commit: change, source: place, logger: logger)
        (trace.pipeline, trace.deploy, trace.running) = await (pipelineLink, deployLink, runningLink)
        if let started = trace.deploy.detail?.started, trace.deploy.state == .ok, let updated = trace.running.detail?.updatedAt,
            updated < started, trace.running.state == .ok
        {
            trace.running.note = "its spec has not changed since before Komodo's deploy (the deploy left it as it was)"
        }
        return trace
    }

    // MARK: The service

    struct Target: Sendable {
        var stack: String
        var service: String
        var swarmName: String { "\(stack)_\(service)" }
    }

    /// The stack and service `name` names: the inventory's first, then the swarm's stack label.
    func resolve(_ name: String, logger: Logger?) async throws -> Target {
        let services = connections.homelab.services
        if let service = services.first(where: { $0.swarmName == name }) { return Target(stack: service.stack, service: service.name) }
        let named = services.filter { $0.name == name }
        if named.count == 1, let service = named.first { return Target(stack: service.stack, service: service.name) }
        if named.count > 1 {
            throw HomelabError(
                .invalidArgument, "'\(name)' is a service of several stacks: name one of \(named.map(\.swarmName).sorted().joined(separator: ", "))",
                component: "trace")
        }
        let found = await Deadline.run(timeout, "looking up \(name) in the swarm") { [connections] in
            try await connections.swarm().services.inspect(name, logger: logger)
        }
        if case .success(let service) = found, let full = service.spec?.name,
            let stack = service.spec?.labels?[ComposeConverter.namespaceLabel], full.hasPrefix(stack + "_")
        {
            return Target(stack: stack, service: String(full.dropFirst(stack.count + 1)))
        }
        throw HomelabError(
            .notFound, "no service '\(name)' in the inventory or in a stack of the swarm (give stack_service or a service name)",
            component: "trace")
    }

    // MARK: The commit

    /// Where the stack file is.
    struct Source: Sendable {
        var repository: Forgejo.RepositoryName
        var ref: String?
        var file: String

        init(repository: Forgejo.RepositoryName, ref: String?, file: String) {
            self.repository = repository
            self.ref = ref
            self.file = file
        }

        /// From Komodo's stack config: `repo`, `branch`, `run_directory` + the first of `file_paths`; `nil` for a
        /// stack not deployed from a repository.
        init?(komodo stack: Komodo.Resource, stack name: String) {
            func text(_ key: String) -> String? {
                if case .string(let value)? = stack.config?[key], !value.isEmpty { return value }
                return nil
            }
            guard let repo = text("repo"), let repository = try? Forgejo.RepositoryName(parsing: repo) else { return nil }
            var first: String?
            if case .array(let paths)? = stack.config?["file_paths"], case .string(let path)? = paths.first { first = path }
            let parts = [text("run_directory"), first ?? "compose.yaml"].compactMap { $0 }
                .flatMap { $0.split(separator: "/").map(String.init) }
                .filter { $0 != "." && !$0.isEmpty }
            self.init(repository: repository, ref: text("branch"), file: parts.joined(separator: "/"))
        }
    }

    func commit(_ source: Source, logger: Logger?) async -> ChangeTrace.Link<ChangeTrace.Commit> {
        let result = await Deadline.run(timeout, "reading Forgejo's commits") { [connections] in
            try await connections.forgejo().commits.last(touching: source.file, in: source.repository, ref: source.ref, logger: logger)
        }
        switch result {
        case .success(let found?):
            return .init(.ok, ChangeTrace.Commit(
                sha: found.sha, title: found.title, author: found.commit?.author?.name ?? found.author?.login, date: found.date))
        case .success(nil):
            return .init(.missing, note: "no commit on \(source.ref ?? "the default branch") of \(source.repository) touches \(source.file)")
        case .failure(let error as HomelabError) where error.code == .notFound:
            return .init(.missing, note: "Forgejo has no \(source.repository)\(source.ref.map { " branch \($0)" } ?? "")")
        case .failure(let error):
            return .init(.unknown, note: Self.why(error))
        }
    }

    // MARK: The pipeline

    func pipeline(for commit: ChangeTrace.Commit?, source: Source, logger: Logger?) async -> ChangeTrace.Link<ChangeTrace.Pipeline> {
        guard connections.homelab.components[.woodpecker] != nil else { return .init(.skipped, note: "Woodpecker is not in the inventory") }
        guard let commit else { return .init(.unknown, note: "no commit to look for") }
        let short = String(commit.sha.prefix(7))
        let result = await Deadline.run(timeout, "reading Woodpecker's pipelines") { [connections] in
            let woodpecker = try await connections.woodpecker()
            let repo = try await woodpecker.repos.lookup(source.repository.description, logger: logger)
            return try await woodpecker.pipelines.forCommit(commit.sha, repo: repo.id, branch: source.ref ?? repo.defaultBranch, logger: logger)
        }
        switch result {
        case .success(let found?):
            let detail = ChangeTrace.Pipeline(
                number: found.number, status: found.status.rawValue, event: found.event, started: found.startedAt, finished: found.finishedAt)
            if found.status == .success { return .init(.ok, detail) }
            if found.status.isFailure { return .init(.failed, detail, note: "pipeline #\(found.number) \(found.status.rawValue) for \(short)") }
            if found.status.isFinished {
                return .init(.failed, detail, note: "pipeline #\(found.number) for \(short) ended \(found.status.rawValue)")
            }
            return .init(.inProgress, detail, note: "pipeline #\(found.number) for \(short) is \(found.status.rawValue)")
        case .success(nil):
            return .init(.missing, note: "no pipeline for \(short)")
        case .failure(let error as HomelabError) where error.code == .notFound:
            return .init(.missing, note: "Woodpecker does not know \(source.repository)")
        case .failure(let error):
            return .init(.unknown, note: Self.why(error))
        }
    }

    /// Why a component could not be read, in one line.
    static func why(_ error: any Error) -> String {
        (error as? HomelabError)?.description ?? String(describing: error)
    }
}
