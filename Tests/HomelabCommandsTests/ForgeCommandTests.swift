import Foundation
import HomelabCommands
import HomelabCore
import HomelabSimulator
import Testing

/// `homelab git ...` and `homelab ci ...` against the simulated Forgejo and Woodpecker: the JSON shapes, `-q`,
/// followed logs and the exit codes of refused changes.
@Suite("homelab git and homelab ci: output, followed logs, exit codes", .serialized)
struct ForgeCommandTests {
    @Test("git repos, hooks, releases, packages and commits: -q names and -o json rows; an access token is masked")
    func git() async throws {
        try await withCommandHarness { harness in
            let quiet = await harness.run(["git", "repos", "-q"])
            #expect(quiet.status == 0 && quiet.output.split(separator: "\n").contains("homelab/stacks"), "\(quiet)")
            let hooks = await harness.run(["git", "hooks", "homelab/stacks", "-o", "json"])
            let hookRows = try #require(try JSONSerialization.jsonObject(with: Data(hooks.output.utf8)) as? [[String: Any]], "\(hooks)")
            #expect(hookRows.count == 1 && (hookRows[0]["url"] as? String)?.contains(Redaction.placeholder) == true)
            let releases = await harness.run(["git", "releases", "homelab/exporter-image", "-q"])
            #expect(releases.output == "v1.2.0-rc1\nv1.1.0\nv1.0.0\n", "\(releases)")
            let packages = await harness.run(["git", "packages", "homelab", "-o", "json"])
            let packageRows = try #require(try JSONSerialization.jsonObject(with: Data(packages.output.utf8)) as? [[String: Any]])
            #expect(packageRows.count == 3 && packageRows.allSatisfy { $0["type"] as? String == "container" })
            let stack = try #require(harness.simulation.homelab.stacks.first?.name)
            let commits = await harness.run(["git", "commits", "homelab/stacks", "--path", StacksPaths.composeFile(for: stack), "-o", "json"])
            let commitRows = try #require(try JSONSerialization.jsonObject(with: Data(commits.output.utf8)) as? [[String: Any]], "\(commits)")
            #expect(commitRows.count == 2 && commitRows[0]["title"] as? String == "\(stack): update images")
            let bad = await harness.run(["git", "hooks", "stacks"])
            #expect(bad.status == ExitStatus.usage.rawValue, "\(bad)")
        }
    }

    @Test("ci repos, pipelines (and one pipeline's steps), agents, queue; logs of a finished pipeline, step by step")
    func ciReads() async throws {
        try await withCommandHarness { harness in
            let repos = await harness.run(["ci", "repos", "-o", "json"])
            let repoRows = try #require(try JSONSerialization.jsonObject(with: Data(repos.output.utf8)) as? [[String: Any]], "\(repos)")
            #expect(repoRows.map { $0["full_name"] as? String ?? "" } == ["homelab/exporter-image", "homelab/infra", "homelab/stacks"])
            let pipelines = await harness.run(["ci", "pipelines", "homelab/exporter-image", "-q"])
            #expect(pipelines.output.split(separator: "\n").count == 10, "\(pipelines)")
            let steps = await harness.run(["ci", "pipelines", "1", "1", "-o", "json"])
            let stepRows = try #require(try JSONSerialization.jsonObject(with: Data(steps.output.utf8)) as? [[String: Any]], "\(steps)")
            #expect(stepRows.map { $0["name"] as? String ?? "" } == ["clone", "validate", "lint"])
            let logs = await harness.run(["ci", "logs", "homelab/stacks", "1"])
            #expect(logs.status == 0 && logs.output.contains("[clone] + git init") && logs.output.contains("[lint] 0 problems"), "\(logs)")
            let one = await harness.run(["ci", "logs", "homelab/stacks", "1", "lint", "-o", "json"])
            let lines = try #require(try JSONSerialization.jsonObject(with: Data(one.output.utf8)) as? [[String: Any]], "\(one)")
            #expect(lines.map { $0["text"] as? String ?? "" } == ["+ yamllint stacks/", "0 problems"])
            let agents = await harness.run(["ci", "agents", "-q"])
            #expect(agents.output == "barbary\nlorcha\ndhow\n", "\(agents)")
            let queue = await harness.run(["ci", "queue"])
            #expect(queue.status == 0 && queue.output.contains("1 pending") && queue.output.contains("windows/amd64"), "\(queue)")
        }
    }

    @Test("ci restart then logs --follow streams to the end; approve twice is refused (exit 1); decline")
    func ciChanges() async throws {
        try await withCommandHarness(timeScale: 0.02) { harness in
            let restart = await harness.run(["ci", "restart", "homelab/infra", "1", "-o", "json"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(restart.output.utf8)) as? [[String: Any]], "\(restart)")
            let number = try #require(rows.first?["number"] as? Int)
            let follow = await harness.run(["ci", "logs", "homelab/infra", String(number), "--follow"])
            #expect(follow.status == 0, "\(follow)")
            #expect(follow.output.contains("[clone] + git init") && follow.output.contains("[lint] 0 problems"), "\(follow)")
            let blocked = await harness.run(["ci", "pipelines", "homelab/exporter-image", "--status", "blocked", "-q"])
            let blockedNumber = try #require(blocked.output.split(separator: "\n").first.map(String.init), "\(blocked)")
            let decline = await harness.run(["ci", "decline", "homelab/exporter-image", blockedNumber, "-o", "json"])
            #expect(decline.status == 0 && decline.output.contains("\"declined\""), "\(decline)")
            let again = await harness.run(["ci", "approve", "homelab/exporter-image", blockedNumber])
            #expect(again.status == ExitStatus.error.rawValue && again.error.contains("declined"), "\(again)")
        }
    }
}
