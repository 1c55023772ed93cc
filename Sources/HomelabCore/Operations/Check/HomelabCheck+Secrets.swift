import Foundation

extension HomelabCheck {
    /// Rule `secrets`: every secret a deployed inventory service mounts exists in Swarm, and has a reference in the
    /// inventory's `secrets:` that is an `op://` reference 1Password Connect resolves (the value is read and dropped,
    /// never shown).
    static func secrets(_ snapshot: CheckSnapshot) -> CheckRuleResult {
        guard let swarm = snapshot.swarm.value else { return .unknown(.secrets, snapshot.swarm.problem ?? "the swarm was not read") }
        let homelab = snapshot.homelab
        let existing = Set(swarm.secrets.compactMap(\.spec?.name))
        let existingIDs = Set(swarm.secrets.compactMap(\.id))
        var findings: [CheckFinding] = []
        var checked = 0
        var needsOnePassword = false
        for service in homelab.services {
            guard let live = swarm.service(service) else { continue }
            for reference in live.spec?.taskTemplate?.containerSpec?.secrets ?? [] {
                guard let name = reference.secretName ?? reference.secretID else { continue }
                checked += 1
                func add(_ expected: String, _ found: String, _ hint: String) {
                    findings.append(CheckFinding(rule: .secrets, service: service.name, expected: expected, found: found, hint: hint))
                }
                if !existing.contains(name) && !(reference.secretID.map(existingIDs.contains) ?? false) {
                    add("Swarm secret \(name)", "the swarm has no secret \(name)", "create it from 1Password: `homelab secrets get REF --reveal | docker secret create \(name) -`")
                }
                guard let stored = homelab.secrets[name] else {
                    add(
                        "secret \(name) in the inventory's secrets: with its 1Password reference", "the inventory names no reference for \(name)",
                        "add `secrets: {\(name): op://vault/item/field}` to the inventory")
                    continue
                }
                guard stored.kind == .onePassword else {
                    add("secret \(name) in 1Password (an op:// reference)", "the inventory gives \(stored.schemeOnly)", "move it to 1Password and give its op:// reference")
                    continue
                }
                needsOnePassword = true
                if let problem = snapshot.onePassword.value?[name] {
                    add(
                        "secret \(name) in 1Password at \(stored)", problem,
                        "create the item and field in 1Password, or correct the reference in the inventory's secrets:")
                }
            }
        }
        let unknown = needsOnePassword && snapshot.onePassword.value == nil ? snapshot.onePassword.problem ?? "1Password was not read" : nil
        return CheckRuleResult(rule: .secrets, findings: findings, checked: checked, unknown: unknown)
    }
}
