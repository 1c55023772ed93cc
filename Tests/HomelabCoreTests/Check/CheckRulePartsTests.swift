import Foundation
import Testing

@testable import HomelabCore

/// The pieces `homelab check` builds on that need no server: the inventory's `secrets:`, snapshot periods, the
/// report's exit semantics.
@Suite("homelab check: inventory secrets, snapshot periods, report states")
struct CheckRulePartsTests {
    static let base = """
        version: 1
        name: t
        nodes: [{name: n1, role: manager, platform: truenas, address: 127.0.0.1}]
        tiers: [platform]
        stacks: [{name: s, tier: platform, services: [{name: a}]}]

        """

    @Test("secrets: maps Swarm secret names to references; a literal is refused without being repeated")
    func inventorySecrets() throws {
        let homelab = try InventoryLoader.load(
            yaml: Self.base + "secrets:\n  db_password: op://homelab/postgres/password\n  token: env:TOKEN\n", file: "homelab.yaml")
        #expect(homelab.secrets["db_password"] == .onePassword(vault: "homelab", item: "postgres", section: nil, field: "password"))
        #expect(homelab.secrets["token"] == .env("TOKEN"))
        let issues = InventoryLoader.issues(in: Self.base + "secrets:\n  db_password: hunter2-very-secret\n", file: "homelab.yaml")
        #expect(issues.count == 1 && issues[0].description.contains("secrets.db_password"), "\(issues)")
        #expect(!issues.description.contains("hunter2"))
    }

    @Test(
        "a snapshot task's period comes from its cron schedule",
        arguments: [
            "*/15 * * * * 900", "0 * * * * 3600", "0 */6 * * * 21600", "0 3 * * * 86400", "0 3 * * 0 604800", "0 3 1 * * 2678400",
        ])
    func period(_ line: String) {
        let fields = line.split(separator: " ").map(String.init)
        let seconds = Double(fields[5])
        let schedule = TrueNAS.Schedule(minute: fields[0], hour: fields[1], dom: fields[2], month: fields[3], dow: fields[4])
        #expect(HomelabCheck.period(of: schedule) == seconds)
    }

    @Test("exit semantics: clean, findings, partly unknown, nothing checked")
    func reportStates() {
        let finding = CheckFinding(rule: .placement, service: "a", expected: "e", found: "f", hint: "h")
        #expect(CheckReport(results: [CheckRuleResult(rule: .placement, checked: 1)]).isClean)
        let found = CheckReport(results: [CheckRuleResult(rule: .placement, findings: [finding], checked: 1)])
        #expect(!found.isClean && !found.checkedNothing && found.findingCounts == [.placement: 1])
        let partly = CheckReport(results: [CheckRuleResult(rule: .placement, checked: 1), .unknown(.backups, "TrueNAS: down")])
        #expect(!partly.isClean && !partly.checkedNothing && partly.unknownRules == [.backups] && partly.findingCounts == [.placement: 0])
        #expect(CheckReport(results: [.unknown(.backups, "x"), .unknown(.secrets, "y")]).checkedNothing)
    }
}
