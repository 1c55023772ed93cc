import Foundation
import Logging

extension ChangeTracer {
    // MARK: The deploy

    /// Komodo's deploy carrying `commit`: the newest successful deploy of the stack, when its hash is the commit's or
    /// that of a newer commit on the branch (Komodo deploys the branch's head, which includes the commit). Otherwise
    /// a deploy under way, a failed attempt made after the commit, or what is deployed instead.
    func deploy(
        of commit: ChangeTrace.Commit?, stack: Result<Komodo.Resource, any Error>?, source: Source, logger: Logger?
    ) async -> ChangeTrace.Link<ChangeTrace.Deploy> {
        guard let stack else { return .init(.skipped, note: "Komodo is not in the inventory") }
        let resource: Komodo.Resource
        switch stack {
        case .success(let found): resource = found
        case .failure(let error as HomelabError) where error.code == .notFound:
            return .init(.missing, note: "Komodo does not know the stack: \(error.serverMessage ?? error.message)")
        case .failure(let error): return .init(.unknown, note: Self.why(error))
        }
        guard let id = resource.id else { return .init(.unknown, note: "Komodo's stack \(resource.name) has no ID") }
        let limit = deploysLooked
        let read = await Deadline.run(timeout, "reading Komodo's updates of \(resource.name)") { [connections] in
            let komodo = try await connections.komodo()
            var newest: Komodo.Update?
            var lastGood: Komodo.Update?
            var looked = 0
            for try await item in komodo.updates.list(target: Komodo.ResourceTarget(type: "Stack", id: id), logger: logger) {
                guard item.operation.hasPrefix("Deploy") else { continue }
                let whole = try await komodo.updates.get(item.id, logger: logger)
                if newest == nil { newest = whole }
                if whole.isComplete && whole.success {
                    lastGood = whole
                    break
                }
                looked += 1
                if looked >= limit { break }
            }
            return (newest, lastGood)
        }
        guard case .success(let (newest, lastGood)) = read else {
            if case .failure(let error) = read { return .init(.unknown, note: Self.why(error)) }
            return .init(.unknown)
        }
        var infoHash: String?
        if case .string(let hash)? = resource.info?["deployed_hash"], !hash.isEmpty { infoHash = hash }
        let deployedHash = lastGood?.commitHash ?? infoHash
        let good = lastGood.map(Self.detail)
        guard let commit else {
            return .init(.unknown, good, note: "no commit to look for; Komodo last deployed \(deployedHash ?? "nothing")")
        }
        let short = String(commit.sha.prefix(7))
        if let deployedHash, Self.same(deployedHash, commit.sha) { return .init(.ok, good) }
        if let deployedHash, await includes(deployedHash, commit: commit.sha, source: source, logger: logger) {
            return .init(.ok, good, note: "Komodo deployed \(deployedHash), a newer commit of the branch that includes \(short)")
        }
        if let newest, !newest.isComplete {
            return .init(.inProgress, Self.detail(newest), note: "Komodo is deploying \(resource.name) (update \(newest.id), \(newest.status.rawValue))")
        }
        let last = "last deployed \(deployedHash ?? "nothing")" + (lastGood?.started.map { " at \(Self.stamp($0))" } ?? "")
        if let newest, !newest.success, let started = newest.started, started >= (commit.date ?? .distantPast) {
            return .init(
                .failed, Self.detail(newest),
                note: "Komodo's deploy of \(resource.name) at \(Self.stamp(started)) failed: \(newest.failureText ?? "no reason given"); \(last)")
        }
        return .init(.missing, good, note: "Komodo has not deployed \(short) yet: \(last)")
    }

    /// Whether `hash` (short or full) names `sha` or a commit newer than it on the branch (read from Forgejo, the
    /// 200 newest at most).
    func includes(_ hash: String, commit sha: String, source: Source, logger: Logger?) async -> Bool {
        guard connections.homelab.components[.forgejo] != nil else { return false }
        let result = await Deadline.run(timeout, "reading Forgejo's history") { [connections] in
            var seen = 0
            for try await newer in try await connections.forgejo().commits.list(source.repository, ref: source.ref, logger: logger) {
                if Self.same(newer.sha, sha) { return false }
                if Self.same(hash, newer.sha) { return true }
                seen += 1
                if seen >= 200 { return false }
            }
            return false
        }
        return (try? result.get()) ?? false
    }

    /// Whether two commit hashes (either may be short) name the same commit.
    static func same(_ one: String, _ other: String) -> Bool {
        let a = one.lowercased()
        let b = other.lowercased()
        guard min(a.count, b.count) >= 7 else { return a == b }
        return a.hasPrefix(b) || b.hasPrefix(a)
    }

    static func detail(_ update: Komodo.Update) -> ChangeTrace.Deploy {
        ChangeTrace.Deploy(
            update: update.id, operation: update.operation, commit: update.commitHash, status: update.status.rawValue, success: update.success,
            started: update.started, ended: update.ended, failure: update.failureText)
    }

    static func stamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    // MARK: The service

    /// The Swarm service now, against the image the stack file names at the commit.
    func running(
        _ target: Target, commit: ChangeTrace.Commit?, source: Source, logger: Logger?
    ) async -> ChangeTrace.Link<ChangeTrace.Running> {
        let name = target.swarmName
        async let expected = expectedImage(target, commit: commit, source: source, logger: logger)
        let result = await Deadline.run(timeout, "reading the swarm's service \(name)") { [connections] in
            try await connections.swarm().services.list(filters: Swarm.Filters().adding("name", name), logger: logger)
                .first { $0.spec?.name == name }
        }
        let wanted = await expected
        let service: Swarm.Service
        switch result {
        case .success(let found?): service = found
        case .success(nil): return .init(.missing, note: "the swarm has no service \(name)")
        case .failure(let error): return .init(.unknown, note: Self.why(error))
        }
        let status = service.updateStatus
        let detail = ChangeTrace.Running(
            name: name, image: service.spec?.taskTemplate?.containerSpec?.image, expectedImage: wanted,
            updatedAt: service.updatedAt.flatMap(Swarm.Timestamp.date(from:)), updateState: status?.state?.rawValue,
            updateMessage: status?.message, runningTasks: service.serviceStatus?.runningTasks.map { Int($0) },
            desiredTasks: service.serviceStatus?.desiredTasks.map { Int($0) })
        switch status?.state {
        case .paused?, .rollbackPaused?, .rollbackStarted?, .rollbackCompleted?:
            let state = status?.state?.rawValue ?? "?"
            return .init(.failed, detail, note: "Swarm's last update of \(name) is \(state)" + (status?.message.map { ": \($0)" } ?? ""))
        default: break
        }
        if let wanted, let image = detail.image, !Self.sameImage(wanted, image) {
            return .init(.failed, detail, note: "\(name) runs \(Self.withoutDigest(image)); the stack file says \(wanted)")
        }
        if let desired = detail.desiredTasks, desired > 0, detail.runningTasks == 0 {
            return .init(.failed, detail, note: "no task of \(name) is running (0/\(desired))")
        }
        if status?.state == .updating { return .init(.inProgress, detail, note: "Swarm is updating \(name)") }
        return .init(.ok, detail, note: wanted == nil && commit != nil ? "the stack file's image could not be read" : nil)
    }

    /// The image the stack file names for the service at the commit; `nil` when it cannot be read.
    func expectedImage(_ target: Target, commit: ChangeTrace.Commit?, source: Source, logger: Logger?) async -> String? {
        guard let commit, connections.homelab.components[.forgejo] != nil else { return nil }
        let result = await Deadline.run(timeout, "reading the stack file") { [connections] in
            let text = try await connections.forgejo().contents.text(source.file, in: source.repository, ref: commit.sha, logger: logger)
            return try ComposeLoader.load(yaml: text, file: source.file).service(named: target.service)?.image
        }
        return (try? result.get()) ?? nil
    }

    /// Whether two image references name the same repository and tag (digests aside; no tag is `latest`).
    static func sameImage(_ one: String, _ other: String) -> Bool {
        guard let a = ImageReference(one), let b = ImageReference(other) else { return withoutDigest(one) == withoutDigest(other) }
        return a.repository == b.repository && (a.tag ?? "latest") == (b.tag ?? "latest")
    }

    static func withoutDigest(_ image: String) -> String {
        image.split(separator: "@", maxSplits: 1).first.map(String.init) ?? image
    }
}
