/// The numeric form of a rollout the scheduling algorithms work on: indices, seconds, capacities.
///
/// Step indices are the graph's (a topological order: every edge goes from a lower index to a
/// higher one). Each step belongs to a `group`: the set of budgeted nodes it occupies. Steps whose
/// nodes are all unlimited share group 0 with an empty node list.
struct RolloutModel: Sendable {
    let count: Int
    let duration: [Double]
    private(set) var predecessors: [[Int]]
    private(set) var successors: [[Int]]
    /// The global budget.
    let budget: Int
    /// Names of the budgeted nodes (those with a finite budget), indexed like `nodeBudget`.
    let nodeNames: [String]
    let nodeBudget: [Int]
    /// The budgeted nodes each step occupies.
    let nodesOf: [[Int]]
    /// Group of each step, and the budgeted nodes of each group.
    let group: [Int]
    let groupNodes: [[Int]]

    init(graph: RolloutGraph, limits: RolloutLimits) {
        count = graph.count
        duration = graph.steps.map { $0.estimate.seconds }
        predecessors = graph.predecessors
        successors = graph.successors
        budget = limits.budget
        var nodeIndex: [String: Int] = [:]
        var names: [String] = []
        var budgets: [Int] = []
        var nodesOf: [[Int]] = []
        for step in graph.steps {
            var mine: [Int] = []
            for node in step.nodes {
                guard let cap = limits.budget(forNode: node) else { continue }
                if let known = nodeIndex[node] {
                    mine.append(known)
                } else {
                    nodeIndex[node] = names.count
                    mine.append(names.count)
                    names.append(node)
                    budgets.append(cap)
                }
            }
            nodesOf.append(mine)
        }
        self.nodeNames = names
        self.nodeBudget = budgets
        self.nodesOf = nodesOf
        var groupIndex: [[Int]: Int] = [[]: 0]
        var groupNodes: [[Int]] = [[]]
        var group: [Int] = []
        group.reserveCapacity(count)
        for mine in nodesOf {
            if let known = groupIndex[mine] {
                group.append(known)
            } else {
                groupIndex[mine] = groupNodes.count
                group.append(groupNodes.count)
                groupNodes.append(mine)
            }
        }
        self.group = group
        self.groupNodes = groupNodes
    }

    /// The same steps and budgets keeping only the dependencies `keep` accepts (baselines).
    func keepingDependencies(_ keep: (_ before: Int, _ after: Int) -> Bool) -> RolloutModel {
        var copy = self
        copy.predecessors = (0..<count).map { i in predecessors[i].filter { keep($0, i) } }
        copy.successors = (0..<count).map { i in successors[i].filter { keep(i, $0) } }
        return copy
    }

    /// The longest path into each step, excluding the step itself (its earliest start).
    func heads() -> [Double] {
        var head = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var best = 0.0
            for p in predecessors[i] { best = max(best, head[p] + duration[p]) }
            head[i] = best
        }
        return head
    }

    /// The longest path out of each step, excluding the step itself.
    func tails() -> [Double] {
        var tail = [Double](repeating: 0, count: count)
        for i in stride(from: count - 1, through: 0, by: -1) {
            var best = 0.0
            for s in successors[i] { best = max(best, tail[s] + duration[s]) }
            tail[i] = best
        }
        return tail
    }
}
