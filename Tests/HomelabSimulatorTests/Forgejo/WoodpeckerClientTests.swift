import Foundation
import HomelabCore
import HomelabSimulator
import Testing

@Suite("Woodpecker client against the simulated Woodpecker: every operation, streamed logs, pagination edges, rejected credentials")
struct WoodpeckerClientTests {
    @Test("Version and health at the root, the token's user; a wrong token is 401 (.unauthorized)")
    func basics() async throws {
        try await withForge { forge in
            let client = try await forge.connections().woodpecker()
            #expect(try await client.version().version == "3.8.0")
            try await client.health()
            #expect(try await client.currentUser().login == "ops")
            do {
                _ = try await forge.woodpecker(token: "wp_wrong").currentUser()
                Issue.record("a wrong token was accepted")
            } catch let error as HomelabError {
                #expect(error.code == .unauthorized && error.status == 401 && !error.description.contains("wp_wrong"))
            }
            _ = try await forge.woodpecker(token: "wp_wrong").version()
        }
    }

    @Test("Repositories: the user's (active, or all), the admin listing, lookup by name, by ID; activating one")
    func repositories() async throws {
        try await withForge { forge in
            let client = forge.woodpecker()
            let mine = try await client.repos.mine()
            #expect(Set(mine.map(\.fullName)) == ["homelab/stacks", "homelab/exporter-image", "homelab/infra"])
            #expect(mine.first { $0.fullName == "homelab/stacks" }?.lastPipeline?.status == .blocked, "the newest is the pull request")
            #expect(try await client.repos.mine(all: true).count == 4)
            #expect(try await client.repos.list().collect().count == 4)
            #expect(try await client.repos.list(active: false).collect().map(\.fullName) == ["ops/dotfiles"])
            let stacks = try await client.repos.lookup("homelab/stacks")
            #expect(stacks.id == 1 && stacks.forgeRemoteID == "20")
            #expect(try await client.repos.resolve("1").fullName == "homelab/stacks")
            await #expect(throws: HomelabError.self) { _ = try await client.repos.lookup("homelab/nope") }
            let activated = try await client.repos.activate(forgeRemoteID: "24")
            #expect(activated.fullName == "ops/dotfiles" && activated.active == true)
            do {
                _ = try await client.repos.activate(forgeRemoteID: "24")
                Issue.record("activated twice")
            } catch let error as HomelabError {
                #expect(error.code == .conflict)
            }
        }
    }

    @Test("Pipelines in every state; the pipeline that built a stack file's last commit, with its times and status")
    func pipelines() async throws {
        try await withForge { forge in
            let client = forge.woodpecker()
            var states: Set<Woodpecker.Status> = []
            for repo in try await client.repos.mine() {
                for pipeline in try await client.pipelines.list(repo: repo.id).collect() { states.insert(pipeline.status) }
            }
            #expect(states == Set(Woodpecker.Status.knownCases), "missing: \(Set(Woodpecker.Status.knownCases).subtracting(states))")
            let forgejo = forge.forgejo()
            let stacks = try await client.repos.lookup("homelab/stacks")
            for stack in forge.stacks.prefix(3) {
                let commit = try #require(try await forgejo.commits.last(touching: StacksPaths.composeFile(for: stack.name), in: StacksPaths.repository))
                let pipeline = try #require(try await client.pipelines.forCommit(commit.sha, repo: stacks.id, branch: "main"))
                #expect(pipeline.commit == commit.sha && pipeline.event == "push")
                #expect(pipeline.status == .success || pipeline.status == .failure)
                let created = try #require(pipeline.createdAt)
                #expect(created >= (commit.date ?? .distantFuture), "the pipeline follows its commit")
                #expect(pipeline.finishedAt != nil && pipeline.steps.count == 3)
            }
            #expect(try await client.pipelines.forCommit("0123456789abcdef", repo: stacks.id) == nil)
            // The renovate branch's pull request built the same commit as a push to main: the branch tells them apart.
            let shared = try #require(try await forgejo.branches.get("renovate/updates", in: StacksPaths.repository).commit?.id)
            #expect(try await client.pipelines.forCommit(shared, repo: stacks.id)?.event == "pull_request")
            #expect(try await client.pipelines.forCommit(shared, repo: stacks.id, branch: "main")?.event == "push")
            await #expect(throws: HomelabError.self) { _ = try await client.pipelines.forCommit("abc", repo: stacks.id) }
            let failed = try await client.pipelines.list(repo: stacks.id, filter: .init(status: .failure)).collect()
            #expect(failed.count == 1)
            let detailed = try await client.pipelines.get(repo: stacks.id, number: failed[0].number)
            #expect(detailed.steps.map(\.state) == [.success, .failure, .skipped] && detailed.steps[1].exitCode == 1)
            let lines = try await client.logs.lines(repo: stacks.id, pipeline: detailed.number, step: detailed.steps[1].id)
            #expect(lines.contains { $0.text.contains("error:") })
        }
    }

    @Test("A running step's log streams over SSE: lines written so far first, then each new one")
    func followRunningStep() async throws {
        try await withForge { forge in
            let client = forge.woodpecker()
            let stacks = try await client.repos.lookup("homelab/stacks")
            let running = try #require(try await client.pipelines.list(repo: stacks.id, filter: .init(status: .running)).collect().first)
            let pipeline = try await client.pipelines.get(repo: stacks.id, number: running.number)
            let step = try #require(pipeline.steps.first { $0.state == .running })
            var seen: [Int64] = []
            for try await entry in client.logs.follow(repo: stacks.id, pipeline: running.number, step: step.id) {
                seen.append(entry.line)
                if seen.count == 4 { break }
            }
            #expect(seen == [0, 1, 2, 3], "two replayed lines, then two written while following")
        }
    }

    @Test("Manual run, follow to the end (eof), restart, cancel, approve, decline; refusals in the wrong state")
    func changes() async throws {
        try await withForge(timeScale: 0.05) { forge in
            let client = forge.woodpecker()
            let infra = try await client.repos.lookup("homelab/infra")
            let started = try await client.pipelines.create(repo: infra.id, branch: "main")
            #expect(started.status == .pending && started.event == "manual" && started.number == 2)
            #expect(try await waitUntil { try await client.pipelines.get(repo: infra.id, number: 2).steps.first?.state == .running })
            let clone = try #require(try await client.pipelines.get(repo: infra.id, number: 2).steps.first)
            var texts: [String] = []
            for try await entry in client.logs.follow(repo: infra.id, pipeline: 2, step: clone.id) { texts.append(entry.text) }
            #expect(texts == ["+ git init", "+ git fetch --depth=1 origin", "+ git checkout FETCH_HEAD"], "the stream ends at the step's end")
            #expect(try await waitUntil { try await client.pipelines.get(repo: infra.id, number: 2).status == .success })
            let replay = try await client.logs.follow(repo: infra.id, pipeline: 2, step: clone.id).reduce(into: [String]()) { $0.append($1.text) }
            #expect(replay == texts, "a finished step has no stream: its stored lines are read")

            let restarted = try await client.pipelines.restart(repo: infra.id, number: 1)
            #expect(restarted.number == 3)
            let cancelled = try await client.pipelines.cancel(repo: infra.id, number: 3)
            #expect(cancelled.status == .canceled || cancelled.status == .killed)
            do {
                _ = try await client.pipelines.cancel(repo: infra.id, number: 1)
                Issue.record("a finished pipeline was cancelled")
            } catch let error as HomelabError {
                #expect(error.code == .conflict && error.status == 400)
            }

            let stacks = try await client.repos.lookup("homelab/stacks")
            let blocked = try #require(try await client.pipelines.list(repo: stacks.id, filter: .init(status: .blocked)).collect().first)
            let approved = try await client.pipelines.approve(repo: stacks.id, number: blocked.number)
            #expect(approved.status == .pending && approved.reviewedBy == "ops")
            #expect(try await waitUntil(.seconds(20)) { try await client.pipelines.get(repo: stacks.id, number: blocked.number).status == .success })
            await #expect(throws: HomelabError.self) { _ = try await client.pipelines.approve(repo: stacks.id, number: blocked.number) }
            let image = try await client.repos.lookup("homelab/exporter-image")
            let waiting = try #require(try await client.pipelines.list(repo: image.id, filter: .init(status: .blocked)).collect().first)
            #expect(try await client.pipelines.decline(repo: image.id, number: waiting.number).status == .declined)
            await #expect(throws: HomelabError.self) { _ = try await client.pipelines.decline(repo: image.id, number: waiting.number) }
            await #expect(throws: HomelabError.self) { _ = try await client.pipelines.get(repo: image.id, number: 999) }
        }
    }

    @Test("Agents (up when heard from in the last minute) and the queue (pending, running, workers)")
    func agentsAndQueue() async throws {
        try await withForge { forge in
            let client = forge.woodpecker()
            let agents = try await client.agents.list().collect()
            #expect(agents.map(\.name) == ["barbary", "lorcha", "dhow"])
            #expect(agents.filter { $0.isUp() }.map(\.name) == ["barbary", "lorcha"])
            let queue = try await client.queue.info()
            #expect(queue.counts.pendingCount == 1 && queue.counts.runningCount == 1 && queue.counts.workerCount == 3)
            #expect(queue.pending?.first?.labels?["platform"] == "windows/amd64")
            #expect(queue.running?.first?.agentName == "barbary")
        }
    }

    @Test("Pagination edges: no items, exactly one full page of 50 (then an empty page), many pages")
    func pagination() async throws {
        try await withForge { forge in
            var client = forge.woodpecker()
            let infra = try await client.repos.lookup("homelab/infra")
            #expect(try await client.pipelines.list(repo: infra.id, filter: .init(status: .declined)).collect().isEmpty)
            for _ in 0..<49 { _ = try await client.pipelines.create(repo: infra.id, branch: "main") }
            for size in [50, 49, 7, 1] {
                client.pageSize = size
                let numbers = try await client.pipelines.list(repo: infra.id).collect().map(\.number)
                #expect(numbers == Array((1...50).reversed()).map(Int64.init), "page size \(size)")
            }
        }
    }
}
