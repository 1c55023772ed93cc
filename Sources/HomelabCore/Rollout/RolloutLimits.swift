/// How many steps may run at once: cluster-wide and on each node.
///
/// The global `budget` counts services updating at the same time. A node budget counts the steps
/// occupying that node at the same time (image pulls per node are the usual bottleneck). Each
/// service's own UpdateConfig still governs the tasks inside its step.
public struct RolloutLimits: Hashable, Sendable {
    /// Steps running at once across the cluster; at least 1.
    public private(set) var budget: Int
    /// Steps running at once on any node without its own entry in `nodeBudgets`; `nil` means no
    /// per-node limit.
    public private(set) var nodeBudget: Int?
    /// Per-node overrides of `nodeBudget`, by node name.
    public private(set) var nodeBudgets: [String: Int]

    /// Limits with a global budget and optional per-node budgets.
    ///
    /// - Throws: `HomelabError` `.invalidArgument` when a budget is below 1.
    public init(budget: Int, nodeBudget: Int? = nil, nodeBudgets: [String: Int] = [:]) throws(HomelabError) {
        guard budget >= 1 else {
            throw HomelabError(.invalidArgument, "the rollout budget must be at least 1, got \(budget)",
                component: "rollout")
        }
        if let nodeBudget, nodeBudget < 1 {
            throw HomelabError(.invalidArgument, "the node budget must be at least 1, got \(nodeBudget)",
                component: "rollout")
        }
        for (node, value) in nodeBudgets.sorted(by: { $0.key < $1.key }) where value < 1 {
            throw HomelabError(.invalidArgument, "the budget of node \(node) must be at least 1, got \(value)",
                component: "rollout")
        }
        self.budget = budget
        self.nodeBudget = nodeBudget
        self.nodeBudgets = nodeBudgets
    }

    /// The budget of `node`, or `nil` when the node is unlimited.
    public func budget(forNode node: String) -> Int? {
        nodeBudgets[node] ?? nodeBudget
    }
}
