import Foundation
import HomelabCore
import Testing

/// `homelab lint`'s rules (``StackLint``): each with a passing and a failing case, located; the safe fix; the
/// fixture under Fixtures/lint with exactly one finding per rule.
@Suite("Stack lint")
struct StackLintTests {
    static let inventory = """
        version: 1
        name: lintlab
        nodes:
          - { name: alpha, role: manager, platform: truenas, address: 10.0.0.10, leader: true }
        tiers: [application]
        required_labels: [homepage, kuma]
        stacks:
          - name: web
            tier: application
            services:
              - name: app
                image: example/app:1.0
                stateful: true
                pinned_node: alpha
                labels:
                  caddy: app.home.arpa
        """

    static func homelab(_ yaml: String = inventory) throws -> Homelab {
        try InventoryLoader.load(yaml: yaml, file: "homelab.yaml")
    }

    /// A clean stack for `inventory`; `transform` breaks one thing.
    static let clean = """
        services:
          app:
            image: example/app:1.0
            deploy:
              placement:
                constraints: [node.hostname == alpha]
              update_config:
                failure_action: rollback
              labels:
                caddy: app.home.arpa
                homepage.name: App
                kuma.app.http.url: https://app.home.arpa
            secrets: [token]
            configs:
              - source: settings
                target: /etc/app.conf
        secrets:
          token:
            external: true
        configs:
          settings:
            external: true

        """

    static func lint(_ text: String, rules: Set<StackLint.Rule> = Set(StackLint.Rule.allCases)) throws -> StackLint.Report {
        StackLint.run(
            homelab: try homelab(), files: [StackLint.StackFile(stack: "web", path: "/stacks/web/compose.yaml", text: text)],
            rules: rules)
    }

    func replacing(_ old: String, _ new: String) throws -> String {
        #expect(Self.clean.contains(old))
        return Self.clean.replacingOccurrences(of: old, with: new)
    }

    @Test("the clean stack has no finding under any rule")
    func cleanStack() throws {
        let report = try Self.lint(Self.clean)
        #expect(report.errors.isEmpty)
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.fixes.isEmpty)
    }

    @Test("image-pinned: latest and no tag are findings at the image; a version tag or a digest is not")
    func imagePinned() throws {
        let latest = try Self.lint(try replacing("image: example/app:1.0", "image: example/app:latest"))
        #expect(latest.findings.map(\.rule) == [.imagePinned])
        #expect(latest.findings.first.map { "\($0.line):\($0.column)" } == "3:12")
        #expect(latest.findings.first?.message.contains("latest") == true)
        #expect(latest.findings.first?.fixable == false)
        #expect(latest.fixes.isEmpty)
        let untagged = try Self.lint(try replacing("image: example/app:1.0", "image: registry.home.arpa:5000/app"))
        #expect(untagged.findings.map(\.rule) == [.imagePinned])
        #expect(untagged.findings.first?.message.contains("no tag") == true)
        #expect(StackLint.isPinned(image: "example/app@sha256:" + String(repeating: "a", count: 64)))
        #expect(StackLint.isPinned(image: "registry.home.arpa:5000/app:2.1"))
        #expect(!StackLint.isPinned(image: "postgres"))
    }

    @Test("update-config: missing failure_action, update_config or deploy is a fixable finding, located")
    func updateConfig() throws {
        let noAction = try Self.lint(try replacing("failure_action: rollback", "parallelism: 1"))
        #expect(noAction.findings.map(\.rule) == [.updateConfig])
        #expect(noAction.findings.first.map { "\($0.line):\($0.column)" } == "7:7")
        #expect(noAction.findings.first?.fixable == true)
        let noUpdate = try Self.lint(try replacing("      update_config:\n        failure_action: rollback\n", ""))
        #expect(noUpdate.findings.map(\.rule) == [.updateConfig])
        #expect(noUpdate.findings.first.map { "\($0.line):\($0.column)" } == "4:5")
    }

    @Test("update-config: --fix adds the block, leaves every other byte as it was, and the result lints clean")
    func updateConfigFix() throws {
        for broken in [
            try replacing("failure_action: rollback", "parallelism: 1"),
            try replacing("      update_config:\n        failure_action: rollback\n", ""),
        ] {
            let report = try Self.lint(broken)
            let fix = try #require(report.fixes.first)
            #expect(report.fixes.count == 1)
            #expect(fix.diff.contains("+++ b//stacks/web/compose.yaml"))
            #expect(fix.diff.contains("+") && fix.diff.contains("failure_action: rollback"))
            let again = try Self.lint(fix.after)
            #expect(again.findings.isEmpty, "\(again.findings)\n\(fix.after)")
            // Only lines were added: removing them gives the original back, byte for byte.
            let added = Set(fix.diff.split(separator: "\n").filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }.map { String($0.dropFirst()) })
            #expect(!added.isEmpty)
            let beforeLines = broken.components(separatedBy: "\n")
            var afterLines = fix.after.components(separatedBy: "\n")
            #expect(afterLines.count == beforeLines.count + added.count)
            afterLines.removeAll { added.contains($0) && !beforeLines.contains($0) }
            #expect(afterLines == beforeLines)
        }
        // No deploy at all: the whole block is added under the service.
        let bare = "services:\n  app:\n    image: example/app:1.0\n"
        let report = StackLint.run(
            homelab: try Self.homelab(), files: [StackLint.StackFile(stack: "x", path: "x.yaml", text: bare)], rules: [.updateConfig])
        #expect(report.findings.first.map { "\($0.line):\($0.column)" } == "2:3")
        #expect(
            report.fixes.first?.after
                == "services:\n  app:\n    deploy:\n      update_config:\n        failure_action: rollback\n    image: example/app:1.0\n")
    }

    /// `text` as stack `x`, under the two rules that do not look at the inventory.
    func lintOther(_ text: String) throws -> StackLint.Report {
        StackLint.run(
            homelab: try Self.homelab(), files: [StackLint.StackFile(stack: "x", path: "x.yaml", text: text)], rules: [.imagePinned, .updateConfig])
    }

    @Test("update-config: a flow-style deploy or a merge key is reported but not rewritten; --fix never touches latest")
    func unsafeFixesAreLeft() throws {
        let flow = "services:\n  app:\n    image: example/app:latest\n    deploy: {replicas: 1}\n"
        let report = try lintOther(flow)
        #expect(Set(report.findings.map(\.rule)) == [.imagePinned, .updateConfig])
        #expect(report.findings.allSatisfy { !$0.fixable })
        #expect(report.fixes.isEmpty)
        let merged = """
            x-defaults: &defaults
              deploy:
                replicas: 1
            services:
              app:
                <<: *defaults
                image: example/app:latest

            """
        let mergedReport = try lintOther(merged)
        #expect(mergedReport.findings.contains { $0.rule == .updateConfig && !$0.fixable })
        #expect(mergedReport.fixes.isEmpty)
        // A fixable finding beside a latest image: the fix keeps the image line as it was.
        let both = "services:\n  app:\n    image: example/app:latest\n    deploy:\n      replicas: 1\n"
        let fixed = try lintOther(both)
        let after = try #require(fixed.fixes.first?.after)
        #expect(after.contains("    image: example/app:latest\n"))
        #expect(try lintOther(after).findings.map(\.rule) == [.imagePinned])
    }

    @Test("stateful-pinned: no constraint, or the wrong node, is a finding; a service the inventory does not pin is not")
    func statefulPinned() throws {
        let missing = try Self.lint(try replacing("        constraints: [node.hostname == alpha]\n", "        constraints: []\n"))
        #expect(missing.findings.map(\.rule) == [.statefulPinned])
        #expect(missing.findings.first.map { "\($0.line):\($0.column)" } == "6:9")
        let wrong = try Self.lint(try replacing("node.hostname == alpha", "node.hostname==beta"))
        #expect(wrong.findings.map(\.rule) == [.statefulPinned])
        #expect(wrong.findings.first?.message.contains("beta") == true)
        #expect(wrong.findings.first.map { "\($0.line):\($0.column)" } == "6:23")
        let floating = Self.inventory.replacingOccurrences(of: "        stateful: true\n        pinned_node: alpha\n", with: "")
        let report = StackLint.run(
            homelab: try Self.homelab(floating),
            files: [
                StackLint.StackFile(
                    stack: "web", path: "c.yaml", text: try replacing("      placement:\n        constraints: [node.hostname == alpha]\n", ""))
            ])
        #expect(report.findings.isEmpty, "\(report.findings)")
    }

    @Test("labels: an inventory label missing or different, and a routed service without a required prefix")
    func labels() throws {
        let missing = try Self.lint(try replacing("        caddy: app.home.arpa\n", ""))
        #expect(missing.findings.map(\.rule) == [.labels])
        #expect(missing.findings.first?.message.contains("caddy") == true)
        #expect(missing.findings.first.map { "\($0.line):\($0.column)" } == "9:7")
        let different = try Self.lint(try replacing("caddy: app.home.arpa", "caddy: other.home.arpa"))
        #expect(different.findings.map(\.rule) == [.labels])
        let noKuma = try Self.lint(try replacing("        kuma.app.http.url: https://app.home.arpa\n", ""))
        #expect(noKuma.findings.map(\.rule) == [.labels])
        #expect(noKuma.findings.first?.message.contains("kuma") == true)
        // KEY=VALUE list form counts as well.
        let list = try replacing(
            "        caddy: app.home.arpa\n        homepage.name: App\n        kuma.app.http.url: https://app.home.arpa\n",
            "        - caddy=app.home.arpa\n        - homepage.name=App\n        - kuma.app.http.url=https://app.home.arpa\n")
        #expect(try Self.lint(list).findings.isEmpty)
    }

    @Test("undeclared-secret and undeclared-config: short and long syntax, located at the reference")
    func references() throws {
        let secret = try Self.lint(try replacing("secrets:\n  token:\n    external: true\n", ""))
        #expect(secret.findings.map(\.rule) == [.undeclaredSecret])
        #expect(secret.findings.first.map { "\($0.line):\($0.column)" } == "13:15")
        let config = try Self.lint(try replacing("configs:\n  settings:\n    external: true\n", ""))
        #expect(config.findings.map(\.rule) == [.undeclaredConfig])
        #expect(config.findings.first.map { "\($0.line):\($0.column)" } == "15:9")
    }

    @Test("--rule/--skip: only the chosen rules report")
    func ruleSelection() throws {
        let broken = try replacing("image: example/app:1.0", "image: example/app")
            .replacingOccurrences(of: "failure_action: rollback", with: "parallelism: 1")
        #expect(Set(try Self.lint(broken).findings.map(\.rule)) == [.imagePinned, .updateConfig])
        #expect(try Self.lint(broken, rules: [.imagePinned]).findings.map(\.rule) == [.imagePinned])
        #expect(try Self.lint(broken, rules: [.imagePinned]).fixes.isEmpty)
    }

    @Test("a malformed compose file is a located error, not a finding or a crash")
    func malformed() throws {
        let report = try Self.lint("services:\n  app:\n    image: [unclosed\n")
        #expect(report.findings.isEmpty)
        let issue = try #require(report.errors.first)
        #expect(issue.file == "/stacks/web/compose.yaml")
        #expect(issue.line >= 3)
        let wrongType = try Self.lint("services:\n  app:\n    image: example/app:1.0\n    deploy:\n      replicas: two\n")
        #expect(wrongType.errors.first.map { "\($0.line) \($0.keyPath)" } == "5 services.app.deploy.replicas")
    }

    @Test("the inventory's required_labels: read, and a bad prefix is a located error")
    func requiredLabelsSetting() throws {
        #expect(try Self.homelab().requiredLabels == ["homepage", "kuma"])
        let bad = Self.inventory.replacingOccurrences(of: "required_labels: [homepage, kuma]", with: "required_labels: [homepage, kuma.x, kuma]")
        do {
            _ = try Self.homelab(bad)
            Issue.record("a bad prefix loaded")
        } catch let error as HomelabError {
            let issue = try #require(error.inventoryIssues.first)
            #expect(issue.line == 6)
            #expect(issue.keyPath == "required_labels[1]")
        }
    }

    @Test("the fixture carries exactly one finding per rule, where its README says")
    func fixture() throws {
        let root = try #require(Bundle.module.url(forResource: "lint", withExtension: nil, subdirectory: "Fixtures"))
        let homelab = try InventoryLoader.load(path: root.appendingPathComponent("homelab.yaml").path)
        let files = try ["data", "web"].map { stack in
            let path = root.appendingPathComponent("stacks/\(stack)/compose.yaml").path
            return StackLint.StackFile(stack: stack, path: "stacks/\(stack)/compose.yaml", text: try String(contentsOfFile: path, encoding: .utf8))
        }
        let report = StackLint.run(homelab: homelab, files: files)
        #expect(report.errors.isEmpty, "\(report.errors)")
        let located = report.findings.map { "\($0.rule.rawValue) \($0.file):\($0.line):\($0.column)" }
        #expect(
            Set(located) == [
                "image-pinned stacks/web/compose.yaml:26:12", "update-config stacks/web/compose.yaml:20:5",
                "stateful-pinned stacks/data/compose.yaml:14:5", "labels stacks/web/compose.yaml:22:7",
                "undeclared-secret stacks/web/compose.yaml:14:9", "undeclared-config stacks/web/compose.yaml:17:9",
            ])
        #expect(located.count == StackLint.Rule.allCases.count)
    }
}
