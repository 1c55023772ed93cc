import Foundation
import HomelabCore

extension DemoCommand {
    /// The demo's git and CI part: Forgejo's version (not semver, read anyway), the stack repository, the last
    /// commit touching a stack file, the Woodpecker pipeline that built it, a few streamed log lines of the running
    /// pipeline, one service traced from commit to running service (`homelab trace`), and the queue and agents.
    func gitAndCIPart(homelab: Homelab, transport: any HTTPTransport) async throws {
        guard homelab.components[.forgejo] != nil || homelab.components[.woodpecker] != nil else { return }
        let title = "Git and CI: Forgejo holds the stack files, Woodpecker checks every push"
        print("\n" + title + "\n" + String(repeating: "-", count: title.count))
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        do {
            let forgejo = try await connections.forgejo()
            let version = try await forgejo.version()
            print("  Forgejo \(version.raw): release \(version.release), Gitea-compatible \(version.giteaCompatibility ?? "-") (not semver; read anyway)")
            let repositories = try await forgejo.repositories.search().collect()
            print("  \(repositories.count) repositories: \(repositories.map(\.fullName).sorted().joined(separator: ", "))")
            guard let stack = homelab.stacks.last?.name else { await connections.close(); return }
            let path = StacksPaths.composeFile(for: stack)
            guard let commit = try await forgejo.commits.last(touching: path, in: StacksPaths.repository) else { await connections.close(); return }
            print("  \(path): last changed by \(commit.shortSHA) \"\(commit.title)\" \(Self.ago(commit.date))")
            let woodpecker = try await connections.woodpecker()
            let repo = try await woodpecker.repos.lookup(StacksPaths.repository.description)
            if let pipeline = try await woodpecker.pipelines.forCommit(commit.sha, repo: repo.id, branch: repo.defaultBranch) {
                print("  Woodpecker pipeline #\(pipeline.number) built it: \(pipeline.status), started \(Self.ago(pipeline.startedAt)), finished \(Self.ago(pipeline.finishedAt))")
            }
            if let service = homelab.stacks.first(where: { $0.name == "media-core" })?.services.first ?? homelab.services.first {
                let trace = try await ChangeTracer(connections: connections, timeout: .seconds(20)).trace(service.swarmName)
                let chain = [
                    trace.commit.detail.map { "commit \($0.shortSHA)" }, trace.pipeline.detail.map { "pipeline #\($0.number) \($0.status)" },
                    trace.deploy.detail.map { "\($0.operation) at \($0.commit ?? "-")" }, trace.running.detail.map { "running \($0.image ?? "-")" },
                ].compactMap { $0 }.joined(separator: " -> ")
                print("  homelab trace \(service.swarmName): \(chain): \(trace.verdict.phrase)")
            }
            if let running = try await woodpecker.pipelines.list(repo: repo.id, filter: .init(status: .running)).collect().first,
                let detailed = Optional(try await woodpecker.pipelines.get(repo: repo.id, number: running.number)),
                let step = detailed.steps.first(where: { $0.state == .running })
            {
                print("  pipeline #\(running.number) is running; following step '\(step.name)' (homelab ci logs \(repo.fullName) \(running.number) --follow):")
                var shown = 0
                for try await entry in woodpecker.logs.follow(repo: repo.id, pipeline: running.number, step: step.id) {
                    print("    | \(entry.text)")
                    shown += 1
                    if shown >= 4 { break }
                }
            }
            let queue = try await woodpecker.queue.info().counts
            let agents = try await woodpecker.agents.list().collect()
            print("  queue: \(queue.pendingCount) pending, \(queue.runningCount) running; agents up: "
                + agents.filter { $0.isUp() }.map(\.name).joined(separator: ", "))
        } catch {
            print("  git and CI could not be shown: \(error)")
        }
        await connections.close()
    }

    /// "3 hours ago", or "-".
    static func ago(_ date: Date?) -> String {
        date.map { RelativeTime.describe($0, now: Date()) } ?? "-"
    }
}
