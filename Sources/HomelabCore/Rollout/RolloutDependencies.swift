/// Who depends on whom among services, gathered from every place a homelab declares it.
///
/// Three sources feed it: the inventory's tiers (every service of a tier depends on every service
/// of the tier below), compose `depends_on`, and the `homelab.depends-on` service label. A service
/// that depends on another is updated only after that one is done. Dependencies may name
/// services that are not part of a rollout; ``RolloutGraph`` keeps the order they imply.
public struct RolloutDependencies: Hashable, Sendable {
    /// The service label whose value lists the services a service depends on, comma-separated.
    public static let labelKey = "homelab.depends-on"

    /// For each service, the services it depends on.
    public private(set) var dependencies: [String: Set<String>] = [:]

    /// No dependencies yet.
    public init() {}

    /// Records that `service` depends on each of `others` (compose `depends_on`, or any source).
    public mutating func add(_ service: String, dependsOn others: some Sequence<String>) {
        var current = dependencies[service] ?? []
        for other in others { current.insert(other) }
        dependencies[service] = current
    }

    /// Records the inventory's tiers, lowest first: each service of tier k depends on each
    /// service of tier k − 1 (and so, transitively, on every lower tier).
    public mutating func addTiers(_ tiers: [[String]]) {
        for (lower, upper) in zip(tiers, tiers.dropFirst()) {
            for service in upper { add(service, dependsOn: lower) }
        }
    }

    /// Records a `homelab.depends-on` label value such as `"postgres, redis"` on `service`.
    ///
    /// Names are separated by commas or whitespace; empty entries are ignored.
    public mutating func addLabel(service: String, value: String) {
        add(service, dependsOn: Self.parseLabel(value))
    }

    /// Records the `homelab.depends-on` entry of a service's labels, if it has one.
    public mutating func addLabels(service: String, labels: [String: String]) {
        if let value = labels[Self.labelKey] { addLabel(service: service, value: value) }
    }

    /// The service names listed in a `homelab.depends-on` label value.
    public static func parseLabel(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
    }

    /// Every service named, as a dependent or a dependency, sorted.
    public var services: [String] {
        var all = Set(dependencies.keys)
        for others in dependencies.values { all.formUnion(others) }
        return all.sorted()
    }

    /// The first dependency cycle found, as the path `a, b, …, a` where each service depends on
    /// the next, or `nil` when there is none. The search is deterministic (sorted names).
    public func cycle() -> [String]? {
        let names = services
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() { index[name] = i }
        let edges: [[Int]] = names.map { name in
            (dependencies[name] ?? []).sorted().compactMap { index[$0] }
        }
        return DependencyCycle.find(edges: edges).map { path in path.map { names[$0] } }
    }
}

/// Cycle search on a directed graph given as adjacency lists of indices.
enum DependencyCycle {
    /// A cycle `v0, v1, …, v0` following the edges, or `nil`. Iterative depth-first search.
    static func find(edges: [[Int]]) -> [Int]? {
        let count = edges.count
        // 0 = unseen, 1 = on the current path, 2 = finished
        var color = [UInt8](repeating: 0, count: count)
        var path: [Int] = []
        var cursor: [Int] = []
        for root in 0..<count where color[root] == 0 {
            path = [root]
            cursor = [0]
            color[root] = 1
            while let vertex = path.last {
                let position = cursor[cursor.count - 1]
                if position < edges[vertex].count {
                    cursor[cursor.count - 1] = position + 1
                    let next = edges[vertex][position]
                    if color[next] == 1 {
                        guard let start = path.firstIndex(of: next) else { continue }
                        return Array(path[start...]) + [next]
                    }
                    if color[next] == 0 {
                        color[next] = 1
                        path.append(next)
                        cursor.append(0)
                    }
                } else {
                    color[vertex] = 2
                    path.removeLast()
                    cursor.removeLast()
                }
            }
        }
        return nil
    }

    /// The error for a cycle, e.g. `dependency cycle: a -> b -> a` (each name depends on the next).
    static func error(_ names: [String]) -> HomelabError {
        HomelabError(.invalidArgument,
            "dependency cycle: " + names.joined(separator: " -> ") + " (each depends on the next)",
            component: "rollout")
    }
}
