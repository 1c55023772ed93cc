/// A rolling restart of services whose spec has not changed: bumping `TaskTemplate.ForceUpdate` makes
/// Swarm replace every task, following the service's update config.
public enum ForcedRestart {
    /// Which services to restart.
    public enum Selection: Sendable, Hashable {
        /// Every service.
        case all
        /// These services, by name.
        case services([String])
    }

    /// `spec` with `ForceUpdate` one higher (absent counts as 0; the counter wraps rather than traps).
    public static func applied(to spec: Swarm.ServiceSpec) -> Swarm.ServiceSpec {
        var spec = spec
        var task = spec.taskTemplate ?? Swarm.TaskSpec()
        task.forceUpdate = (task.forceUpdate ?? 0) &+ 1
        spec.taskTemplate = task
        return spec
    }

    /// The chosen names, in the order of `available`, each once.
    /// - Throws: ``HomelabError/Code/invalidArgument`` when a chosen name is not available (with a
    ///   suggestion when it looks like a typo), or when the selection names no service.
    public static func select(_ selection: Selection, from available: [String]) throws -> [String] {
        var unique: [String] = []
        for name in available where !unique.contains(name) { unique.append(name) }
        guard case .services(let names) = selection else { return unique }
        guard !names.isEmpty else {
            throw HomelabError(.invalidArgument, "no service chosen to restart; name one or choose all", component: "compose")
        }
        let unknown = names.filter { !unique.contains($0) }
        if let first = unknown.first {
            var message = "cannot restart unknown service\(unknown.count > 1 ? "s" : "") "
                + unknown.map { "'\($0)'" }.joined(separator: ", ")
            if let suggestion = closestMatch(to: first, in: unique) {
                message += "; did you mean '\(suggestion)'?"
            } else if !unique.isEmpty {
                message += " (services: \(unique.prefix(10).joined(separator: ", "))\(unique.count > 10 ? ", ..." : ""))"
            }
            throw HomelabError(.invalidArgument, message, component: "compose")
        }
        return unique.filter { names.contains($0) }
    }
}
