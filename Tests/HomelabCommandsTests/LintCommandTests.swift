import ArgumentParser
import Foundation
import HomelabCommands
import HomelabCore
import HomelabTestSupport
import Testing

/// `homelab lint` in-process (no simulator: lint makes no server call), on a copy of the lint fixture
/// (Tests/HomelabCoreTests/Fixtures/lint: one finding per rule).
@Suite("homelab lint")
struct LintCommandTests {
    static let fixture = CommandHarness.repositoryRoot.appendingPathComponent("Tests/HomelabCoreTests/Fixtures/lint").path

    /// A private copy of the fixture: its inventory path.
    static func copy() throws -> (TemporaryFolder, String) {
        let folder = try TemporaryFolder(prefix: "homelab-lint")
        let target = folder.file("lab")
        try FileManager.default.copyItem(atPath: fixture, toPath: target)
        return (folder, (target as NSString).appendingPathComponent("homelab.yaml"))
    }

    static func run(_ arguments: [String]) async -> CommandResult {
        let (terminal, captured) = Terminal.capturing(environment: ["PATH": "/usr/bin:/bin"])
        let status = await Terminal.$current.withValue(terminal) { await HomelabCommand.run(arguments: arguments) }
        return CommandResult(status: status, output: captured.output, error: captured.error)
    }

    @Test("the help lists every rule, in the rules' order")
    func helpListsEveryRule() throws {
        let discussion = LintCommand.configuration.discussion.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let listed = try #require(discussion.firstRange(of: "Rules: ").map { discussion[$0.upperBound...] })
        let rules = listed.prefix { $0 != ";" }.components(separatedBy: ", ")
        #expect(rules == StackLint.Rule.allCases.map(\.rawValue))
    }

    @Test("findings: exit 5, one located row per rule in table and JSON; the stacks folder beside the inventory by default")
    func findings() async throws {
        let (folder, config) = try Self.copy()
        _ = folder
        let table = await Self.run(["lint", "--config", config])
        #expect(table.status == 5, "\(table)")
        #expect(table.output.contains("stacks/web/compose.yaml:26:12"), "\(table)")
        let json = await Self.run(["lint", "--config", config, "-o", "json"])
        #expect(json.status == 5, "\(json)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["rule"] as? String }) == Set(StackLint.Rule.allCases.map(\.rawValue)))
        #expect(rows.count == StackLint.Rule.allCases.count)
        let first = try #require(rows.first { $0["rule"] as? String == "stateful-pinned" })
        #expect(first["line"] as? Int == 14 && first["column"] as? Int == 5 && first["service"] as? String == "cache")
        #expect((first["file"] as? String)?.hasSuffix("stacks/data/compose.yaml") == true)
        let yaml = await Self.run(["lint", "--config", config, "-o", "yaml", "--rule", "labels"])
        #expect(yaml.status == 5 && yaml.output.contains("rule: labels") && !yaml.output.contains("image-pinned"), "\(yaml)")
    }

    @Test("--rule/--skip choose rules; clean is exit 0; an unknown rule is a usage error")
    func selection() async throws {
        let (folder, config) = try Self.copy()
        _ = folder
        let clean = await Self.run(["lint", "--config", config, "--skip", "image-pinned,update-config", "--skip", "labels",
            "--skip", "stateful-pinned", "--skip", "undeclared-secret", "--skip", "undeclared-config"])
        #expect(clean.status == 0, "\(clean)")
        let one = await Self.run(["lint", "--config", config, "--rule", "undeclared-config", "-o", "json"])
        #expect(one.status == 5 && one.output.contains("app_conf") && !one.output.contains("app_token"), "\(one)")
        let data = await Self.run(["lint", "data", "--config", config, "--rule", "image-pinned"])
        #expect(data.status == 0, "\(data)")
        let unknown = await Self.run(["lint", "--config", config, "--rule", "nosuch"])
        #expect(unknown.status == 64, "\(unknown)")
    }

    @Test("--fix shows the diff, rewrites only the update_config finding, keeps the rest byte for byte; --dry-run writes nothing")
    func fix() async throws {
        let (folder, config) = try Self.copy()
        _ = folder
        let web = ((config as NSString).deletingLastPathComponent as NSString).appendingPathComponent("stacks/web/compose.yaml")
        let before = try String(contentsOfFile: web, encoding: .utf8)
        let dry = await Self.run(["lint", "--config", config, "--fix", "--dry-run"])
        #expect(dry.status == 5, "\(dry)")
        #expect(dry.output.contains("+      update_config:") && dry.output.contains("+        failure_action: rollback"), "\(dry)")
        #expect(try String(contentsOfFile: web, encoding: .utf8) == before)
        let diff = await Self.run(["lint", "--config", config, "--diff", "-o", "json"])
        #expect(diff.error.contains("failure_action: rollback"), "the diff goes to stderr under -o json: \(diff)")

        let fixed = await Self.run(["lint", "--config", config, "--fix"])
        #expect(fixed.status == 5, "the other findings remain: \(fixed)")
        let diffAt = try #require(fixed.output.range(of: "+        failure_action: rollback"))
        let tableAt = try #require(fixed.output.range(of: "LOCATION"))
        #expect(diffAt.lowerBound < tableAt.lowerBound, "diff first: \(fixed)")
        let after = try String(contentsOfFile: web, encoding: .utf8)
        #expect(after == before.replacingOccurrences(of: "      replicas: 2\n", with: "      update_config:\n        failure_action: rollback\n      replicas: 2\n"))
        #expect(after.contains("image: ghcr.io/example/worker\n"), "never touches an untagged image")
        let again = await Self.run(["lint", "--config", config, "--rule", "update-config"])
        #expect(again.status == 0, "\(again)")
        let rest = await Self.run(["lint", "--config", config, "-o", "json"])
        #expect(rest.status == 5 && !rest.output.contains("update-config") && rest.output.contains("image-pinned"), "\(rest)")
    }

    @Test("a malformed stack file: exit 1 with its located problem; a missing stacks folder: exit 1")
    func unreadable() async throws {
        let (folder, config) = try Self.copy()
        _ = folder
        let lab = (config as NSString).deletingLastPathComponent
        let data = (lab as NSString).appendingPathComponent("stacks/data/compose.yaml")
        try "services:\n  db:\n    image: postgres:17.6\n    deploy:\n      replicas: two\n".write(toFile: data, atomically: true, encoding: .utf8)
        let result = await Self.run(["lint", "--config", config])
        #expect(result.status == 1, "\(result)")
        #expect(result.error.contains("stacks/data/compose.yaml:5:"), "\(result)")
        #expect(result.error.contains("services.db.deploy.replicas"), "\(result)")
        let missing = await Self.run(["lint", "--config", config, "--stacks-directory", (lab as NSString).appendingPathComponent("nope")])
        #expect(missing.status == 1 && missing.error.contains("no stacks folder"), "\(missing)")
    }
}
