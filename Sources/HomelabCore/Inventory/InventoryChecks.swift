import Yams

/// The checks that look across the whole inventory: unique names, references to nodes, tiers and
/// services, tier order, dependency cycles, stateful placement, the swarm's managers.
struct InventoryChecks {
    let reader: InventoryReader
    let draft: InventoryDraft

    func run() {
        let nodeNames = uniqueNames(draft.nodes.map(\.name), what: "node")
        uniqueNames(draft.nodes.compactMap(\.address), what: "node address")
        swarmRoles()
        let tierNames = uniqueNames(draft.tiers, what: "tier")
        uniqueNames(draft.stacks.map(\.name), what: "stack")
        let services = draft.stacks.flatMap(\.services)
        let serviceNames = uniqueNames(services.map(\.name), what: "service")

        for stack in draft.stacks {
            if let tier = stack.tier { known(tier, in: tierNames, what: "tier") }
        }
        for tier in draft.protectedTiers { known(tier, in: tierNames, what: "tier") }
        for service in services {
            // A service's own tier override is checked here; an inherited one was checked on its stack.
            if let tier = service.tier, service.hasOwnTier {
                known(tier, in: tierNames, what: "tier")
            }
            if let pinned = service.pinnedNode { known(pinned, in: nodeNames, what: "node") }
            placement(service)
            dependencies(service, serviceNames: serviceNames)
        }
        tierOrder(services)
        cycles(services)
        for component in draft.components {
            for reference in component.nodeReferences { known(reference, in: nodeNames, what: "node") }
        }
        pxe()
    }

    /// Reports every name after the first that repeats one; returns the set of names.
    @discardableResult
    private func uniqueNames(_ names: [Located<String>], what: String) -> [String: Located<String>] {
        var first: [String: Located<String>] = [:]
        for name in names {
            if let earlier = first[name.value] {
                let line = earlier.mark.map { " (first at line \($0.line))" } ?? ""
                reader.report("duplicate \(what) '\(name.value)'\(line)", at: name.mark, path: name.path)
            } else {
                first[name.value] = name
            }
        }
        return first
    }

    private func known(_ name: Located<String>, in names: [String: Located<String>], what: String) {
        guard names[name.value] == nil else { return }
        let complete = what == "tier" ? draft.tierNamesComplete : draft.nodeNamesComplete
        guard complete else { return }
        var message = "unknown \(what) '\(name.value)'"
        let candidates = names.keys.sorted()
        if let suggestion = closestMatch(to: name.value, in: candidates) {
            message += "; did you mean '\(suggestion)'?"
        } else if !candidates.isEmpty, candidates.count <= 8, what == "tier" {
            message += " (tiers: \(draft.tiers.map(\.value).joined(separator: ", ")))"
        }
        reader.report(message, at: name.mark, path: name.path)
    }

    /// At least one manager; at most one leader, and it is a manager.
    private func swarmRoles() {
        let leaders = draft.nodes.filter { $0.leader?.value == true }
        for node in leaders where node.role == .worker {
            if let leader = node.leader {
                reader.report("only a manager can be the swarm leader; '\(node.name.value)' is a worker", at: leader.mark, path: leader.path)
            }
        }
        for node in leaders.dropFirst() {
            if let leader = node.leader {
                reader.report("only one node can be the leader; '\(leaders[0].name.value)' already is", at: leader.mark, path: leader.path)
            }
        }
        let roles = draft.nodes.compactMap(\.role)
        if roles.count == draft.nodes.count, !draft.nodes.isEmpty, !roles.contains(.manager) {
            reader.report("a swarm needs at least one manager node", at: draft.nodes[0].name.mark, path: "nodes")
        }
    }

    /// A stateful service is pinned to a node and runs exactly one replica: its data lives on that node.
    private func placement(_ service: DraftService) {
        guard let stateful = service.stateful, stateful.value else { return }
        let name = service.name.value
        if service.pinnedNode == nil {
            reader.report(
                "stateful service '\(name)' must be pinned to a node (pinned_node), or its data would be left behind when it moves",
                at: stateful.mark, path: stateful.path)
        }
        if let mode = service.mode, mode.value == .global {
            reader.report("stateful service '\(name)' cannot be global: its data lives on one node", at: mode.mark, path: mode.path)
        } else if let replicas = service.replicas, replicas.value > 1 {
            reader.report(
                "stateful service '\(name)' runs one replica (its data is local), got \(replicas.value)",
                at: replicas.mark, path: replicas.path)
        }
    }

    private func dependencies(_ service: DraftService, serviceNames: [String: Located<String>]) {
        var seen: Set<String> = []
        for dependency in service.dependsOn {
            if dependency.value == service.name.value {
                reader.report("service '\(dependency.value)' cannot depend on itself", at: dependency.mark, path: dependency.path)
            } else if !seen.insert(dependency.value).inserted {
                reader.report("'\(dependency.value)' is listed twice in depends_on", at: dependency.mark, path: dependency.path)
            } else if serviceNames[dependency.value] == nil, draft.serviceNamesComplete {
                var message = "depends on unknown service '\(dependency.value)'"
                if let suggestion = closestMatch(to: dependency.value, in: serviceNames.keys.sorted()) {
                    message += "; did you mean '\(suggestion)'?"
                }
                reader.report(message, at: dependency.mark, path: dependency.path)
            }
        }
    }

    /// A service may depend on its own tier or lower ones, never on a higher tier.
    private func tierOrder(_ services: [DraftService]) {
        let tierIndex = Dictionary(draft.tiers.enumerated().map { ($0.element.value, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let tierOf = Dictionary(services.compactMap { s in s.tier.map { (s.name.value, $0.value) } }, uniquingKeysWith: { a, _ in a })
        for service in services {
            guard let tier = service.tier?.value, let own = tierIndex[tier] else { continue }
            for dependency in service.dependsOn {
                guard let otherTier = tierOf[dependency.value], let other = tierIndex[otherTier], other > own else { continue }
                reader.report(
                    "'\(service.name.value)' (tier \(tier)) cannot depend on '\(dependency.value)' in the higher tier \(otherTier); "
                        + "a tier may only need the tiers below it",
                    at: dependency.mark, path: dependency.path)
            }
        }
    }

    /// Reports each dependency cycle once, at the depends_on entry that closes it.
    private func cycles(_ services: [DraftService]) {
        var edges: [String: [Located<String>]] = [:]
        var order: [String] = []
        for service in services where edges[service.name.value] == nil {
            order.append(service.name.value)
            edges[service.name.value] = service.dependsOn.filter { $0.value != service.name.value }
        }
        enum Color { case white, gray, black }
        var color: [String: Color] = [:]
        // Iterative depth-first search: (service, index of the next edge to follow).
        for start in order where color[start, default: .white] == .white {
            var stack: [(name: String, next: Int)] = [(start, 0)]
            color[start] = .gray
            while let top = stack.last {
                let outgoing = edges[top.name] ?? []
                guard top.next < outgoing.count else {
                    color[top.name] = .black
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let edge = outgoing[top.next]
                guard edges[edge.value] != nil else { continue }  // unknown service: reported elsewhere
                switch color[edge.value, default: .white] {
                case .white:
                    color[edge.value] = .gray
                    stack.append((edge.value, 0))
                case .gray:
                    let names = stack.map(\.name)
                    let loop = names[(names.firstIndex(of: edge.value) ?? 0)...] + [edge.value]
                    reader.report("dependency cycle: " + loop.joined(separator: " -> "), at: edge.mark, path: edge.path)
                case .black:
                    break
                }
            }
        }
    }
}
