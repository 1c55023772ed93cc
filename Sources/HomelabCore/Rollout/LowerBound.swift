/// A floor under the makespan of any schedule: no order, however clever, finishes sooner.
///
/// `max(critical path, total work / budget, max over nodes of head + node work / node budget + tail)`.
/// The node term is Carlier's head–body–tail refinement: a node's work cannot start before the
/// earliest any of it can start (`head`), and after the last of it the shortest remaining chain
/// (`tail`) still has to run. The breakdown says which term binds, for the plan display.
public struct LowerBound: Hashable, Sendable {
    /// The per-node term of the bound.
    public struct NodeTerm: Hashable, Sendable {
        /// The node.
        public var node: String
        /// The earliest any step on the node can start: the shortest longest-path into them.
        public var head: Duration
        /// The estimated work of the steps occupying the node.
        public var work: Duration
        /// The node's budget.
        public var budget: Int
        /// The shortest chain that must still run after the node's last step.
        public var tail: Duration
        /// `head + work / budget + tail`.
        public var value: Duration
    }

    /// The term that gives the bound its value.
    public enum Binding: Hashable, Sendable {
        /// The longest dependency chain.
        case criticalPath
        /// All the work spread over the global budget.
        case totalWork
        /// One node's work spread over its budget, with its head and tail.
        case node(String)
    }

    /// The longest chain of estimates along dependencies.
    public var criticalPath: Duration
    /// The sum of all estimates.
    public var totalWork: Duration
    /// The global budget.
    public var budget: Int
    /// `totalWork / budget`.
    public var workPerBudget: Duration
    /// One term per node with a budget, in order of first appearance.
    public var nodes: [NodeTerm]
    /// The bound: the largest term.
    public var value: Duration
    /// Which term is the largest.
    public var binding: Binding

    /// The bound of `graph` under `limits`.
    public init(graph: RolloutGraph, limits: RolloutLimits) {
        let model = RolloutModel(graph: graph, limits: limits)
        let parts = LowerBound.terms(model)
        criticalPath = .seconds(parts.criticalPath)
        totalWork = .seconds(parts.totalWork)
        budget = model.budget
        workPerBudget = .seconds(parts.totalWork / Double(model.budget))
        nodes = parts.nodes.enumerated().map { node, term in
            NodeTerm(node: model.nodeNames[node], head: .seconds(term.head), work: .seconds(term.work),
                budget: model.nodeBudget[node], tail: .seconds(term.tail), value: .seconds(term.value))
        }
        var best = parts.criticalPath
        var binding = Binding.criticalPath
        if parts.totalWork / Double(model.budget) > best {
            best = parts.totalWork / Double(model.budget)
            binding = .totalWork
        }
        for (node, term) in parts.nodes.enumerated() where term.value > best {
            best = term.value
            binding = .node(model.nodeNames[node])
        }
        value = .seconds(best)
        self.binding = binding
    }

    struct Terms {
        var criticalPath: Double
        var totalWork: Double
        var nodes: [(head: Double, work: Double, tail: Double, value: Double)]
    }

    /// The terms in seconds.
    static func terms(_ model: RolloutModel) -> Terms {
        let head = model.heads()
        let tail = model.tails()
        var criticalPath = 0.0
        var totalWork = 0.0
        let nodeCount = model.nodeBudget.count
        var nodeHead = [Double](repeating: .infinity, count: nodeCount)
        var nodeTail = [Double](repeating: .infinity, count: nodeCount)
        var nodeWork = [Double](repeating: 0, count: nodeCount)
        for i in 0..<model.count {
            criticalPath = max(criticalPath, head[i] + model.duration[i] + tail[i])
            totalWork += model.duration[i]
            for node in model.nodesOf[i] {
                nodeHead[node] = min(nodeHead[node], head[i])
                nodeTail[node] = min(nodeTail[node], tail[i])
                nodeWork[node] += model.duration[i]
            }
        }
        let nodes = (0..<nodeCount).map { node in
            let value = nodeHead[node] + nodeWork[node] / Double(model.nodeBudget[node]) + nodeTail[node]
            return (head: nodeHead[node], work: nodeWork[node], tail: nodeTail[node], value: value)
        }
        return Terms(criticalPath: criticalPath, totalWork: totalWork, nodes: nodes)
    }

    /// The bound in seconds.
    static func value(_ model: RolloutModel) -> Double {
        let parts = terms(model)
        var best = max(parts.criticalPath, parts.totalWork / Double(model.budget))
        for term in parts.nodes { best = max(best, term.value) }
        return best
    }
}
