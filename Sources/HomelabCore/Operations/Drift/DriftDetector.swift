import Foundation
import Logging

/// Compares what git says the swarm runs with what it runs (``StackDrift``): for each stack, the compose file that
/// Komodo deploys (its stack config's repository, branch and file; `StacksPaths` when Komodo is not in the
/// inventory or does not know the stack), read from Forgejo at that ref, converted as `docker stack deploy` would
/// (``ComposeConverter``) and compared field by field with the live Swarm services; then Komodo's pending
/// resource-sync changes.
///
/// Unlike ``ChangeTracer``, a component that cannot be read fails the whole comparison: half a comparison would
/// read as "in sync".
public struct DriftDetector: Sendable {
    /// The homelab's connections (nothing is closed here).
    public let connections: HomelabConnections
    /// The longest one component's part may take.
    public var timeout: Duration

    /// A detector over `connections`.
    public init(connections: HomelabConnections, timeout: Duration = .seconds(30)) {
        self.connections = connections
        self.timeout = timeout
    }

    /// The drift of `stacks` (every stack of the inventory when empty).
    /// - Throws: ``HomelabError``: `.notFound` for a stack the inventory does not have or a stack file git does not
    ///   have at the ref; `.invalidConfiguration` when Forgejo is not in the inventory or a stack file does not load
    ///   (the message names the file, line and column); a component's error when it cannot be read.
    public func drift(stacks names: [String] = [], logger: Logger? = nil) async throws -> StackDrift {
        let homelab = connections.homelab
        let known = homelab.stacks.map(\.name)
        for name in names where !known.contains(name) {
            throw HomelabError(
                .notFound, "no stack '\(name)' in the inventory (stacks: \(known.joined(separator: ", ")))", component: "drift")
        }
        guard homelab.components[.forgejo] != nil else {
            throw HomelabError(
                .invalidConfiguration, "drift reads the stack files from Forgejo, which is not in the inventory", component: "drift")
        }
        let chosen = names.isEmpty ? known : known.filter(names.contains)
        let komodo = homelab.components[.komodo] != nil
        var report = StackDrift()
        var files: [(StackDrift.Stack, ComposeStack)] = []
        for stack in chosen {
            var (place, deployed, environment) = (Self.defaultSource(stack), String?.none, [String: String]())
            if komodo { (place, deployed, environment) = try await komodoSource(of: stack, logger: logger) }
            let (composeStack, commit) = try await read(place, stack: stack, environment: environment, logger: logger)
            files.append((
                StackDrift.Stack(
                    name: stack, repository: place.repository.description, ref: place.ref, file: place.file, commit: commit,
                    deployedCommit: deployed, services: composeStack.serviceOrder.count),
                composeStack))
        }
        let (live, networkNames) = try await Deadline.run(timeout, "reading the swarm's services") { [connections] in
            let swarm = try await connections.swarm()
            return (try await swarm.liveSpecs(), try await swarm.networkNames())
        }.get()
        for (stack, composeStack) in files {
            report.stacks.append(stack)
            let (services, inSync) = StackDrift.compare(composeStack, live: live, networkNames: networkNames)
            report.services += services
            report.inSync += inSync
        }
        if komodo { report.pending = try await pending(stacks: names.isEmpty ? nil : Set(names), logger: logger) }
        return report
    }

    // MARK: Where each file is

    static func defaultSource(_ stack: String) -> ChangeTracer.Source {
        ChangeTracer.Source(repository: StacksPaths.repository, ref: nil, file: StacksPaths.composeFile(for: stack))
    }

    /// Komodo's stack config: where its file is, the commit it deployed and its environment (the variables the file
    /// is interpolated with); the default place for a stack Komodo does not know.
    func komodoSource(
        of stack: String, logger: Logger?
    ) async throws -> (ChangeTracer.Source, deployed: String?, environment: [String: String]) {
        let result = await Deadline.run(timeout, "reading Komodo's stack \(stack)") { [connections] in
            try await connections.komodo().stacks.get(stack, logger: logger)
        }
        let resource: Komodo.Resource
        switch result {
        case .success(let found): resource = found
        case .failure(let error as HomelabError) where error.code == .notFound: return (Self.defaultSource(stack), nil, [:])
        case .failure(let error): throw error
        }
        var deployed: String?
        if case .string(let hash)? = resource.info?["deployed_hash"], !hash.isEmpty { deployed = hash }
        var environment: [String: String] = [:]
        if case .string(let text)? = resource.config?["environment"] { environment = Self.variables(text) }
        return (ChangeTracer.Source(komodo: resource, stack: stack) ?? Self.defaultSource(stack), deployed, environment)
    }

    /// `NAME=value` lines (blank lines and `#` comments skipped), as Komodo writes them to the stack's env file.
    static func variables(_ text: String) -> [String: String] {
        var variables: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            variables[name] = String(trimmed[trimmed.index(after: equals)...])
        }
        return variables
    }

    /// The stack file at its ref, converted; and the last commit that changed it.
    func read(
        _ place: ChangeTracer.Source, stack: String, environment: [String: String], logger: Logger?
    ) async throws -> (ComposeStack, commit: String?) {
        let at = "\(place.repository)" + (place.ref.map { "@\($0)" } ?? "")
        let result = await Deadline.run(timeout, "reading \(place.file) from Forgejo") { [connections] in
            try await connections.forgejo().contents.file(place.file, in: place.repository, ref: place.ref, logger: logger)
        }
        let file: Forgejo.Contents
        switch result {
        case .success(let found): file = found
        case .failure(let error as HomelabError) where error.code == .notFound:
            throw HomelabError(
                .notFound, "stack \(stack): no file \(place.file) in \(at) (where Komodo deploys it from)", component: "drift",
                underlying: error)
        case .failure(let error): throw error
        }
        guard let text = file.text else {
            throw HomelabError(.invalidConfiguration, "stack \(stack): \(place.file) in \(at) is not UTF-8 text", component: "drift")
        }
        return (try Self.convert(text, file: place.file, at: at, stack: stack, environment: environment), file.lastCommitSHA)
    }

    /// Stack `stack`'s compose text (the file `file` read from `at`, `owner/name@ref`) converted as
    /// `docker stack deploy` would.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` naming the stack, where the file was read and each
    ///   problem at its `file:line:column`.
    static func convert(_ text: String, file: String, at: String, stack: String, environment: [String: String]) throws -> ComposeStack {
        do {
            let composeFile = try ComposeLoader.load(yaml: text, file: file, environment: environment)
            return try ComposeConverter.convert(composeFile, stack: stack)
        } catch let error as HomelabError {
            throw HomelabError(
                .invalidConfiguration, "stack \(stack): the file in \(at) does not load: \(error.message)", component: "drift",
                underlying: error)
        }
    }

    // MARK: Komodo's pending sync

    /// Every resource sync's pending changes; with `stacks`, only changes of those stacks.
    func pending(stacks: Set<String>?, logger: Logger?) async throws -> [StackDrift.PendingChange] {
        try await Deadline.run(timeout, "reading Komodo's pending sync changes") { [connections] in
            let komodo = try await connections.komodo()
            var changes: [StackDrift.PendingChange] = []
            let syncs = try await komodo.syncs.list(logger: logger)
            guard !syncs.isEmpty else { return changes }
            var names: [String: String] = [:]
            for stack in try await komodo.stacks.list(logger: logger) { names[stack.id] = stack.name }
            for sync in syncs.sorted(by: { $0.name < $1.name }) {
                let pending = try await komodo.syncs.pending(sync.name, logger: logger)
                if let error = pending.pendingError, !error.isEmpty {
                    throw HomelabError(
                        .commandFailed, "Komodo could not compute resource sync \(sync.name)'s pending changes: \(error)", component: "komodo")
                }
                for diff in pending.resourceUpdates ?? [] {
                    let name = diff.data.data.name ?? names[diff.target.id] ?? diff.target.id
                    if let stacks, diff.target.type != "Stack" || !stacks.contains(name) { continue }
                    changes.append(StackDrift.PendingChange(
                        sync: sync.name, action: diff.data.type.lowercased(), kind: diff.target.type, name: name,
                        current: diff.data.data.current, proposed: diff.data.data.proposed))
                }
            }
            return changes
        }.get()
    }
}
