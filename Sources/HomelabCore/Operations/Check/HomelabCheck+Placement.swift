import Foundation

extension HomelabCheck {
    /// Rule `placement`: every deployed stateful service the inventory pins (`pinned_node:`) has a LIVE placement
    /// constraint naming that node (`node.hostname==` or `node.id==`, as ``PinnedServices/pins(_:to:)`` reads them: a
    /// label constraint matching one node today is not a pin); the swarm has an odd number of managers, 3 or more;
    /// no manager is drained.
    static func placement(_ snapshot: CheckSnapshot) -> CheckRuleResult {
        guard let swarm = snapshot.swarm.value else { return .unknown(.placement, snapshot.swarm.problem ?? "the swarm was not read") }
        var findings: [CheckFinding] = []
        var checked = 0
        for service in snapshot.homelab.services where service.isStateful {
            guard let pinned = service.pinnedNode, let live = swarm.service(service) else { continue }
            checked += 1
            let constraints = live.spec?.taskTemplate?.placement?.constraints ?? []
            let expected = "a placement constraint node.hostname == \(pinned) (stateful, pinned_node: \(pinned))"
            guard let node = swarm.nodes.first(where: { $0.nodeName.lowercased() == pinned.lowercased() }) else {
                findings.append(CheckFinding(
                    rule: .placement, service: service.name, expected: "node \(pinned) in the swarm", found: "the swarm has no node \(pinned)",
                    hint: "join \(pinned) (`homelab provision \(pinned)`) or correct pinned_node in the inventory"))
                continue
            }
            guard !constraints.contains(where: { PinnedServices.pins($0, to: node) }) else { continue }
            let elsewhere = swarm.nodes.filter { other in other.id != node.id && constraints.contains { PinnedServices.pins($0, to: other) } }
            let found: String
            if let other = elsewhere.first {
                found = "it is pinned to \(other.nodeName) instead"
            } else if constraints.isEmpty {
                found = "no placement constraint: Swarm may move it, away from its data, to any node"
            } else {
                found = "constraints \(constraints.map { $0.filter { $0 != " " } }.joined(separator: ", ")) do not pin it to \(pinned): another node matching them could take it"
            }
            findings.append(CheckFinding(
                rule: .placement, service: service.name, expected: expected, found: found,
                hint: "set deploy.placement.constraints: [node.hostname == \(pinned)] in its stack file and redeploy"))
        }
        let quorum = ManagerQuorum(nodes: swarm.nodes)
        let managers = quorum.managers.sorted()
        checked += managers.count
        if managers.count < 3 || managers.count % 2 == 0 {
            let hint =
                managers.count < 3
                ? "promote workers (`docker node promote NODE`) to reach 3 managers: fewer tolerate no manager failure"
                : "promote or demote one manager: \(managers.count) managers tolerate no more failures than \(managers.count - 1)"
            findings.append(CheckFinding(
                rule: .placement, service: "swarm", expected: "an odd number of managers, 3 or more",
                found: "\(managers.count) manager\(managers.count == 1 ? "" : "s") (\(managers.joined(separator: ", ")))", hint: hint))
        }
        for node in swarm.nodes where ManagerQuorum.isManager(node) && node.spec?.availability == .drain {
            findings.append(CheckFinding(
                rule: .placement, service: node.nodeName, expected: "manager \(node.nodeName) active",
                found: "manager \(node.nodeName) is drained", hint: "finish its maintenance, or `docker node update --availability active \(node.nodeName)`"))
        }
        return CheckRuleResult(rule: .placement, findings: findings, checked: checked)
    }
}
