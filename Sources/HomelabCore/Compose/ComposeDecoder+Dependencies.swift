import Yams

extension ComposeDecoder {
    /// The start-order edges of the services: `depends_on` first, then the `homelab.depends-on` label
    /// (an edge given both ways is kept once). Reports unknown names, self-dependencies and cycles.
    func dependencies(of drafts: [DraftComposeService]) -> [ServiceDependency] {
        let names = Set(drafts.map(\.service.name))
        var edges: [ServiceDependency] = []
        var locations: [String: Located<String>] = [:]
        for draft in drafts {
            let declared =
                draft.dependsOn.map { ($0.name, $0.condition, ServiceDependency.Origin.dependsOn) }
                + draft.labelDependencies.map { ($0, ServiceDependency.Condition.started, ServiceDependency.Origin.label) }
            for (name, condition, origin) in declared {
                guard names.contains(name.value) else {
                    reader.report(undefinedDependency(name.value, names), at: name.mark, path: name.path)
                    continue
                }
                guard name.value != draft.service.name else {
                    reader.report("a service cannot depend on itself", at: name.mark, path: name.path)
                    continue
                }
                guard !edges.contains(where: { $0.service == draft.service.name && $0.dependsOn == name.value }) else { continue }
                edges.append(ServiceDependency(service: draft.service.name, dependsOn: name.value, condition: condition, origin: origin))
                locations["\(draft.service.name)\u{0}\(name.value)"] = name
            }
        }
        if let cycle = Self.firstCycle(in: edges, order: drafts.map(\.service.name)), cycle.count > 1,
            let location = locations["\(cycle[cycle.count - 2])\u{0}\(cycle[cycle.count - 1])"]
        {
            reader.report(
                "dependency cycle: \(cycle.joined(separator: " -> "))", at: location.mark, path: location.path)
        }
        return edges
    }

    private func undefinedDependency(_ name: String, _ names: Set<String>) -> String {
        var message = "unknown service '\(reader.shortened(name))'"
        if let suggestion = closestMatch(to: name, in: names.sorted()) { message += "; did you mean '\(suggestion)'?" }
        return message
    }

    /// A cycle as a path that starts and ends at the same service, or `nil`.
    static func firstCycle(in edges: [ServiceDependency], order: [String]) -> [String]? {
        var next: [String: [String]] = [:]
        for edge in edges { next[edge.service, default: []].append(edge.dependsOn) }
        var state: [String: Bool] = [:]  // false: on the current path, true: finished
        var path: [String] = []
        func visit(_ service: String) -> [String]? {
            if state[service] == true { return nil }
            if state[service] == false, let start = path.firstIndex(of: service) { return Array(path[start...]) + [service] }
            state[service] = false
            path.append(service)
            for target in next[service] ?? [] {
                if let cycle = visit(target) { return cycle }
            }
            path.removeLast()
            state[service] = true
            return nil
        }
        for service in order {
            if let cycle = visit(service) { return cycle }
        }
        return nil
    }
}
