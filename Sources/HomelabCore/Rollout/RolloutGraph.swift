/// The steps of a rollout and the order they must respect: a directed acyclic graph.
///
/// Steps are kept in a stable topological order: every step comes after the steps it depends on,
/// and otherwise in the order given. Indices into ``steps`` are used by ``predecessors`` and
/// ``successors``.
public struct RolloutGraph: Hashable, Sendable {
    /// The steps, dependencies first.
    public let steps: [RolloutStep]
    /// For each step, the indices of the steps that must be done before it starts.
    public let predecessors: [[Int]]
    /// For each step, the indices of the steps that wait for it.
    public let successors: [[Int]]
    private let indexByID: [RolloutStep.ID: Int]

    /// A graph from steps and, for each step id, the step ids it depends on.
    ///
    /// - Throws: `HomelabError` `.invalidArgument` for a duplicate step id, a negative estimate,
    ///   a dependency on an unknown step, or a cycle (`dependency cycle: a -> b -> a`, each step
    ///   depending on the next).
    public init(steps: [RolloutStep], dependsOn: [RolloutStep.ID: [RolloutStep.ID]] = [:]) throws(HomelabError) {
        let index = try Self.validate(steps)
        var edges = [[Int]](repeating: [], count: steps.count)  // dependent -> dependencies
        for (id, others) in dependsOn.sorted(by: { $0.key < $1.key }) {
            guard let dependent = index[id] else {
                throw HomelabError(.invalidArgument, "dependencies name unknown step \(id)", component: "rollout")
            }
            for other in others {
                guard let dependency = index[other] else {
                    throw HomelabError(.invalidArgument, "step \(id) depends on unknown step \(other)",
                        component: "rollout")
                }
                edges[dependent].append(dependency)
            }
        }
        try self.init(validated: steps, dependencyEdges: edges)
    }

    /// A graph from steps and service-level dependencies.
    ///
    /// A step depends on every step of each service its service depends on. Dependencies through
    /// services that have no step in this rollout still count: if `web` depends on `api`, `api`
    /// on `db`, and only `web` and `db` are updated, `web` waits for `db`.
    ///
    /// - Throws: `HomelabError` `.invalidArgument` for a duplicate step id, a negative estimate,
    ///   or a cycle among the services (`dependency cycle: a -> b -> a`), even one that passes
    ///   through services outside this rollout.
    public init(steps: [RolloutStep], dependencies: RolloutDependencies) throws(HomelabError) {
        _ = try Self.validate(steps)
        if let cycle = dependencies.cycle() { throw DependencyCycle.error(cycle) }
        var stepsOfService: [String: [Int]] = [:]
        for (i, step) in steps.enumerated() { stepsOfService[step.service, default: []].append(i) }
        // The step-services each service reaches through services without steps (memoised).
        var reach: [String: Set<String>] = [:]
        func stepServices(below service: String) -> Set<String> {
            if let known = reach[service] { return known }
            var found: Set<String> = []
            for other in dependencies.dependencies[service] ?? [] {
                if stepsOfService[other] != nil { found.insert(other) } else { found.formUnion(stepServices(below: other)) }
            }
            reach[service] = found
            return found
        }
        var edges = [[Int]](repeating: [], count: steps.count)
        for (i, step) in steps.enumerated() {
            for service in stepServices(below: step.service).sorted() {
                for dependency in stepsOfService[service] ?? [] where dependency != i {
                    edges[i].append(dependency)
                }
            }
        }
        try self.init(validated: steps, dependencyEdges: edges)
    }

    private init(validated steps: [RolloutStep], dependencyEdges: [[Int]]) throws(HomelabError) {
        if let cycle = DependencyCycle.find(edges: dependencyEdges.map { Array(Set($0)).sorted() }) {
            throw DependencyCycle.error(cycle.map { steps[$0].id })
        }
        // Stable topological order (Kahn's algorithm, smallest original position first).
        let count = steps.count
        var dependents = [[Int]](repeating: [], count: count)
        var waiting = [Int](repeating: 0, count: count)
        let unique = dependencyEdges.map { Array(Set($0)).sorted() }
        for (dependent, dependencies) in unique.enumerated() {
            waiting[dependent] = dependencies.count
            for dependency in dependencies { dependents[dependency].append(dependent) }
        }
        var ready = IndexHeap()
        for i in 0..<count where waiting[i] == 0 { ready.push(i) }
        var order: [Int] = []
        order.reserveCapacity(count)
        while let next = ready.pop() {
            order.append(next)
            for dependent in dependents[next] {
                waiting[dependent] -= 1
                if waiting[dependent] == 0 { ready.push(dependent) }
            }
        }
        var position = [Int](repeating: 0, count: count)
        for (newIndex, old) in order.enumerated() { position[old] = newIndex }
        self.steps = order.map { steps[$0] }
        self.predecessors = order.map { old in unique[old].map { position[$0] }.sorted() }
        self.successors = order.map { old in dependents[old].map { position[$0] }.sorted() }
        var indexByID: [RolloutStep.ID: Int] = [:]
        for (i, step) in self.steps.enumerated() { indexByID[step.id] = i }
        self.indexByID = indexByID
    }

    private static func validate(_ steps: [RolloutStep]) throws(HomelabError) -> [RolloutStep.ID: Int] {
        var index: [RolloutStep.ID: Int] = [:]
        for (i, step) in steps.enumerated() {
            if index[step.id] != nil {
                throw HomelabError(.invalidArgument, "duplicate rollout step \(step.id)", component: "rollout")
            }
            if step.estimate < .zero {
                throw HomelabError(.invalidArgument, "step \(step.id) has a negative estimate", component: "rollout")
            }
            index[step.id] = i
        }
        return index
    }

    /// The position of the step with `id` in ``steps``.
    public func index(of id: RolloutStep.ID) -> Int? { indexByID[id] }

    /// The number of steps.
    public var count: Int { steps.count }

    /// The number of dependency edges.
    public var edgeCount: Int { predecessors.reduce(0) { $0 + $1.count } }
}

/// A binary min-heap of integers (the stable topological sort's ready set).
struct IndexHeap {
    private var items: [Int] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ value: Int) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return first }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            if left >= items.count { break }
            let right = left + 1
            let child = right < items.count && items[right] < items[left] ? right : left
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            parent = child
        }
        return first
    }
}
